using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace G3.Host.Tests.Hostile;

/// <summary>An HTTP answer read off the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json() => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// HTTP/1.1 over a plain socket, for requests HttpClient will not send as written: paths with dot
/// segments or percent-encoding kept verbatim, a Content-Length larger than the body, chunked bodies
/// that never end, bodies trickled a byte at a time.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends the head and body as given (the body in <paramref name="pieces"/> separated by <paramref name="pause"/>), then reads the answer.</summary>
    public static async Task<RawResponse> SendAsync(int port, string head, IEnumerable<byte[]>? pieces = null, TimeSpan pause = default, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        using var socket = new TcpClient { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = socket.GetStream();
        var reading = ReadAllAsync(stream, cts.Token);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n").TrimEnd() + "\r\n\r\n"), cts.Token);
            foreach (var piece in pieces ?? [])
            {
                if (reading.IsCompleted) break; // the server has answered (and may have closed): stop sending
                await stream.WriteAsync(piece, cts.Token);
                if (pause > TimeSpan.Zero) await Task.WhenAny(Task.Delay(pause, cts.Token), reading);
            }
        }
        catch (IOException)
        {
            // The server closed the connection mid-body, as it may once it has refused the request.
        }
        return Parse(await reading);
    }

    private static async Task<byte[]> ReadAllAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (IsComplete(buffer.ToArray())) break;
            }
        }
        catch (IOException)
        {
        }
        return buffer.ToArray();
    }

    /// <summary>A whole response has arrived: its headers and the body they announce.</summary>
    private static bool IsComplete(byte[] data)
    {
        var text = Encoding.Latin1.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var head = text[..end];
        var body = text[(end + 4)..];
        if (head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase)) return body.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));
        return length is not null && body.Length >= int.Parse(length[15..].Trim(), CultureInfo.InvariantCulture);
    }

    private static RawResponse Parse(byte[] data)
    {
        // Latin-1 keeps one char per byte, so chunk sizes (in bytes) index the text; the body is UTF-8 decoded last.
        var text = Encoding.Latin1.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) throw new InvalidOperationException("no HTTP answer came back: '" + text + "'");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = text[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new RawResponse(status, headers, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)));
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0) break;
            var size = int.Parse(body[at..lineEnd].Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0) break;
            result.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return result.ToString();
    }
}
