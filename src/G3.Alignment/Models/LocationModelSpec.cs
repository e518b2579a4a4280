using System.Text.Json.Serialization;
using G3.Core.Geo;

namespace G3.Alignment.Models;

/// <summary>
/// The location model: [B,2] projected coordinates → [B,D]. The projection is applied by the encoder
/// through <see cref="ProjectionMath.ToModelInput"/>, never inside the ONNX graph. JSON: <c>"location": { "file":
/// "location.onnx", "input": "coords", "output": "embedding", "dim": 512, "projection": "mercator" }</c>.
/// </summary>
public sealed record LocationModelSpec
{
    /// <summary>The ONNX file (JSON "file", relative to the manifest; absolute once loaded).</summary>
    [JsonPropertyName("file")] public string ModelPath { get; init; } = "";
    [JsonPropertyName("input")] public string InputName { get; init; } = "";
    [JsonPropertyName("output")] public string OutputName { get; init; } = "";
    [JsonPropertyName("dim")] public int Dimension { get; init; }
    [JsonInclude, JsonPropertyName("projection")] internal string? ProjectionName { get; init; }

    /// <summary>JSON: "mercator" (G3), "equal-earth" (GeoCLIP) or "none"; required.</summary>
    [JsonIgnore] public LocationProjection Projection => ManifestNames.Projection.Parse(ProjectionName);
    public bool Normalize { get; init; } = true;

    /// <summary>
    /// Whether the model may run with TF32 matrix maths on the GPU (JSON "allowTf32"; default false: random
    /// Fourier features at high frequencies amplify TF32's input rounding into different embeddings).
    /// </summary>
    public bool AllowTf32 { get; init; }
}
