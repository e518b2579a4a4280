namespace G3.Core.Ports;

/// <summary>
/// What the image encoder says about one photo: <see cref="Retrieval"/> (e_img, searched against the
/// reference store) and <see cref="Gps"/> (e_gps^image, compared with location embeddings by the verifier).
/// Which model output is which is the model manifest's business.
/// </summary>
public sealed record ImageEmbedding(float[] Retrieval, float[] Gps);
