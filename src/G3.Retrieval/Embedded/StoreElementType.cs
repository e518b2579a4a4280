using System.Diagnostics.CodeAnalysis;

namespace G3.Retrieval.Embedded;

/// <summary>How the embedded store keeps vectors on disk and in memory.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members name the IEEE storage formats.")]
public enum StoreElementType
{
    /// <summary>IEEE single precision, 4 bytes per component: exact.</summary>
    Float32,

    /// <summary>IEEE half precision, 2 bytes per component: half the memory and bandwidth, ~3 significant digits.</summary>
    Float16,
}

internal static class StoreElementTypeExtensions
{
    public static int ByteSize(this StoreElementType type) => type switch
    {
        StoreElementType.Float32 => sizeof(float),
        StoreElementType.Float16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown element type"),
    };

    public static string ToManifestName(this StoreElementType type) => type switch
    {
        StoreElementType.Float32 => "float32",
        StoreElementType.Float16 => "float16",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown element type"),
    };

    public static bool TryParseManifestName(string? name, out StoreElementType type)
    {
        switch (name)
        {
            case "float32": type = StoreElementType.Float32; return true;
            case "float16": type = StoreElementType.Float16; return true;
            default: type = default; return false;
        }
    }
}
