namespace G3.Alignment.Onnx;

/// <summary>A dense row-major float32 tensor: the data and its shape (every dimension known).</summary>
public sealed class FloatTensor
{
    public FloatTensor(ReadOnlyMemory<float> data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"tensor shape {OnnxTensorInfo.FormatShape(shape)} has a negative dimension", nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException(
                $"tensor shape {OnnxTensorInfo.FormatShape(shape)} needs {count} floats but {data.Length} were given", nameof(data));
        Data = data;
        Shape = shape;
    }

    public ReadOnlyMemory<float> Data { get; }

    public IReadOnlyList<long> Shape { get; }

    public string ShapeText => OnnxTensorInfo.FormatShape(Shape);
}
