namespace G3.Host.Composition;

/// <summary>The part of section <c>Images</c> the host reads itself (the decoder's limits bind to ImageLimits).</summary>
public sealed class ImageFetchSettings
{
    public const string SectionName = "Images";

    /// <summary>Time limit for fetching an image URL.</summary>
    public double UrlTimeoutSeconds { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (UrlTimeoutSeconds <= 0) yield return $"Images:UrlTimeoutSeconds must be positive (got {UrlTimeoutSeconds}).";
    }
}
