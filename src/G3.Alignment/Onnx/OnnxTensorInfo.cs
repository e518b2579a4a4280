using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace G3.Alignment.Onnx;

/// <summary>ONNX tensor element types (<c>ONNXTensorElementDataType</c>), values as in the C API.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are ONNX's element type names.")]
public enum OnnxElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}

/// <summary>
/// A model input or output as the ONNX file declares it. <see cref="Shape"/> holds -1 for dynamic
/// (symbolic) dimensions; <see cref="IsTensor"/> is false for sequences, maps and other non-tensor values.
/// </summary>
public sealed record OnnxTensorInfo(string Name, bool IsTensor, OnnxElementType ElementType, IReadOnlyList<long> Shape)
{
    /// <summary>The shape as "[-1,2]", the way error messages and manifests write it.</summary>
    public string ShapeText => FormatShape(Shape);

    public static string FormatShape(IEnumerable<long> shape) =>
        "[" + string.Join(",", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    public override string ToString() => IsTensor ? $"'{Name}' {ElementType} {ShapeText}" : $"'{Name}' (not a tensor)";
}
