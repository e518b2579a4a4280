namespace G3.Diversification.Caching;

/// <summary>
/// Stampede protection across replicas, which HybridCache does not give (its single flight is per process): before a
/// replica asks a provider for answers no cache holds, it takes a lease named for them on the shared cache server. A
/// replica that finds the lease taken waits until it is released (the holder has stored its answers by then); whoever
/// holds the lease reads the cache again before asking, so answers stored a moment earlier are replayed, not bought twice. The lease expires by itself, so a replica that dies holding one delays the others by at most its lifetime.
/// </summary>
public interface IAnswerLease
{
    /// <summary>
    /// Takes the lease <paramref name="key"/>, waiting while another holder has it. Never throws for the server's sake:
    /// when the server cannot be asked the caller goes on without a lease (and may pay for answers another replica pays for too).
    /// </summary>
    Task<AnswerLease> AcquireAsync(string key, CancellationToken cancellationToken);
}

/// <summary>A lease taken (released on dispose), or none.</summary>
public sealed class AnswerLease(Func<Task>? release) : IAsyncDisposable
{
    public static AnswerLease None { get; } = new(null);

    public async ValueTask DisposeAsync()
    {
        if (release is not null) await release().ConfigureAwait(false);
    }
}
