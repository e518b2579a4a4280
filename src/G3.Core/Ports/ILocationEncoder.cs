using G3.Core.Geo;

namespace G3.Core.Ports;

/// <summary>Geo-alignment's location side: [B] points → [B, D] embeddings, in one batched run.</summary>
public interface ILocationEncoder
{
    int Dimension { get; }

    Task<EmbeddingMatrix> EncodeAsync(IReadOnlyList<GeoPoint> points, CancellationToken cancellationToken);
}
