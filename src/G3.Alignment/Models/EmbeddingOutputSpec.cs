using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// A model output that is an embedding. JSON: <c>{ "output": "image_embedding", "dim": 512, "normalize": true }</c>:
/// its tensor name, width, and whether rows are L2-normalised after the run (default true).
/// </summary>
public sealed record EmbeddingOutputSpec
{
    [JsonPropertyName("output")] public string OutputName { get; init; } = "";
    [JsonPropertyName("dim")] public int Dimension { get; init; }
    public bool Normalize { get; init; } = true;
}
