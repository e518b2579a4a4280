namespace G3.Core.Errors;

/// <summary>Base of the service's typed errors: each carries a message a user can act on.</summary>
public class G3Exception : Exception
{
    public G3Exception() { }

    public G3Exception(string message) : base(message) { }

    public G3Exception(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A request that was valid but produced no candidate at all (nothing retrieved, no LMM answer).</summary>
public sealed class GeolocationFailedException : G3Exception
{
    public GeolocationFailedException() { }

    public GeolocationFailedException(string message) : base(message) { }

    public GeolocationFailedException(string message, Exception innerException) : base(message, innerException) { }
}
