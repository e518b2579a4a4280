using System.IO.MemoryMappedFiles;

namespace G3.Retrieval.Embedded;

/// <summary>
/// A read-only memory map of the first <see cref="Length"/> bytes of a file, exposed as a pointer.
/// The page cache is shared, so mapping the same file again after an append costs nothing but the call.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private bool _disposed;

    private MappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, byte* pointer, long length)
    {
        _map = map;
        _view = view;
        Pointer = pointer;
        Length = length;
    }

    public byte* Pointer { get; }

    public long Length { get; }

    /// <summary>Maps <paramref name="length"/> bytes; null for an empty region (an empty file cannot be mapped).</summary>
    public static MappedFile? Map(string path, long length)
    {
        if (length == 0) return null;
        // FileShare.ReadWrite: the writer keeps appending to the same file while readers hold maps.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        MemoryMappedFile? map = null;
        try
        {
            map = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedFile(map, view, pointer + view.PointerOffset, length);
        }
        catch
        {
            if (map is not null) map.Dispose(); else stream.Dispose();
            throw;
        }
    }

    public ReadOnlySpan<byte> Span(long offset, int length) => new(Pointer + offset, length);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
