namespace G3.Core.Ports;

/// <summary>A row-major batch of embeddings in one array: rows × dimension floats.</summary>
public sealed class EmbeddingMatrix
{
    public EmbeddingMatrix(float[] data, int rows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (data.Length != rows * dimension)
            throw new ArgumentException($"data holds {data.Length} floats; {rows}×{dimension} = {rows * dimension} expected", nameof(data));
        Data = data;
        Rows = rows;
        Dimension = dimension;
    }

    public float[] Data { get; }
    public int Rows { get; }
    public int Dimension { get; }

    public ReadOnlySpan<float> Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Rows);
        return Data.AsSpan(index * Dimension, Dimension);
    }
}
