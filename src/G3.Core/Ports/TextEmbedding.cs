namespace G3.Core.Ports;

/// <summary>
/// A text query's two embeddings: <see cref="Retrieval"/> (searched in the reference store, the image
/// model's retrieval space) and <see cref="Gps"/> (compared with location embeddings), each normalised
/// when the manifest says so; <see cref="Tokens"/> ids were fed (start and end included) and
/// <see cref="TruncatedTokens"/> did not fit the model's context.
/// </summary>
public sealed record TextEmbedding(float[] Retrieval, float[] Gps, int Tokens, int TruncatedTokens);
