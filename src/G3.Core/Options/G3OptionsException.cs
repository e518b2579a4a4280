namespace G3.Core.Options;

/// <summary>Options that cannot run; the message lists every problem found.</summary>
public sealed class G3OptionsException : ArgumentException
{
    public IReadOnlyList<string> Errors { get; }

    public G3OptionsException(IReadOnlyList<string> errors)
        : base("Invalid G3 options: " + string.Join(" ", errors)) => Errors = errors;

    public G3OptionsException() : this(["unknown error"]) { }

    public G3OptionsException(string message) : this([message]) { }

    public G3OptionsException(string message, Exception innerException) : base(message, innerException) => Errors = [message];
}
