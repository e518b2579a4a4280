using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Stubs;

internal static class TestImages
{
    /// <summary>A real 16×16 JPEG (a red square), small enough to inline.</summary>
    public const string RedSquareJpegBase64 =
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDgKKKK+eP2E//Z";

    public static byte[] RedSquareJpeg => Convert.FromBase64String(RedSquareJpegBase64);

    /// <summary>A G3-style request: a system prompt, then the image and the question in one user message.</summary>
    public static List<ChatMessage> GeolocationPrompt(string? detail = null)
    {
        var image = new DataContent(RedSquareJpeg, "image/jpeg");
        if (detail is not null)
            image.AdditionalProperties = new() { [ChatConventions.ImageDetail] = detail };
        return
        [
            new ChatMessage(ChatRole.System, "You are an expert in geolocation."),
            new ChatMessage(ChatRole.User, [new TextContent("Where was this photo taken? Answer with a JSON object."), image]),
        ];
    }
}
