using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;

namespace G3.Bench;

/// <summary>
/// Calls through one provider's real pipeline (LmmProviderRegistry: rate limit, resilience, concurrency limit, OpenAI SDK)
/// against <see cref="RateLimitStub"/>, which refuses calls past its requests-per-minute limit with 429. The limited run
/// sets Lmm:Providers:NAME:RequestsPerMinute to the stub's limit: it must see no 429 and take about calls / limit minutes.
/// The control run sets no limit and no retries, so every call the stub refuses shows as one 429. Each run first makes one
/// call to a throwaway stub, so that compiling the call path and opening a connection do not delay the first measured call
/// (a cold first call arriving late puts the limit's next call inside its 60-second window: one run measured one 429 so).
///   dotnet run -c Release --project bench/G3.Bench -- rate-limit [--calls 600] [--limit 120] [--workers 16]
/// Prints one JSON object.
/// </summary>
public static class RateLimitBench
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        int calls = Arg(args, "--calls", 600), limit = Arg(args, "--limit", 120), workers = Arg(args, "--workers", 16);
        var loadBefore = LoadAverage();
        var limited = await RunOnceAsync(calls, limit, workers, rateLimited: true);
        var control = await RunOnceAsync(calls, limit, workers, rateLimited: false);
        var minimum = TimeSpan.FromMinutes((double)calls / limit);
        var result = new Dictionary<string, object?>
        {
            ["command"] = "rate-limit " + string.Join(' ', args),
            ["calls"] = calls,
            ["stub_requests_per_minute"] = limit,
            ["window_s"] = 60,
            ["workers"] = workers,
            ["cores"] = Environment.ProcessorCount,
            ["threadpool_threads_after"] = ThreadPool.ThreadCount,
            ["load_before"] = loadBefore,
            ["load_after"] = LoadAverage(),
            ["minimum_wall_s"] = minimum.TotalSeconds,
            ["limited"] = limited,
            ["limited_wall_over_minimum"] = Math.Round((double)limited["wall_s"]! / minimum.TotalSeconds, 4),
            ["control"] = control,
        };
        Console.WriteLine(JsonSerializer.Serialize(result, s_json));
        return 0;
    }

    private static async Task<Dictionary<string, object?>> RunOnceAsync(int calls, int limit, int workers, bool rateLimited)
    {
        await using (var warm = await RateLimitStub.StartAsync(limit))
            await CallsAsync(warm.BaseUri, limit, workers, calls: 1, rateLimited);
        await using var stub = await RateLimitStub.StartAsync(limit);
        var (wall, failed, retries) = await CallsAsync(stub.BaseUri, limit, workers, calls, rateLimited);
        return new Dictionary<string, object?>
        {
            ["rate_limiter"] = rateLimited ? $"RequestsPerMinute={limit}" : "none",
            ["retries"] = retries,
            ["warm_up"] = "one call to a throwaway stub before the run",
            ["wall_s"] = Math.Round(wall.TotalSeconds, 3),
            ["answered"] = stub.Answered,
            ["status_429"] = stub.Refused,
            ["status_429_at_s"] = stub.RefusedAt.Take(20).ToList(),
            ["calls_failed"] = failed,
        };
    }

    private static async Task<(TimeSpan Wall, int Failed, int Retries)> CallsAsync(Uri stub, int limit, int workers, int calls, bool rateLimited)
    {
        var provider = new LmmProviderOptions
        {
            Kind = LmmProviderKinds.OpenAICompatible,
            Model = "gpt-4o",
            Endpoint = new Uri(stub, "v1"),
            ApiKey = "bench",
            RequestsPerMinute = rateLimited ? limit : null,
            // The control counts each refusal once: no retries. The limited run keeps the shipped retries, as the fallback.
            Resilience = rateLimited ? new LmmResilienceOptions() : new LmmResilienceOptions { Retry = new LmmRetryOptions { MaxRetries = 0 }, CircuitBreaker = new LmmCircuitBreakerOptions { Enabled = false } },
        };
        using var registry = LmmProviderRegistry.Create(new LmmOptions
        {
            Default = "stub",
            MaxConcurrentCalls = workers,
            Providers = new Dictionary<string, LmmProviderOptions> { ["stub"] = provider },
        });
        var client = registry.Default.Client;
        var prompt = new List<ChatMessage> { new(ChatRole.User, "Where was this photo taken? Answer only with JSON: {\"latitude\": float, \"longitude\": float}") };
        var failed = 0;
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < calls)
            {
                try
                {
                    await client.GetResponseAsync(prompt, new ChatOptions { MaxOutputTokens = 50 });
                }
#pragma warning disable CA1031 // a refused call is what the control run counts
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        return (sw.Elapsed, failed, provider.Resilience.Retry.MaxRetries);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static double[] LoadAverage() =>
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
}
