using System.Text.Json;
using G3.Host.Contracts;

namespace G3.Host.Apis;

/// <summary>
/// Typed reads of a request's JSON with errors that name the field ("messages[0].content[1].type must
/// be a string"), never a .NET type. Every body is parsed with duplicate keys refused.
/// </summary>
internal static class JsonFields
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>Parses a body; malformed JSON, duplicate keys or a non-object root are a 400.</summary>
    public static async Task<JsonDocument> ParseObjectAsync(Stream body, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, DocumentOptions, ct);
        }
        catch (JsonException e)
        {
            throw new ApiRequestException("the request body is not valid JSON (or repeats a key): " + Describe(e), "body", code: "invalid_json");
        }
        catch (ArgumentException e)
        {
            throw new ApiRequestException("the request body is not valid JSON: " + e.Message, "body", code: "invalid_json");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ApiRequestException("the request body must be a JSON object", "body", code: "invalid_json");
        }
        return document;
    }

    /// <summary>Parses a JSON text held in a form field.</summary>
    public static JsonDocument ParseObject(string text, string param)
    {
        try
        {
            var document = JsonDocument.Parse(text, DocumentOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
        }
        catch (JsonException e)
        {
            throw new ApiRequestException($"'{param}' is not valid JSON (or repeats a key): " + Describe(e), param);
        }
        throw new ApiRequestException($"'{param}' must be a JSON object", param);
    }

    /// <summary>The property, or null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string String(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw new ApiRequestException($"'{path}' must be a string, not {Kind(value)}", path);
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new ApiRequestException($"'{path}' is not valid UTF-8 text", path);
        }
    }

    public static string? OptionalString(JsonElement obj, string name, string path) =>
        Optional(obj, name) is { } v ? String(v, path) : null;

    public static bool? OptionalBool(JsonElement obj, string name, string path) => Optional(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } v => throw new ApiRequestException($"'{path}' must be true or false, not {Kind(v)}", path),
    };

    public static double? OptionalNumber(JsonElement obj, string name, string path, double min, double max)
    {
        if (Optional(obj, name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || d < min || d > max)
            throw new ApiRequestException($"'{path}' must be a number from {min} to {max}", path);
        return d;
    }

    public static long? OptionalInteger(JsonElement obj, string name, string path, long min, long max)
    {
        if (Optional(obj, name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n) || n < min || n > max)
            throw new ApiRequestException($"'{path}' must be an integer from {min} to {max}", path);
        return n;
    }

    /// <summary>Refuses keys outside <paramref name="known"/>, suggesting the closest one (typos are errors).</summary>
    public static void RefuseUnknownKeys(JsonElement obj, IReadOnlyCollection<string> known, string prefix)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (known.Contains(property.Name)) continue;
            var path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            var closest = known.OrderBy(k => Distance(k, property.Name)).FirstOrDefault();
            var hint = closest is not null && Distance(closest, property.Name) <= Math.Max(3, property.Name.Length / 2) ? $"; did you mean '{closest}'?" : "";
            throw new ApiRequestException($"unknown field '{path}'{hint} (known: {string.Join(", ", known)})", path, code: "unknown_field");
        }
    }

    public static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>The reader's position, without the .NET type names a serializer message may carry.</summary>
    private static string Describe(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" + (e.Path is { Length: > 1 } p ? $", at {p}" : "") : "unreadable";

    /// <summary>Levenshtein distance, case-insensitive: how far a typo is from a known key.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}
