using System.Globalization;
using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace G3.Retrieval.Qdrant;

/// <summary>
/// Runs one Qdrant gRPC call with retries and turns every way it can fail into a typed
/// <see cref="QdrantStoreException"/> whose message says what to check. Each attempt carries the
/// client's deadline (<see cref="QdrantStoreOptions.RequestTimeout"/>); only failures that can pass
/// are retried (unavailable, deadline exceeded, resource exhausted, aborted), with exponential
/// backoff and jitter. Inside the retries, a circuit breaker counts the attempts: while Qdrant keeps failing, calls
/// fail at once (no attempt, no timeout) until its break is over and one call probes the server. The caller's cancellation is never retried nor wrapped: it surfaces as
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class QdrantCalls
{
    private readonly QdrantStoreOptions _options;
    private readonly ResiliencePipeline _pipeline;

    public QdrantCalls(QdrantStoreOptions options, TimeProvider? timeProvider)
    {
        _options = options;
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null) builder.TimeProvider = timeProvider;
        if (options.RetryCount > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.RetryCount,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is RpcException e && IsTransient(e.StatusCode)),
            });
        }
        // Added after the retry, so it runs inside it: it sees each attempt, and its refusal (BrokenCircuitException) is
        // no RpcException, so it is not retried.
        if (options.CircuitBreaker is { Enabled: true } breaker)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = breaker.FailureRatio,
                SamplingDuration = breaker.SamplingDuration,
                MinimumThroughput = breaker.MinimumThroughput,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is RpcException e && IsTransient(e.StatusCode)),
            });
        }
        _pipeline = builder.Build();
    }

    /// <summary>The server, as readiness and logs name it.</summary>
    public string Server => $"Qdrant at {_options.Url}";

    public static bool IsTransient(StatusCode status) =>
        status is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted;

    /// <param name="operation">What the call does, for messages ("upsert of 256 points into 'mp16pro'").</param>
    /// <param name="onNotFound">Called before a NotFound is reported (the collection vanished): lets setup run again next time.</param>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, string operation, CancellationToken cancellationToken,
        Action? onNotFound = null)
    {
        var attempts = 0;
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                Interlocked.Increment(ref attempts);
                return await call(token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The {operation} was cancelled.", cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            var wait = e.RetryAfter is { } r ? string.Create(CultureInfo.InvariantCulture, $" for another {Math.Max(0.1, r.TotalSeconds):0.#} s") : "";
            throw new QdrantUnavailableException(
                $"{Server} is unavailable: {operation} was not tried, since Qdrant kept failing and calls fail at once{wait} " +
                $"(the circuit breaker, {QdrantStoreOptions.SectionName}:CircuitBreaker).", attempts, null, e)
            { Server = Server, RetryAfter = e.RetryAfter };
        }
        catch (RpcException e) when (IsTransient(e.StatusCode))
        {
            var cause = e.StatusCode == StatusCode.DeadlineExceeded
                ? string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s")
                : $"{e.StatusCode}: {e.Status.Detail}";
            throw new QdrantUnavailableException(
                $"Qdrant at {_options.Url} is unavailable: {operation} failed after {Attempts(attempts)} ({cause}). " +
                $"Check that the server is running and that {QdrantStoreOptions.SectionName}:Url names its gRPC port (6334 by default).",
                attempts, e.StatusCode, e) { Server = Server };
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            throw new QdrantStoreException(
                $"Qdrant at {_options.Url} refused {operation} ({e.StatusCode}: {e.Status.Detail}). " +
                $"Set the server's API key in {QdrantStoreOptions.SectionName}:ApiKey (environment variable G3_Store__Qdrant__ApiKey).",
                e.StatusCode, e);
        }
        catch (RpcException e) when (IsTlsFailure(e))
        {
            throw new QdrantStoreException(
                $"The TLS handshake with Qdrant at {_options.Url} failed for {operation} ({e.Status.Detail}). " +
                $"Check {QdrantStoreOptions.SectionName}:CertificateThumbprint (the server certificate's SHA-256) or the system's trust store.",
                e.StatusCode, e);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            onNotFound?.Invoke();
            throw new QdrantStoreException(
                $"Qdrant has no collection '{_options.Collection}' for {operation} ({e.Status.Detail}). It was dropped while in use? " +
                "The next call creates it again, empty: re-index with `g3 index`.", e.StatusCode, e);
        }
        catch (RpcException e)
        {
            throw new QdrantStoreException($"Qdrant rejected {operation} ({e.StatusCode}: {e.Status.Detail}).", e.StatusCode, e);
        }
    }

    /// <summary>A refused server certificate: final, since retrying meets the same certificate.</summary>
    private static bool IsTlsFailure(RpcException e)
    {
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
            if (inner is System.Security.Authentication.AuthenticationException) return true;
        return false;
    }

    private static string Attempts(int n) => n == 1 ? "1 attempt" : string.Create(CultureInfo.InvariantCulture, $"{n} attempts");
}
