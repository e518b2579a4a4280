namespace G3.Host.Apis;

/// <summary>Images sent inside JSON: plain base64 or a data URL ("data:image/jpeg;base64,...").</summary>
internal static class ImagePayload
{
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
        else if (data.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || data.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            problem = "image URLs are not fetched by /v1/geolocate; send the image as base64, a data URL, or a multipart upload";
            return false;
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
