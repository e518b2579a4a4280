using System.Globalization;
using System.Text.Json;

namespace G3.Alignment.Tests.Store.Qdrant.Contract;

/// <summary>
/// Validates JSON values against OpenAPI 3.0 schemas: the subset Qdrant's document uses
/// (type, properties, required, additionalProperties, items, anyOf/oneOf/allOf, $ref into
/// #/components/schemas, enum, nullable, minimum/maximum, format uuid).
/// <para>
/// Two deliberate choices: a schema holding nothing but <c>nullable: true</c> (how Qdrant's
/// generator spells the null branch of an optional field, <c>anyOf: [X, {nullable: true}]</c>)
/// accepts only null, otherwise every optional field would accept anything; and in strict mode
/// an object schema with properties rejects properties it does not declare (a misspelt field in
/// a request would otherwise pass unseen).
/// </para>
/// </summary>
internal sealed class OpenApiSchemaValidator(JsonElement document)
{
    private static readonly HashSet<string> Annotations =
        ["nullable", "description", "default", "deprecated", "example", "title", "format"];

    public JsonElement Resolve(string reference)
    {
        const string prefix = "#/";
        if (!reference.StartsWith(prefix, StringComparison.Ordinal))
            throw new NotSupportedException("only local references are supported: " + reference);
        var node = document;
        foreach (var part in reference[prefix.Length..].Split('/'))
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        return node;
    }

    public JsonElement Component(string name) => Resolve("#/components/schemas/" + name);

    /// <summary>Every violation found, each prefixed with its JSON path; empty when the value conforms.</summary>
    public List<string> Validate(JsonElement value, JsonElement schema, bool strict)
    {
        var errors = new List<string>();
        Check(value, schema, "$", strict, errors);
        return errors;
    }

    private void Check(JsonElement value, JsonElement schema, string path, bool strict, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True) return;
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here");
            return;
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            // OpenAPI 3.0: siblings of $ref are ignored.
            Check(value, Resolve(reference.GetString()!), path, strict, errors);
            return;
        }

        var nullable = schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (nullable) return;
            if (schema.TryGetProperty("type", out _) || schema.TryGetProperty("enum", out _))
            {
                errors.Add($"{path}: null is not allowed");
                return;
            }
        }
        else if (nullable && schema.EnumerateObject().All(p => Annotations.Contains(p.Name)))
        {
            errors.Add($"{path}: only null is allowed here (the null branch of an optional field), got {value.ValueKind}");
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
        {
            errors.Add($"{path}: expected {type.GetString()}, got {Describe(value)}");
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed)
            && !allowed.EnumerateArray().Any(a => a.ValueKind == value.ValueKind && a.GetRawText() == value.GetRawText()))
            errors.Add($"{path}: {value.GetRawText()} is not one of {allowed.GetRawText()}");
        CheckNumber(value, schema, path, errors);
        if (value.ValueKind == JsonValueKind.String && schema.TryGetProperty("format", out var format)
            && format.GetString() == "uuid" && !Guid.TryParseExact(value.GetString(), "D", out _))
            errors.Add($"{path}: '{value.GetString()}' is not a UUID");

        if (value.ValueKind == JsonValueKind.Object) CheckObject(value, schema, path, strict, errors);
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) Check(item, items, $"{path}[{i++}]", strict, errors);
        }
        CheckCombinators(value, schema, path, strict, errors);
    }

    private void CheckObject(JsonElement value, JsonElement schema, string path, bool strict, List<string> errors)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        if (schema.TryGetProperty("required", out var required))
            foreach (var name in required.EnumerateArray())
                if (!value.TryGetProperty(name.GetString()!, out _))
                    errors.Add($"{path}: required property '{name.GetString()}' is missing");

        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
                Check(property.Value, propertySchema, at, strict, errors);
            else if (hasAdditional)
                Check(property.Value, additional, at, strict, errors);
            else if (strict && hasProperties)
                errors.Add($"{at}: property is not declared by the schema");
        }
    }

    private void CheckCombinators(JsonElement value, JsonElement schema, string path, bool strict, List<string> errors)
    {
        if (schema.TryGetProperty("allOf", out var allOf))
            foreach (var branch in allOf.EnumerateArray())
                Check(value, branch, path, strict, errors);

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var failures = Branches(value, anyOf, path, strict);
            if (failures.All(f => f.Count > 0))
                errors.Add($"{path}: matches none of anyOf: " + Summarise(failures));
        }
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var failures = Branches(value, oneOf, path, strict);
            var matches = failures.Count(f => f.Count == 0);
            if (matches != 1)
                errors.Add(matches == 0
                    ? $"{path}: matches none of oneOf: " + Summarise(failures)
                    : $"{path}: matches {matches} branches of oneOf, exactly one is required");
        }
    }

    private List<List<string>> Branches(JsonElement value, JsonElement branches, string path, bool strict) =>
        branches.EnumerateArray().Select(b =>
        {
            var e = new List<string>();
            Check(value, b, path, strict, e);
            return e;
        }).ToList();

    private static string Summarise(List<List<string>> failures) =>
        string.Join(" | ", failures.Select((f, i) => $"[{i}] {f.FirstOrDefault()}"));

    private static void CheckNumber(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Number) return;
        var x = value.GetDouble();
        if (schema.TryGetProperty("minimum", out var min) && x < min.GetDouble())
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {x} is below the minimum {min.GetDouble()}"));
        if (schema.TryGetProperty("maximum", out var max) && x > max.GetDouble())
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {x} is above the maximum {max.GetDouble()}"));
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && double.IsInteger(value.GetDouble()),
        _ => throw new NotSupportedException("unknown schema type " + type),
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.String => $"{value.ValueKind} {value.GetRawText()}",
        _ => value.ValueKind.ToString(),
    };
}
