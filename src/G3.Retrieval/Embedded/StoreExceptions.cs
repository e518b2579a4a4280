using G3.Core.Errors;

namespace G3.Retrieval.Embedded;

/// <summary>Base of the embedded store's typed errors (bad directory, wrong model, corruption, locking).</summary>
public class ReferenceStoreException : G3Exception
{
    public ReferenceStoreException() { }

    public ReferenceStoreException(string message) : base(message) { }

    public ReferenceStoreException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The store on disk was made by another model or with another dimension than the caller expects:
/// its vectors are not comparable with the caller's queries, so it refuses to open.
/// </summary>
public sealed class StoreMismatchException : ReferenceStoreException
{
    public StoreMismatchException() { }

    public StoreMismatchException(string message) : base(message) { }

    public StoreMismatchException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The directory does not hold a readable store: garbage manifest, data shorter than the committed
/// count, checksum mismatch, undecodable payloads. Restore it from a copy or rebuild the index.
/// </summary>
public sealed class StoreCorruptException : ReferenceStoreException
{
    public StoreCorruptException() { }

    public StoreCorruptException(string message) : base(message) { }

    public StoreCorruptException(string message, Exception innerException) : base(message, innerException) { }
}
