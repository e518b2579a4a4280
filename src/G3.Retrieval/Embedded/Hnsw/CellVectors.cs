using System.Buffers.Binary;
using System.Text;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// A copy of the store's vectors in cell order (<see cref="CellIndex"/>: cell 0's members, then cell 1's, …), in the
/// store's element type, memory-mapped. Why a copy: the cells' members are scattered over the store's vectors file,
/// and scoring thousands of scattered rows cost about 0.35 µs a row at 768 float16 dimensions against 0.06 µs in the
/// sequential scan, most of a query's time at 1 M rows. Here a cell is one contiguous run (measured at the sequential
/// rate at 100 000 rows; docs/scale.md says what 1 M showed). The bytes are the store's own, so every row scores
/// exactly as in a full scan.
/// </summary>
internal sealed unsafe class CellVectors : IDisposable
{
    private const string Magic = "G3CVEC01";
    private const int HeaderLength = 16 + 4 * sizeof(int);

    private readonly MappedFile _file;

    private CellVectors(MappedFile file, long rowBytes)
    {
        _file = file;
        RowBytes = rowBytes;
    }

    public long RowBytes { get; }

    /// <summary>The vector of the row at position <paramref name="position"/> of the cell order.</summary>
    public byte* PositionPointer(int position) => _file.Pointer + HeaderLength + position * RowBytes;

    /// <summary>The start of the vectors (position 0).</summary>
    public byte* Data => _file.Pointer + HeaderLength;

    /// <summary>
    /// Writes rows [0, cells.Rows) of <paramref name="snapshot"/> in cell order to <paramref name="path"/>, flushes the
    /// file to disk and returns its checksum (the caller renames it into place and records the checksum).
    /// </summary>
    public static uint Write(StoreSnapshot snapshot, CellIndex cells, string path, CancellationToken cancellationToken)
    {
        var rowBytes = RowBytesOf(snapshot.Dimension, snapshot.Element);
        var header = new byte[HeaderLength];
        Encoding.ASCII.GetBytes(Magic, header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), snapshot.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(20), (int)snapshot.Element);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), cells.Rows);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), cells.Count);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var crc = Crc32C.Append(0, header);
        stream.Write(header);
        var members = cells.MembersInOrder;
        for (var position = 0; position < members.Length; position++)
        {
            if ((position & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var row = new ReadOnlySpan<byte>(snapshot.VectorPointer + members[position] * rowBytes, (int)rowBytes);
            crc = Crc32C.Append(crc, row);
            stream.Write(row);
        }
        stream.Flush(flushToDisk: true);
        return crc;
    }

    /// <summary>
    /// Maps the copy at <paramref name="path"/>, or returns null when it is absent, of another shape, or its checksum is
    /// not <paramref name="crc"/> (verified on open, as the store verifies its own vectors, so a damaged copy is never served).
    /// </summary>
    public static CellVectors? TryOpen(string path, CellIndex cells, StoreElementType element, uint crc)
    {
        if (!BitConverter.IsLittleEndian || !File.Exists(path)) return null;
        var rowBytes = RowBytesOf(cells.Dimension, element);
        var length = HeaderLength + cells.Rows * rowBytes;
        MappedFile? file;
        try
        {
            if (new FileInfo(path).Length != length) return null;
            file = MappedFile.Map(path, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (file is null) return null;
        var header = file.Span(0, HeaderLength);
        var valid = Encoding.ASCII.GetString(header[..Magic.Length]) == Magic && header[Magic.Length..16].IndexOfAnyExcept((byte)0) < 0 &&
            BinaryPrimitives.ReadInt32LittleEndian(header[16..]) == cells.Dimension &&
            BinaryPrimitives.ReadInt32LittleEndian(header[20..]) == (int)element &&
            BinaryPrimitives.ReadInt32LittleEndian(header[24..]) == cells.Rows &&
            BinaryPrimitives.ReadInt32LittleEndian(header[28..]) == cells.Count &&
            Crc32C.Append(0, file.Pointer, file.Length) == crc;
        if (valid) return new CellVectors(file, rowBytes);
        file.Dispose();
        return null;
    }

    private static long RowBytesOf(int dimension, StoreElementType element) => (long)dimension * element.ByteSize();

    public void Dispose() => _file.Dispose();
}
