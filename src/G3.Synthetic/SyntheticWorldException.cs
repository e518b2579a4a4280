using G3.Core.Errors;

namespace G3.Synthetic;

/// <summary>Invalid generator settings or an output folder that cannot be written; the message says what to change.</summary>
public sealed class SyntheticWorldException : G3Exception
{
    public SyntheticWorldException() { }

    public SyntheticWorldException(string message) : base(message) { }

    public SyntheticWorldException(string message, Exception innerException) : base(message, innerException) { }
}
