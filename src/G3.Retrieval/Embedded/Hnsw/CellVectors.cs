using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// A copy of the store's vectors in cell order (<see cref="CellIndex"/>: cell 0's members, then cell 1's, …), in the
/// store's element type. Why a copy: the cells' members are scattered over the store's vectors file, and scoring
/// thousands of scattered rows cost about 0.35 µs a row at 768 float16 dimensions against 0.06 µs in the sequential
/// scan, most of a query's time at 1 M rows. Here a cell is one contiguous run. The bytes are the store's own, so every
/// row scores exactly as in a full scan. By default the copy is read into this process's memory (2 MB-aligned and
/// offered to the kernel for huge pages) rather than served as a mapped view of its file: on the development VM, runs
/// read from the mapped file at 1 M rows cost 0.3-0.6 µs a row and from process memory under 0.1 µs (docs/scale.md).
/// The price: replicas on one machine do not share it through the page cache (<c>CellVectorsInMemory=false</c> maps it).
/// </summary>
internal sealed unsafe class CellVectors : IDisposable
{
    private const string Magic = "G3CVEC01";
    private const int HeaderLength = 16 + 4 * sizeof(int);

    /// <summary>Alignment (and granularity) of the in-memory copy: the x86-64 huge page.</summary>
    private const nuint HugePage = 2 << 20;

    /// <summary>madvise(2)'s MADV_HUGEPAGE: back the range with transparent huge pages where the kernel allows.</summary>
    private const int MadviseHugePage = 14;

    private readonly MappedFile? _file;
    private readonly byte* _memory;
    private readonly byte* _base;

    private CellVectors(MappedFile? file, byte* memory, long rowBytes)
    {
        _file = file;
        _memory = memory;
        _base = memory is not null ? memory : file!.Pointer;
        RowBytes = rowBytes;
    }

    public long RowBytes { get; }

    /// <summary>Whether the copy was read into this process's memory (else it is a mapped view of its file).</summary>
    public bool InMemory => _memory is not null;

    /// <summary>The vector of the row at position <paramref name="position"/> of the cell order.</summary>
    public byte* PositionPointer(int position) => _base + HeaderLength + position * RowBytes;

    /// <summary>The start of the vectors (position 0).</summary>
    public byte* Data => _base + HeaderLength;

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
    /// Opens the copy at <paramref name="path"/> (read into memory when <paramref name="inMemory"/>, else mapped), or
    /// returns null when it is absent, of another shape, or its checksum is not <paramref name="crc"/> (verified on
    /// open, as the store verifies its own vectors, so a damaged copy is never served).
    /// </summary>
    public static CellVectors? TryOpen(string path, CellIndex cells, StoreElementType element, uint crc, bool inMemory)
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
            BinaryPrimitives.ReadInt32LittleEndian(header[28..]) == cells.Count;
        if (!valid)
        {
            file.Dispose();
            return null;
        }
        if (!inMemory)
        {
            if (Crc32C.Append(0, file.Pointer, file.Length) == crc) return new CellVectors(file, null, rowBytes);
            file.Dispose();
            return null;
        }
        // Copied once through the map and checked on the copy: what is served is what was verified.
        byte* memory;
        try
        {
            var size = ((nuint)length + HugePage - 1) / HugePage * HugePage;
            memory = (byte*)NativeMemory.AlignedAlloc(size, HugePage);
            OfferHugePages(memory, size);
            Buffer.MemoryCopy(file.Pointer, memory, length, length);
        }
        catch (OutOfMemoryException)
        {
            return null;
        }
        finally
        {
            file.Dispose();
        }
        if (Crc32C.Append(0, memory, length) == crc) return new CellVectors(null, memory, rowBytes);
        NativeMemory.AlignedFree(memory);
        return null;
    }

    /// <summary>Best effort: where the kernel (or the C library) offers no transparent huge pages the copy works on 4 KB pages.</summary>
    private static void OfferHugePages(byte* memory, nuint size)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = Madvise(memory, size, MadviseHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No madvise to call: 4 KB pages.
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(byte* address, nuint length, int advice);

    private static long RowBytesOf(int dimension, StoreElementType element) => (long)dimension * element.ByteSize();

    public void Dispose()
    {
        if (_memory is not null) NativeMemory.AlignedFree(_memory);
        _file?.Dispose();
    }
}
