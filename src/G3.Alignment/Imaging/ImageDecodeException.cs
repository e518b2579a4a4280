using G3.Core.Errors;

namespace G3.Alignment.Imaging;

/// <summary>An image that cannot be decoded. <see cref="Kind"/> says why; the message says what to do about it.</summary>
public sealed class ImageDecodeException : G3Exception
{
    public ImageDecodeErrorKind Kind { get; }

    public ImageDecodeException(ImageDecodeErrorKind kind, string message) : base(message) => Kind = kind;

    public ImageDecodeException(ImageDecodeErrorKind kind, string message, Exception innerException)
        : base(message, innerException) => Kind = kind;

    public ImageDecodeException() : this(ImageDecodeErrorKind.Corrupt, "the image could not be decoded") { }

    public ImageDecodeException(string message) : this(ImageDecodeErrorKind.Corrupt, message) { }

    public ImageDecodeException(string message, Exception innerException)
        : this(ImageDecodeErrorKind.Corrupt, message, innerException) { }
}
