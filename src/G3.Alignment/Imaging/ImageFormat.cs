namespace G3.Alignment.Imaging;

/// <summary>The encoded formats the decoder handles.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
}
