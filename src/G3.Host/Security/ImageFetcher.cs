using System.Net;
using System.Net.Sockets;
using G3.Alignment.Imaging;

namespace G3.Host.Security;

/// <summary>
/// A URL the service will not fetch, and why (the API answers 400). <see cref="Detail"/> holds what
/// went wrong underneath (a socket error naming an address): it goes to the log, never to the client.
/// </summary>
public sealed class ImageUrlRefusedException(string message, string? detail = null) : G3.Core.Errors.G3Exception(message)
{
    public string? Detail { get; } = detail;
}

/// <summary>
/// Fetches an image URL for a request: http/https only; every connection goes to an address that
/// passed <see cref="AddressPolicy"/>, checked after DNS resolution at connect time (so DNS rebinding
/// cannot slip past); redirects are followed by hand, at most three, each re-checked; the body is
/// limited in size, and the whole fetch (connect, headers and body, redirects included) in time. The
/// image is kept in memory only.
/// </summary>
public sealed class ImageFetcher : IDisposable
{
    private const int MaxRedirects = 3;
    private readonly HttpClient _http;
    private readonly long _maxBytes;
    private readonly TimeSpan _timeout;

    public ImageFetcher(ImageLimits limits, TimeSpan timeout, Func<IPAddress, bool>? isAllowed = null)
    {
        var allowed = isAllowed ?? AddressPolicy.IsPublic;
        _maxBytes = limits.MaxEncodedBytes;
        _timeout = timeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            ConnectCallback = async (context, ct) =>
            {
                var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
                var permitted = addresses.Where(allowed).ToArray();
                if (permitted.Length == 0)
                    throw new ImageUrlRefusedException($"the image URL's host '{context.DnsEndPoint.Host}' resolves only to private, loopback or link-local addresses, which the service does not fetch from");
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = timeout };
    }

    public async Task<(byte[] Bytes, string? MediaType)> FetchAsync(string url, CancellationToken cancellationToken)
    {
        // One clock for the whole fetch: a server that sends headers and then trickles the body is cut off too.
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(_timeout);
        try
        {
            return await FetchWithinAsync(url, timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageUrlRefusedException("fetching the image URL timed out");
        }
        catch (HttpRequestException e)
        {
            throw new ImageUrlRefusedException("fetching the image URL failed: the connection failed or was cut", e.Message);
        }
        catch (IOException e)
        {
            throw new ImageUrlRefusedException("fetching the image URL failed: the connection failed or was cut", e.Message);
        }
    }

    private async Task<(byte[] Bytes, string? MediaType)> FetchWithinAsync(string url, CancellationToken cancellationToken)
    {
        var uri = Check(url);
        for (var hop = 0; ; hop++)
        {
            using var response = await SendAsync(uri, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (hop == MaxRedirects) throw new ImageUrlRefusedException($"the image URL redirects more than {MaxRedirects} times");
                uri = Check(new Uri(uri, location).ToString());
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw new ImageUrlRefusedException($"fetching the image URL failed: HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > _maxBytes)
                throw new ImageDecodeException(ImageDecodeErrorKind.TooLarge, $"the image at the URL is {response.Content.Headers.ContentLength} bytes; the limit is {_maxBytes}");
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > _maxBytes)
                    throw new ImageDecodeException(ImageDecodeErrorKind.TooLarge, $"the image at the URL is larger than the limit of {_maxBytes} bytes");
            }
            return (buffer.ToArray(), response.Content.Headers.ContentType?.MediaType);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, CancellationToken ct)
    {
        try
        {
            return await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is ImageUrlRefusedException refused)
        {
            throw refused;
        }
        catch (HttpRequestException e)
        {
            // The socket's message names addresses inside the network ("Connection refused (10.0.0.5:80)"): log only.
            throw new ImageUrlRefusedException("fetching the image URL failed: the host could not be reached", e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ImageUrlRefusedException("fetching the image URL timed out");
        }
    }

    private static Uri Check(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ImageUrlRefusedException("image URLs must be absolute http or https URLs");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new ImageUrlRefusedException("image URLs must not carry credentials");
        return uri;
    }

    public void Dispose() => _http.Dispose();
}
