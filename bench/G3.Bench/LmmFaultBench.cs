using System.Diagnostics;
using System.Globalization;
using G3.Core.Options;
using G3.Core.Ports;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;

namespace G3.Bench;

/// <summary>
/// 200 requests through the real pipeline, generator, provider chain and middleware, against an in-memory primary of
/// which 30 % of calls fail fast (transient 503) and 10 % hang until cancelled, with a healthy fallback (one call per
/// sample). Every request must answer within the request timeout; reports the share with language-model candidates.
/// The budget is scaled down (shipped: 60 s stage, 120 s request) so the bench takes about a minute; the ratios between
/// budget, hand-over, attempt timeout and request timeout are the shipped ones.
///   dotnet run -c Release --project bench/G3.Bench -- lmm-faults [budget-seconds] [requests] [users]
/// </summary>
public static class LmmFaultBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var budget = TimeSpan.FromSeconds(args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 4);
        var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var users = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var requestTimeout = budget * 2; // shipped: RequestTimeoutSeconds 120 = 2 × GenerationDeadlineSeconds 60
        var latency = TimeSpan.FromMilliseconds(150);
        var options = new G3Options { ReferenceCounts = [0, 5, 10, 15], SamplesPerPrompt = 10, GenerationDeadline = budget };
        var resilience = new LmmResilienceOptions
        {
            Timeout = budget / 2, // shipped: 30 s of 60 s
            Retry = new LmmRetryOptions { MaxRetries = 3, BaseDelay = budget / 60, MaxDelay = budget / 2, MaxRetryAfter = budget / 2 }, // shipped 1 s, 30 s, 30 s
        };
        var primary = new FaultyClient(latency, faultPercent: 30, hangPercent: 10);
        var fallback = new FanOutComparison.FixedLatencyClient(latency, faultPercent: 0);
        using var stage = FanOutComparison.Stage.Create(primary, perCall: 128, fallback: fallback, resilience: resilience);
        var image = new QueryImage(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0 });

        Console.WriteLine($"{requests} requests, {users} at a time; primary: 30 % transient faults, 10 % hangs, {latency.TotalMilliseconds} ms otherwise; fallback healthy (one call per sample)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"budget {budget.TotalSeconds} s, hand-over at {new LmmBudgetOptions().HandoverAfter} of it, attempt timeout {resilience.Timeout.TotalSeconds} s, request timeout {requestTimeout.TotalSeconds} s, MaxConcurrentCalls {FanOutComparison.ShippedMaxConcurrentCalls}"));
        Console.WriteLine($"threads: {Environment.ProcessorCount} logical processors");
        var walls = new double[requests];
        var withLmm = 0;
        var fromFallbackOnly = 0;
        var late = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, users).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                using var timeout = new CancellationTokenSource(requestTimeout);
                var sw = Stopwatch.StartNew();
                var result = await stage.Pipeline.RunAsync(image, options, cancellationToken: timeout.Token);
                walls[i] = sw.Elapsed.TotalMilliseconds;
                if (sw.Elapsed > requestTimeout) Interlocked.Increment(ref late);
                if (result.LmmCandidates.Any(c => c.IsValid)) Interlocked.Increment(ref withLmm);
            }
        }));
        fromFallbackOnly = fallback.Calls;
        var sorted = walls.Order().ToArray();
        Console.WriteLine("| requests | answered within request timeout | with LMM candidates | median (ms) | p95 (ms) | max (ms) | primary calls | fallback calls |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {requests} | {requests - late}/{requests} | {withLmm}/{requests} ({100.0 * withLmm / requests:0.0} %) | {sorted[requests / 2]:0} | {sorted[(int)(requests * 0.95)]:0} | {sorted[^1]:0} | {primary.Calls} | {fromFallbackOnly} |"));
        return late == 0 ? 0 : 1;
    }

    /// <summary>A primary whose calls fail fast (503), hang until cancelled, or answer after a fixed delay, spread evenly.</summary>
    private sealed class FaultyClient(TimeSpan latency, int faultPercent, int hangPercent) : IChatClient
    {
        private int _calls;
        public int Calls => _calls;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var slot = Interlocked.Increment(ref _calls) * 37 % 100; // a fixed, even spread over 0..99
            if (slot < hangPercent)
                await Task.Delay(Timeout.Infinite, cancellationToken);
            if (slot < hangPercent + faultPercent)
            {
                await Task.Delay(20, cancellationToken);
                throw LmmProviderException.FromStatus("stub", 503, "injected fault", retryAfter: null);
            }
            await Task.Delay(latency, cancellationToken);
            var n = LmmCallSettings.Of(options).Choices;
            return new ChatResponse(Enumerable.Range(0, n).Select(_ => new ChatMessage(ChatRole.Assistant, "{\"latitude\": 45.76, \"longitude\": 4.84}")).ToList());
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }
}
