using G3.Host.Apis;
using G3.Host.Composition;
using Polly;
using Polly.Retry;

namespace G3.Host.Hosting;

/// <summary>
/// Waiting for servers, with capped exponential back-off (a Polly retry with no attempt limit, shaped by
/// <see cref="DependencySettings"/>), each wait reported in <see cref="StartupStatus"/> so /readyz says what the
/// service waits for, since when, and when it tries next.
/// <list type="bullet">
/// <item>At start (<see cref="RunAsync"/>): work that fails because a server cannot be reached is run again until it
/// succeeds; any other failure is final and propagates.</item>
/// <item>While running (<see cref="WatchAsync"/>): each cheap probe runs every <c>ProbeInterval</c>; when one fails,
/// readiness drops and the probe is retried with back-off until the server answers, then readiness comes back.</item>
/// </list>
/// </summary>
internal sealed class ServerWaits(DependencySettings settings, StartupStatus status, ILogger log, TimeProvider time)
{
    /// <summary>Runs <paramref name="work"/> until it succeeds, waiting out server outages (<see cref="ServerOutage"/>).</summary>
    public async Task RunAsync(Func<CancellationToken, ValueTask> work, CancellationToken cancellationToken)
    {
        await Pipeline(e => ServerOutage.Of(e)?.Server).ExecuteAsync(work, cancellationToken);
        Answered();
    }

    /// <summary>Until <paramref name="cancellationToken"/> fires: probes every server that allows it, and waits for any that stops answering.</summary>
    public async Task WatchAsync(IReadOnlyList<IServerProbe> probes, CancellationToken cancellationToken)
    {
        var watched = probes.Where(p => p.WhileRunning).ToList();
        if (watched.Count == 0) return;
        while (true)
        {
            await Task.Delay(settings.ProbeInterval, time, cancellationToken);
            foreach (var probe in watched)
            {
                try
                {
                    await probe.ProbeAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Readiness drops at once; then, once the service has started, nothing is final: whatever the probe
                    // meets (down, a dropped collection) is waited out and named in /readyz.
                    var now = time.GetUtcNow();
                    status.Wait(probe.Server, now, now + settings.RetryBaseDelay, e.Message);
                    log.LogWarning("{Server} stopped answering; not ready until it does: {Reason}", probe.Server, e.Message);
                    await Pipeline(_ => probe.Server).ExecuteAsync(async ct => await probe.ProbeAsync(ct), cancellationToken);
                    Answered();
                }
            }
        }
    }

    private void Answered()
    {
        if (status.Waiting is not { } waited) return;
        status.Answered();
        log.LogInformation("{Server} answers again after {Duration}", waited.Server, time.GetUtcNow() - waited.Since);
    }

    /// <param name="serverOf">The server a failure shows unreachable; null for a failure that is final.</param>
    private ResiliencePipeline Pipeline(Func<Exception, string?> serverOf) =>
        new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = settings.RetryBaseDelay,
            MaxDelay = settings.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e and not OperationCanceledException && serverOf(e) is not null),
            OnRetry = args =>
            {
                var e = args.Outcome.Exception!;
                var server = serverOf(e)!;
                var now = time.GetUtcNow();
                status.Wait(server, now, now + args.RetryDelay, e.Message);
                log.LogWarning("Waiting for {Server}: attempt {Attempt} failed, next in {Delay}: {Reason}", server, args.AttemptNumber + 1, args.RetryDelay, e.Message);
                return ValueTask.CompletedTask;
            },
        }).Build();
}
