using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// The text tower (optional): token ids [N,T] (int64, CLIP's layout) → two embeddings, as GeoCLIP's text
/// query uses CLIP's shared space: <see cref="Retrieval"/> lives in the image model's retrieval space (it
/// searches the reference collection) and <see cref="Gps"/> in the GPS-aligned space (compared with the
/// location encoder's embeddings of candidate locations). JSON:
/// <c>"text": { "file": "text.onnx", "input": "input_ids", "contextLength": 77,
/// "tokenizer": { "kind": "clip-bpe", "vocab": "vocab.json", "merges": "merges.txt" },
/// "retrieval": {...}, "gps": {...}, "logitScale": 30 }</c>.
/// </summary>
public sealed record TextModelSpec
{
    /// <summary>Largest context a text model may declare (CLIP's is 77).</summary>
    public const int MaxContextLength = 1024;

    /// <summary>The ONNX file (JSON "file", relative to the manifest; absolute once loaded).</summary>
    [JsonPropertyName("file")] public string ModelPath { get; init; } = "";
    [JsonPropertyName("input")] public string InputName { get; init; } = "";

    public int ContextLength { get; init; }
    public TokenizerSpec Tokenizer { get; init; } = null!;
    public EmbeddingOutputSpec Retrieval { get; init; } = null!;
    public EmbeddingOutputSpec Gps { get; init; } = null!;

    /// <summary>
    /// The scale of text→location similarities before the softmax over candidate locations (the text
    /// tower's own learned value; absent: the verifier's logit scale, else CLIP's 100).
    /// </summary>
    public double? LogitScale { get; init; }
}

/// <summary>The text tower's tokenizer: "clip-bpe", CLIP's vocab.json and merges.txt (relative to the manifest; absolute once loaded).</summary>
public sealed record TokenizerSpec
{
    public string Kind { get; init; } = "";
    [JsonPropertyName("vocab")] public string VocabPath { get; init; } = "";
    [JsonPropertyName("merges")] public string MergesPath { get; init; } = "";
}
