using System.Collections.Concurrent;

namespace G3.Diversification.Caching;

/// <summary>
/// Single flight: identical requests that arrive while the first is still being answered wait for
/// its answer instead of asking the provider again (a double-clicked question, a client's retry,
/// an experiment with the same photo twice). The cache (HybridCache, <see cref="ResponseCache"/>) serves
/// identical requests that come later; this covers the window before the first answer is stored.
/// Kept beside HybridCache, whose own stampede protection does not fit: it guards one value per key,
/// while one provider call answers several samples (possibly under a fallback's keys), and it keeps
/// the call running for the followers when the first caller is cancelled, where the rule here is that
/// the followers are not cancelled with it and the next one asks again. It covers one process; across
/// replicas the lease on the cache server does (<see cref="IAnswerLease"/>).
/// </summary>
public sealed class InFlightRequests
{
    private readonly ConcurrentDictionary<string, Task<object>> _running = new(StringComparer.Ordinal);
    private long _shared;
    private int _waiting;

    /// <summary>Requests answered by waiting for an identical one in flight.</summary>
    public long Shared => Interlocked.Read(ref _shared);

    /// <summary>Requests waiting for an identical one in flight right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Runs <paramref name="fetch"/> for <paramref name="key"/>, or waits for the identical run already in flight.</summary>
    public async Task<T> RunAsync<T>(string key, Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken) where T : class
    {
        while (true)
        {
            var mine = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = _running.GetOrAdd(key, mine.Task);
            if (running != mine.Task)
            {
                Interlocked.Increment(ref _waiting);
                try
                {
                    var shared = (T)await running.WaitAsync(cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _shared);
                    return shared;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The first caller was cancelled, not us: ask again (as the first, or behind a newer one).
                    continue;
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }
            }

            try
            {
                var result = await fetch(cancellationToken).ConfigureAwait(false);
                mine.SetResult(result);
                return result;
            }
            catch (OperationCanceledException)
            {
                mine.SetCanceled(CancellationToken.None);
                throw;
            }
            catch (Exception ex)
            {
                mine.SetException(ex);
                throw;
            }
            finally
            {
                _running.TryRemove(new KeyValuePair<string, Task<object>>(key, mine.Task));
            }
        }
    }
}
