namespace G3.Retrieval.Embedded;

/// <summary>
/// The writer's handles: an exclusive lock file (one writing process per store; the OS drops it when
/// the process dies) and the three append-only data files, positioned at their committed ends.
/// </summary>
internal sealed class StoreWriter : IDisposable
{
    private readonly StoreFiles _files;
    private readonly FileStream _lock;

    private StoreWriter(StoreFiles files, FileStream lockFile)
    {
        _files = files;
        _lock = lockFile;
    }

    public FileStream Vectors { get; private set; } = null!;
    public FileStream Payloads { get; private set; } = null!;
    public FileStream Tombstones { get; private set; } = null!;

    public static StoreWriter AcquireLock(StoreFiles files)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix, released when the process exits.
            var lockFile = new FileStream(files.WriterLock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new StoreWriter(files, lockFile);
        }
        catch (IOException e)
        {
            throw new ReferenceStoreException(
                $"the reference store at {files.Directory} is open for writing in another process; " +
                "open it read-only or stop that process", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ReferenceStoreException($"the reference store at {files.Directory} is not writable ({e.Message}); open it read-only", e);
        }
    }

    /// <summary>Opens the data files and cuts them back to the committed lengths (an interrupted append's leftovers).</summary>
    public void OpenDataFiles(StoreManifest manifest)
    {
        Vectors = OpenAt(_files.Vectors, manifest.VectorBytes);
        Payloads = OpenAt(_files.Payloads, manifest.PayloadBytes);
        Tombstones = OpenAt(_files.Tombstones, (long)manifest.Tombstones * sizeof(long));
        if (File.Exists(_files.Manifest + ".tmp")) File.Delete(_files.Manifest + ".tmp");
    }

    /// <summary>Positions a data file for an append after the committed bytes, dropping anything beyond them.</summary>
    public static void PrepareAppend(FileStream stream, long committed)
    {
        if (stream.Length != committed) stream.SetLength(committed);
        stream.Position = committed;
    }

    private static FileStream OpenAt(string path, long committed)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1 << 20);
        try
        {
            PrepareAppend(stream, committed);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Vectors?.Dispose();
        Payloads?.Dispose();
        Tombstones?.Dispose();
        _lock.Dispose();
    }
}
