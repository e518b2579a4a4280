using G3.Core.Candidates;

namespace G3.Retrieval.Embedded;

/// <summary>
/// One committed state of the store, what every search runs against. Readers pin it with
/// <see cref="TryAcquire"/>/<see cref="Release"/>; the writer publishes a new snapshot per commit and
/// drops its own reference to the old one, whose maps close when the last reader lets go.
/// The id and offset arrays are shared with later snapshots but only ever appended to beyond this
/// snapshot's <see cref="Rows"/>, and the tombstone bitset is copied on write, so a snapshot never changes.
/// </summary>
internal sealed unsafe class StoreSnapshot
{
    private int _references = 1;

    public required int Dimension { get; init; }
    public required StoreElementType Element { get; init; }
    public required int Rows { get; init; }
    public required int LiveRows { get; init; }
    public required MappedFile? Vectors { get; init; }
    public required MappedFile? Payloads { get; init; }

    /// <summary>Row → id; length ≥ Rows (capacity doubles as the store grows).</summary>
    public required string[] Ids { get; init; }

    /// <summary>Row → byte offset of its record in payloads.bin; length ≥ Rows.</summary>
    public required long[] PayloadOffsets { get; init; }

    /// <summary>Bit per row, set when deleted; null while nothing was ever deleted.</summary>
    public required ulong[]? Dead { get; init; }

    /// <summary>The snapshot of a committed manifest over its mapped files and in-memory row tables.</summary>
    public static StoreSnapshot Of(StoreManifest manifest, MappedFile? vectors, MappedFile? payloads, string[] ids, long[] offsets, ulong[]? dead) => new()
    {
        Dimension = manifest.Dimension,
        Element = manifest.Element,
        Rows = manifest.Rows,
        LiveRows = manifest.LiveRows,
        Vectors = vectors,
        Payloads = payloads,
        Ids = ids,
        PayloadOffsets = offsets,
        Dead = dead,
    };

    public byte* VectorPointer => Vectors is null ? null : Vectors.Pointer;

    public bool IsDead(int row) => Dead is { } dead && (dead[row >> 6] & (1UL << row)) != 0;

    public ReferencePhoto ReadPayload(int row, double similarity)
    {
        var offset = PayloadOffsets[row];
        var payloads = Payloads ?? throw new InvalidOperationException("row without payload data");
        var length = (int)Math.Min(payloads.Length - offset, int.MaxValue);
        return PayloadCodec.Decode(payloads.Span(offset, length), similarity);
    }

    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return true;
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        Vectors?.Dispose();
        Payloads?.Dispose();
    }
}
