namespace G3.Core.Ports;

/// <summary>
/// Geo-alignment's text side: a description → the two embeddings of <see cref="TextEmbedding"/>, in the
/// image model's retrieval space and in the location encoder's space. Safe to call concurrently.
/// </summary>
public interface ITextEncoder
{
    /// <summary>Length of <see cref="TextEmbedding.Retrieval"/> (must match the reference store's vectors).</summary>
    int RetrievalDimension { get; }

    /// <summary>Length of <see cref="TextEmbedding.Gps"/> (must match the location encoder's embeddings).</summary>
    int GpsDimension { get; }

    Task<TextEmbedding> EncodeAsync(string text, CancellationToken cancellationToken);
}
