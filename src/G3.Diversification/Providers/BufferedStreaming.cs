using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// Streaming as "the whole response, then its updates". G3's answers are a few hundred tokens parsed whole, so
/// our clients and decorators stream by buffering: every resilience concern then applies to streaming calls too.
/// </summary>
internal static class BufferedStreaming
{
    public static async IAsyncEnumerable<ChatResponseUpdate> Stream(
        Func<CancellationToken, Task<ChatResponse>> getResponse, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await getResponse(cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }
}
