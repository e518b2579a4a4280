using System.Diagnostics;
using System.Globalization;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Orchestration;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;

namespace G3.Bench;

/// <summary>
/// Fan-out overhead of the LMM stage: wall time of one K×N generation through the real pipeline, generator, Semantic
/// Kernel prompt functions and provider middleware (M.E.AI ChatClientBuilder, the Polly resilience pipeline, the global
/// in-flight limit, at the shipped MaxConcurrentCalls and at 64), divided by the slowest single call, with an in-memory raw client of fixed latency in place of the
/// provider SDK. Then the same with a share of calls failing transiently (503): every request must still be answered.
///   dotnet run -c Release --project bench/G3.Bench -- fanout [latency-ms] [repeats] [fault-percent]
/// </summary>
public static class FanOutComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var latency = TimeSpan.FromMilliseconds(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300);
        var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var faultPercent = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
        var image = new QueryImage(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0 });
        var options = new G3Options { ReferenceCounts = [0, 5, 10, 15], SamplesPerPrompt = 10, GenerationDeadline = null };

        Console.WriteLine($"K×N = {options.VariantCount * options.SamplesPerPrompt}, stub latency {latency.TotalMilliseconds} ms, {repeats} repeats (median reported)");
        Console.WriteLine($"{WarmUpRequests} untimed warm-up requests per mode; start spread = first call's start to last call's start");
        Console.WriteLine($"threads: {Environment.ProcessorCount} logical processors; thread pool min {MinThreads()}");
        Console.WriteLine("| mode | MaxConcurrentCalls | calls | wall (ms) | slowest call (ms) | start spread (ms) | wall ÷ slowest call |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, perCall) in Modes)
        foreach (var limit in Limits)
        {
            // Untimed requests first, so the figures are the steady state a running service sees: without them the JIT's
            // first compilations and tier-ups land in the first timed repeats of whichever mode runs first.
            using (var warm = Stage.Create(new FixedLatencyClient(latency, faultPercent: 0), perCall, limit))
                for (var w = 0; w < WarmUpRequests; w++)
                    await warm.Pipeline.RunAsync(image, options);
            var walls = new List<double>();
            var slowest = new List<double>();
            var spreads = new List<double>();
            var calls = 0;
            for (var r = 0; r < repeats; r++)
            {
                var client = new FixedLatencyClient(latency, faultPercent: 0);
                using var stage = Stage.Create(client, perCall, limit);
                var result = await stage.Pipeline.RunAsync(image, options);
                walls.Add(result.Timings.Generate.TotalMilliseconds);
                slowest.Add(client.SlowestMs);
                calls = client.Calls;
                spreads.Add(client.StartSpreadMs);
            }
            var wall = Median(walls);
            var slow = Median(slowest);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {limit} | {calls} | {wall:0.0} | {slow:0.0} | {Median(spreads):0.0} | {wall / slow:0.000} |"));
        }
        // CPU the stage spends per provider call (rendering, kernel, middleware, parsing), from process CPU time with a
        // zero-latency client: less sensitive to a shared machine's load than wall time. What fan-out adds to the slowest
        // call is roughly this × calls ÷ cores.
        foreach (var (name, perCall) in Modes)
        {
            var client = new FixedLatencyClient(TimeSpan.Zero, faultPercent: 0);
            using var stage = Stage.Create(client, perCall);
            await stage.Pipeline.RunAsync(image, options); // warm-up (JIT)
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var before = client.Calls;
            for (var r = 0; r < 20; r++)
                await stage.Pipeline.RunAsync(image, options);
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU per provider call, {name}: {used.TotalMilliseconds * 1000 / (client.Calls - before):0} µs over {client.Calls - before} calls"));
        }
        var sequential = options.VariantCount * options.SamplesPerPrompt * latency.TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reference scripts (one HTTP call at a time, 40 calls): ≥ {sequential:0} ms by construction"));

        Console.WriteLine();
        Console.WriteLine($"{faultPercent} % of calls fail with a transient 503 (3 retries, 50 ms base back-off); {repeats} requests per mode");
        Console.WriteLine("| mode | requests answered | degraded | valid LMM candidates | provider-error candidates | calls (incl. retries) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, perCall) in Modes)
        {
            var client = new FixedLatencyClient(latency, faultPercent);
            using var stage = Stage.Create(client, perCall);
            var answered = 0;
            var degraded = 0;
            var valid = 0;
            var errors = 0;
            for (var r = 0; r < repeats; r++)
            {
                var result = await stage.Pipeline.RunAsync(image, options);
                answered += result.Best is null ? 0 : 1;
                degraded += result.Degraded ? 1 : 0;
                valid += result.LmmCandidates.Count(c => c.IsValid);
                errors += result.LmmCandidates.Count(c => c.Outcome == ParseOutcome.ProviderError);
            }
            Console.WriteLine($"| {name} | {answered}/{repeats} | {degraded} | {valid}/{repeats * 40} | {errors} | {client.Calls} |");
        }
        return 0;
    }

    private const int WarmUpRequests = 3;

    private static readonly (string Name, int PerCall)[] Modes = [("one call per sample (Ollama-style)", 1), ("n samples per call (OpenAI n)", 128)];

    /// <summary>The global limit each timing runs at: the shipped default, then a limit above one request's 40 calls.</summary>
    private static int[] Limits => [ShippedMaxConcurrentCalls, 64];

    private static string MinThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        return $"{workers} workers / {io} I/O";
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The LMM stage as the registry composes it, over in-memory raw clients (a primary, optionally a fallback).</summary>
    internal sealed class Stage : IDisposable
    {
        private readonly LmmTelemetry _telemetry = new();
        private readonly LmmConcurrencyLimiter _limiter;

        private Stage(IChatClient raw, int perCall, int maxConcurrentCalls, IChatClient? fallback, LmmResilienceOptions? resilience, LmmBudgetOptions? budget)
        {
            _limiter = new LmmConcurrencyLimiter(maxConcurrentCalls);
            resilience ??= new LmmResilienceOptions
            {
                Timeout = TimeSpan.FromSeconds(10),
                Retry = new LmmRetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) },
            };
            var builder = new LmmClientBuilder(_telemetry);
            var services = new List<(string, IChatClient)> { ("stub", builder.BuildProviderPipeline("stub", "stub", resilience, _limiter, raw)) };
            var info = new LmmProviderInfo("stub", "openai", "stub", perCall);
            if (fallback is not null)
            {
                services.Add(("fallback", builder.BuildProviderPipeline("fallback", "fallback", resilience, _limiter, fallback)));
                info = info with { Fallbacks = [new LmmProviderInfo("fallback", "ollama", "fallback", 1, "llava", MaxImages: 1)] };
            }
            var context = new LmmChainContext(TimeProvider.System, budget ?? new LmmBudgetOptions(), new Dictionary<string, Polly.CircuitBreaker.CircuitBreakerStateProvider>());
            var generator = new LmmCandidateGenerator(LmmKernel.Create(services, chain: context), info, PromptTemplates.Default, ResponseCache.Disabled);
            Pipeline = new G3Pipeline(new NullEncoder(), new TinyStore(), new FirstVerifier(), generator);
        }

        public G3Pipeline Pipeline { get; }

        public static Stage Create(IChatClient raw, int perCall, int? maxConcurrentCalls = null, IChatClient? fallback = null,
            LmmResilienceOptions? resilience = null, LmmBudgetOptions? budget = null) =>
            new(raw, perCall, maxConcurrentCalls ?? ShippedMaxConcurrentCalls, fallback, resilience, budget);

        public void Dispose()
        {
            _limiter.Dispose();
            _telemetry.Dispose();
        }
    }

    /// <summary>The shipped Lmm:MaxConcurrentCalls.</summary>
    internal static int ShippedMaxConcurrentCalls => new LmmOptions().MaxConcurrentCalls;

    /// <summary>
    /// Answers every call after a fixed delay, with as many choices as asked, or (faultPercent of calls, spread evenly)
    /// fails fast with a transient 503; times each successful call.
    /// </summary>
    internal sealed class FixedLatencyClient(TimeSpan latency, int faultPercent) : IChatClient
    {
        private long _firstStart, _lastStart;
        private long _slowestTicks;
        private int _calls;
        public int Calls => _calls;
        /// <summary>How long after the first call the last one started: the stage's synchronous work per call, serialised.</summary>
        public double StartSpreadMs => Stopwatch.GetElapsedTime(Interlocked.Read(ref _firstStart), Interlocked.Read(ref _lastStart)).TotalMilliseconds;
        public double SlowestMs => TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks)).TotalMilliseconds;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            if (call * faultPercent % 100 >= 100 - faultPercent)
            {
                await Task.Delay(20, cancellationToken);
                throw LmmProviderException.FromStatus("stub", 503, "injected fault", retryAfter: null);
            }
            var sw = Stopwatch.StartNew();
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref _firstStart, now, 0);
            long last;
            while ((last = Interlocked.Read(ref _lastStart)) < now && Interlocked.CompareExchange(ref _lastStart, now, last) != last) { }
            await Task.Delay(latency, cancellationToken);
            var n = LmmCallSettings.Of(options).Choices;
            var response = new ChatResponse(Enumerable.Range(0, n).Select(_ => new ChatMessage(ChatRole.Assistant, "{\"latitude\": 45.76, \"longitude\": 4.84}")).ToList());
            var ticks = sw.Elapsed.Ticks;
            long current;
            while ((current = Interlocked.Read(ref _slowestTicks)) < ticks && Interlocked.CompareExchange(ref _slowestTicks, ticks, current) != current) { }
            return response;
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    internal sealed class NullEncoder : IImageEncoder
    {
        public Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImageEmbedding>>(images.Select(_ => new ImageEmbedding([1f], [1f])).ToList());
    }

    private sealed class TinyStore : IReferenceStore
    {
        private static readonly List<ReferencePhoto> Refs = Enumerable.Range(0, 15).Select(i => new ReferencePhoto($"r{i}", new GeoPoint(40 + i, 2), 1 - i / 100.0)).ToList();
        public int Dimension => 1;
        public Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ReferencePhoto>>(Refs.Take(k).ToList());
        public Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ReferencePhoto>>(Refs.Take(k).ToList());
        public Task UpsertAsync(IReadOnlyList<ReferenceRecord> records, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult(15L);
        public Task<int> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => Task.FromResult(0);
        public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());
    }

    private sealed class FirstVerifier : IVerifier
    {
        public Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken) =>
            Task.FromResult(new Verdict(candidates.Select((c, i) => new ScoredCandidate(c, 0, i)).ToList()));
    }
}
