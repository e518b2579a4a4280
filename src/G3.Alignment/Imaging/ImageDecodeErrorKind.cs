namespace G3.Alignment.Imaging;

/// <summary>Why an image could not be decoded; lets callers map failures to user-facing status codes.</summary>
public enum ImageDecodeErrorKind
{
    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>The encoded file is larger than <see cref="ImageLimits.MaxEncodedBytes"/>.</summary>
    TooLarge,

    /// <summary>The header declares more pixels (or a longer side) than <see cref="ImageLimits"/> allows.</summary>
    TooManyPixels,

    /// <summary>Not JPEG, PNG or WebP (GIF, BMP, HEIC, text...), or a variant of those this decoder does not handle.</summary>
    Unsupported,

    /// <summary>The data ends before the image does (an interrupted upload or a cut file).</summary>
    Truncated,

    /// <summary>The data is damaged or inconsistent (bad checksums, invalid codes, impossible headers).</summary>
    Corrupt,
}
