using System.Text.Json;

namespace G3.Alignment.Tests.Store.Qdrant.Contract;

/// <summary>
/// Qdrant's OpenAPI document (../shared/specs/qdrant-openapi.json) as a contract: finds the
/// operation a request addresses and checks its query parameters and body, and checks response
/// bodies against the operation's response schema.
/// </summary>
internal sealed class QdrantOpenApiContract
{
    public static string SpecPath => Path.Combine(TestPaths.SharedDir, "specs", "qdrant-openapi.json");

    private static readonly Lazy<QdrantOpenApiContract> Shared = new(() => new QdrantOpenApiContract(SpecPath));

    /// <summary>The document, parsed once per test run.</summary>
    public static QdrantOpenApiContract Load() => Shared.Value;

    private readonly JsonDocument _document;

    public OpenApiSchemaValidator Validator { get; }

    private QdrantOpenApiContract(string path)
    {
        _document = JsonDocument.Parse(File.ReadAllBytes(path));
        Validator = new OpenApiSchemaValidator(_document.RootElement);
    }

    /// <summary>The operation for a method and a path below the API root, e.g. ("POST", "/collections/x/points/query").</summary>
    public (string Template, JsonElement Operation)? FindOperation(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        (string, JsonElement)? best = null;
        var bestLiterals = -1;
        foreach (var entry in _document.RootElement.GetProperty("paths").EnumerateObject())
        {
            var template = entry.Name.Trim('/').Split('/');
            if (template.Length != segments.Length) continue;
            if (!entry.Value.TryGetProperty(method.ToLowerInvariant(), out var operation)) continue;
            var literals = 0;
            var match = true;
            for (var i = 0; i < template.Length && match; i++)
            {
                if (template[i].StartsWith('{')) continue;
                match = template[i] == Uri.UnescapeDataString(segments[i]);
                literals++;
            }
            // Prefer the most literal template: /points/delete over /points/{id}.
            if (match && literals > bestLiterals)
            {
                best = (entry.Name, operation);
                bestLiterals = literals;
            }
        }
        return best;
    }

    /// <summary>Violations of the operation's request contract: undeclared or mistyped query parameters, a body off its schema.</summary>
    public List<string> CheckRequest(string method, Uri uri, string? body)
    {
        var found = FindOperation(method, uri.AbsolutePath);
        if (found is not { } op) return [$"{method} {uri.AbsolutePath}: no such operation in Qdrant's API"];
        var (template, operation) = op;
        var errors = new List<string>();
        var where = $"{method} {template}";

        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        foreach (var (name, value) in Query(uri))
        {
            var declared = parameters.FirstOrDefault(x => x.GetProperty("name").GetString() == name && x.GetProperty("in").GetString() == "query");
            if (declared.ValueKind == JsonValueKind.Undefined)
            {
                errors.Add($"{where}: query parameter '{name}' is not declared");
                continue;
            }
            var schema = declared.GetProperty("schema");
            var json = schema.TryGetProperty("type", out var t) && t.GetString() is "boolean" or "integer" or "number"
                ? value : JsonSerializer.Serialize(value);
            try
            {
                using var parsed = JsonDocument.Parse(json);
                errors.AddRange(Validator.Validate(parsed.RootElement, schema, strict: true).Select(e => $"{where} ?{name}: {e}"));
            }
            catch (JsonException)
            {
                errors.Add($"{where}: query parameter '{name}={value}' does not fit its schema {schema.GetRawText()}");
            }
        }

        var hasBodySchema = operation.TryGetProperty("requestBody", out var requestBody);
        if (body is null)
        {
            if (hasBodySchema && requestBody.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True)
                errors.Add($"{where}: the request body is required");
            return errors;
        }
        if (!hasBodySchema) return [.. errors, $"{where}: takes no request body"];
        var bodySchema = requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        using var doc = JsonDocument.Parse(body);
        errors.AddRange(Validator.Validate(doc.RootElement, bodySchema, strict: true).Select(e => $"{where} body {e}"));
        return errors;
    }

    /// <summary>Violations of the response schema for this status (200, else 4XX/default: ErrorResponse).</summary>
    public List<string> CheckResponse(string method, Uri uri, int status, string body)
    {
        var found = FindOperation(method, uri.AbsolutePath);
        if (found is not { } op) return [$"{method} {uri.AbsolutePath}: no such operation in Qdrant's API"];
        var responses = op.Operation.GetProperty("responses");
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!responses.TryGetProperty(key, out var response)
            && !(status is >= 400 and < 500 && responses.TryGetProperty("4XX", out response))
            && !responses.TryGetProperty("default", out response))
            return [$"{method} {op.Template}: no response declared for {status}"];
        var schema = response.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        using var doc = JsonDocument.Parse(body);
        // Responses are checked leniently: a newer server may add fields.
        return Validator.Validate(doc.RootElement, schema, strict: false)
            .Select(e => $"{method} {op.Template} response {status} {e}").ToList();
    }

    private static IEnumerable<(string Name, string Value)> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => (Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : ""));
}
