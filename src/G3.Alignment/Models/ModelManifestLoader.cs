using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace G3.Alignment.Models;

/// <summary>
/// Reads a model manifest (JSON beside the ONNX files) into <see cref="ModelManifest"/> and validates it
/// (<see cref="ModelManifestValidator"/>). Unknown properties are errors, so a typo ("inputshape") is
/// reported instead of silently ignored, and so is a null where the manifest needs a value.
/// </summary>
public static class ModelManifestLoader
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlyManifestKeys } },
    };

    /// <summary>
    /// Takes the members that are not manifest keys (computed, or set by the loader) out of the JSON contract, so
    /// that a manifest naming one ("sourcePath", a top-level "consensus") is refused as an unknown key. Ignoring
    /// them would leave them known to the deserialiser, which then skips such a key silently.
    /// </summary>
    private static void OnlyManifestKeys(JsonTypeInfo type)
    {
        foreach (var property in type.Properties.Where(p => p.AttributeProvider?.IsDefined(typeof(JsonIgnoreAttribute), false) == true).ToList())
            type.Properties.Remove(property);
    }

    public static ModelManifest Load(string manifestPath)
    {
        var path = Path.GetFullPath(manifestPath);
        if (!File.Exists(path))
            throw new ModelManifestException(path, ["the file does not exist"]);
        ModelManifest? document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonSerializer.Deserialize<ModelManifest>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new ModelManifestException(path, [$"not valid manifest JSON at {e.Path ?? "$"} (line {e.LineNumber + 1}): {e.Message}"], e);
        }
        if (document is null)
            throw new ModelManifestException(path, ["the file holds JSON null, not a manifest object"]);
        return ModelManifestValidator.Validate(path, document);
    }
}
