namespace G3.Host.Apis;

/// <summary>Images sent inside JSON: plain base64, a data URL ("data:image/jpeg;base64,..."), or an http(s) URL.</summary>
internal static class ImagePayload
{
    public static bool IsRemote(string value) =>
        value.TrimStart().StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.TrimStart().StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes inline images and fetches remote ones (through the SSRF-safe fetcher).</summary>
    public static async Task<(G3.Core.Ports.QueryImage? Image, string? Problem)> ResolveAsync(string value, G3.Host.Security.ImageFetcher fetcher, CancellationToken ct)
    {
        if (IsRemote(value))
        {
            var (fetched, type) = await fetcher.FetchAsync(value.Trim(), ct);
            return (new G3.Core.Ports.QueryImage(fetched, type), null);
        }
        return TryDecode(value, out var bytes, out var mediaType, out var problem) ? (new G3.Core.Ports.QueryImage(bytes, mediaType), null) : (null, problem);
    }

    public static bool TryDecode(string value, out byte[] bytes, out string? mediaType, out string? problem)
    {
        bytes = [];
        mediaType = null;
        problem = null;
        var data = value.Trim();
        if (data.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = data.IndexOf(',', StringComparison.Ordinal);
            var header = comma > 0 ? data[5..comma] : "";
            if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                problem = "a data URL image must be base64-encoded (data:image/...;base64,...)";
                return false;
            }
            mediaType = header[..^";base64".Length];
            data = data[(comma + 1)..];
        }
        try
        {
            bytes = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            problem = "'image' is not valid base64";
            return false;
        }
        if (bytes.Length == 0)
        {
            problem = "'image' is empty";
            return false;
        }
        return true;
    }
}
