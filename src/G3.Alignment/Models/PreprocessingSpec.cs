using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// How decoded pixels become the model's input (CLIP's recipe by default). JSON: <c>"preprocessing": { "inputSize": 224,
/// "resize": "shortest-side-bicubic", "crop": "center", "mean": [...], "std": [...] }</c>; mean and std default to CLIP's.
/// </summary>
public sealed record PreprocessingSpec
{
    /// <summary>CLIP's per-channel RGB mean, the default.</summary>
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>CLIP's per-channel RGB standard deviation, the default.</summary>
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    public int InputSize { get; init; }
    [JsonInclude, JsonPropertyName("resize")] internal string? ResizeName { get; init; }
    [JsonIgnore] public ResizeMode Resize => ManifestNames.Resize.Parse(ResizeName);
    [JsonInclude, JsonPropertyName("crop")] internal string? CropName { get; init; }
    [JsonIgnore] public CropMode Crop => ManifestNames.Crop.Parse(CropName);
    public float[] Mean { get; init; } = [.. ClipMean];
    public float[] Std { get; init; } = [.. ClipStd];
}

/// <summary>Resize modes. JSON: "shortest-side-bicubic" (scale so the shorter side equals the input size, bicubic).</summary>
public enum ResizeMode
{
    ShortestSideBicubic,
}

/// <summary>Crop modes. JSON: "center".</summary>
public enum CropMode
{
    Center,
}
