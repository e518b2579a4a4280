using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// The image model: one ONNX run over a preprocessed [N,3,H,W] float32 batch yields two embeddings,
/// <see cref="Retrieval"/> (e_img, searched in the reference store) and <see cref="Gps"/>
/// (e_gps^image, compared with location embeddings by the verifier). JSON: <c>"image": { "file": "image.onnx",
/// "input": "pixels", "inputShape": [-1,3,224,224], "retrieval": {...}, "gps": {...} }</c>.
/// </summary>
public sealed record ImageModelSpec
{
    /// <summary>The ONNX file (JSON "file", relative to the manifest; absolute once loaded).</summary>
    [JsonPropertyName("file")] public string ModelPath { get; init; } = "";
    [JsonPropertyName("input")] public string InputName { get; init; } = "";

    /// <summary>[N,3,H,W] with N = -1 for any batch size.</summary>
    public IReadOnlyList<long> InputShape { get; init; } = [];
    public EmbeddingOutputSpec Retrieval { get; init; } = null!;
    public EmbeddingOutputSpec Gps { get; init; } = null!;
    [JsonInclude, JsonPropertyName("precision")] internal string? PrecisionName { get; init; }

    /// <summary>
    /// The arithmetic the ONNX file's weights use (JSON "precision": "float32", the default, or "float16"). Inputs
    /// and outputs stay float32 either way; the load check compares this with the file's own "g3.precision" metadata.
    /// </summary>
    [JsonIgnore] public ModelPrecision Precision => ManifestNames.Precision.Parse(PrecisionName);

    /// <summary>Whether the model may run with TF32 matrix maths on the GPU (JSON "allowTf32"; default false).</summary>
    public bool AllowTf32 { get; init; }
    [JsonIgnore] public int Channels => (int)InputShape[1];
    [JsonIgnore] public int Height => (int)InputShape[2];
    [JsonIgnore] public int Width => (int)InputShape[3];
}

/// <summary>Weight precision of an exported model. JSON: "float32" (default) or "float16".</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are ONNX's precision names.")]
public enum ModelPrecision
{
    Float32,
    Float16,
}
