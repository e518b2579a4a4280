using System.Diagnostics.CodeAnalysis;
using Cloud.Unum.USearch;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>The precision of the HNSW index's own copy of the vectors (Store:Embedded:Hnsw:Storage).</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members name the storage formats.")]
public enum HnswStorage
{
    /// <summary>4 bytes per component.</summary>
    Float32,

    /// <summary>2 bytes per component (the default: recall equal to float32 on the measured data, half the file).</summary>
    Float16,

    /// <summary>2 bytes per component, float32's range with 8 bits of mantissa.</summary>
    BFloat16,

    /// <summary>1 byte per component; assumes unit-length vectors (components in [-1, 1]).</summary>
    Int8,
}

internal static class HnswStorageExtensions
{
    public static ScalarKind ToScalarKind(this HnswStorage storage) => storage switch
    {
        HnswStorage.Float32 => ScalarKind.Float32,
        HnswStorage.Float16 => ScalarKind.Float16,
        HnswStorage.BFloat16 => ScalarKind.BFloat16,
        HnswStorage.Int8 => ScalarKind.Int8,
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, "unknown HNSW storage"),
    };
}
