using Grpc.Core;
using G3.Core.Errors;

namespace G3.Retrieval.Qdrant;

/// <summary>
/// Base of the Qdrant store's errors. Thrown as such when Qdrant rejected a request (invalid
/// argument, unauthenticated, an internal error): retrying would not help; the message carries
/// Qdrant's own explanation and what to check.
/// </summary>
public class QdrantStoreException : G3Exception
{
    /// <summary>The gRPC status Qdrant answered with, when it answered at all.</summary>
    public StatusCode? StatusCode { get; }

    public QdrantStoreException() { }

    public QdrantStoreException(string message) : base(message) { }

    public QdrantStoreException(string message, Exception innerException) : base(message, innerException) { }

    public QdrantStoreException(string message, StatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException!) => StatusCode = statusCode;
}

/// <summary>
/// Qdrant could not be reached or kept failing transiently after every retry (down, overloaded, too slow), or its
/// circuit is open and the call failed at once. Waiting can cure it: the host answers 503 and keeps probing.
/// </summary>
public sealed class QdrantUnavailableException : QdrantStoreException
{
    /// <summary>How many gRPC attempts were made before giving up (0 when the open circuit refused the call).</summary>
    public int Attempts { get; }

    /// <summary>Which server, for readiness and logs: "Qdrant at http://host:6334".</summary>
    public string Server { get; init; } = "Qdrant";

    /// <summary>When the circuit is open: how long until it lets a call through again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public QdrantUnavailableException() { }

    public QdrantUnavailableException(string message) : base(message) { }

    public QdrantUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    public QdrantUnavailableException(string message, int attempts, StatusCode? statusCode, Exception? innerException)
        : base(message, statusCode, innerException) => Attempts = attempts;
}

/// <summary>Qdrant answered with data this store cannot read (a point without the payload G3 writes).</summary>
public sealed class QdrantProtocolException : QdrantStoreException
{
    public QdrantProtocolException() { }

    public QdrantProtocolException(string message) : base(message) { }

    public QdrantProtocolException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The configured collection exists with a vector size or distance this store was not configured for.</summary>
public sealed class QdrantCollectionMismatchException : QdrantStoreException
{
    public QdrantCollectionMismatchException() { }

    public QdrantCollectionMismatchException(string message) : base(message) { }

    public QdrantCollectionMismatchException(string message, Exception innerException) : base(message, innerException) { }
}
