using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using G3.Alignment.Encoders;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace G3.Bench;

/// <summary>
/// <c>replica-cache</c>: three replicas of the real service (in process, Kestrel on loopback ports, the test fixture's
/// model and an embedded store of its photos) behind a round-robin client, an OpenAI-compatible LMM stub that answers
/// after a fixed latency, and the same traffic twice in one run: L2 on one shared redis-server, then each replica on its
/// own disk cache. It reports the stub's calls (requests and samples, against the unique prompts the traffic holds) and
/// the client's p50/p99 latency for each, as JSON.
/// <code>dotnet run -c Release --project bench/G3.Bench -- replica-cache [--requests 300] [--photos 30] [--latency-ms 300] [--clients 8] [--out FILE]</code>
/// </summary>
public static class ReplicaCacheBench
{
    private const int Replicas = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = Option(args, "--requests", 300);
        var photos = Option(args, "--photos", 30);
        var latency = TimeSpan.FromMilliseconds(Option(args, "--latency-ms", 300));
        var clients = Option(args, "--clients", 8);
        var outIndex = Array.IndexOf(args, "--out");
        var output = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
        var redisBinary = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
        if (redisBinary is null)
        {
            await Console.Error.WriteLineAsync("replica-cache: needs redis-server on PATH (scripts/bootstrap.sh installs it)");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("g3-replica-bench").FullName;
        try
        {
            var (manifest, store) = await BuildWorldAsync(work);
            var loadBefore = LoadAverage();
            await using var stub = await LatencyStub.StartAsync(latency);
            var traffic = Traffic(requests, photos);
            var runs = new JsonArray();
            using (var redis = StartRedis(redisBinary, out var port))
            {
                await WaitForPortAsync(port);
                runs.Add(await RunOnceAsync("shared-redis-l2", manifest, store, work, stub, traffic, clients,
                    ["--Cache:Distributed:Kind=redis", $"--ConnectionStrings:Cache=127.0.0.1:{port}"]));
                redis.Kill();
                await redis.WaitForExitAsync();
            }
            runs.Add(await RunOnceAsync("per-replica-disk", manifest, store, work, stub, traffic, clients, ["--Cache:Distributed:Kind=disk"]));
            var report = new JsonObject
            {
                ["bench"] = "replica-cache",
                ["command"] = "dotnet run -c Release --project bench/G3.Bench -- replica-cache " + string.Join(' ', args),
                ["utc"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["machine"] = new JsonObject
                {
                    ["processor_count"] = Environment.ProcessorCount,
                    ["thread_pool_min_worker_threads"] = MinWorkerThreads(),
                    ["onnx_intra_op_threads"] = "the service's default (Model:*:IntraOpThreads)",
                    ["load_average_before"] = loadBefore,
                    ["load_average_after"] = LoadAverage(),
                },
                ["replicas"] = Replicas,
                ["requests"] = requests,
                ["distinct_photos"] = photos,
                ["concurrent_clients"] = clients,
                ["stub_latency_ms"] = latency.TotalMilliseconds,
                ["runs"] = runs,
            };
            var json = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            Console.WriteLine(json);
            if (output is not null) await File.WriteAllTextAsync(output, json + "\n");
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    /// <summary>(photo, replica) per request: every photo equally often, in a shuffled order (fixed seed), replicas in turn.</summary>
    private static List<(int Photo, int Replica)> Traffic(int requests, int photos)
    {
        var random = new Random(20261207);
        var order = Enumerable.Range(0, requests).Select(i => i % photos).OrderBy(_ => random.Next()).ToList();
        return order.Select((photo, i) => (photo, i % Replicas)).ToList();
    }

    private static async Task<JsonObject> RunOnceAsync(string name, string manifest, string store, string work, LatencyStub stub,
        List<(int Photo, int Replica)> traffic, int clients, string[] cache)
    {
        stub.Reset();
        var hosts = new List<WebApplication>();
        try
        {
            for (var i = 0; i < Replicas; i++)
            {
                var host = G3.Host.Hosting.ServiceHost.Build([
                    "--urls", "http://127.0.0.1:0",
                    $"--Model:Manifest={manifest}",
                    "--Store:Kind=embedded",
                    $"--Store:Embedded:Directory={store}",
                    "--FirstStart:BuildEmbeddedStore=false",
                    "--Pipeline:RetrievedCandidates=5",
                    "--Cache:Mode=ReadWrite",
                    $"--Cache:Directory={Path.Combine(work, name, $"replica-{i}")}",
                    "--Lmm:Default=stub", "--Lmm:Providers:stub:Kind=openai", "--Lmm:Providers:stub:Model=stub",
                    "--Lmm:Providers:stub:ApiKey=k", $"--Lmm:Providers:stub:Endpoint={stub.Endpoint}",
                    "--RateLimits:PermitsPerMinute=0",
                    "--Logging:LogLevel:Default=Warning",
                    .. cache,
                ]);
                await host.StartAsync();
                hosts.Add(host);
            }
            var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            foreach (var host in hosts) await WaitReadyAsync(http, host.Urls.First());

            var latencies = new ConcurrentBag<double>();
            var failures = 0;
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < traffic.Count; i = Interlocked.Increment(ref next))
                {
                    var (photo, replica) = traffic[i];
                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsJsonAsync(new Uri(new Uri(hosts[replica].Urls.First()), "/v1/chat/completions"), Chat(Photo(photo)));
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
                }
            }));
            var wall = clock.Elapsed;
            var sorted = latencies.Order().ToArray();
            return new JsonObject
            {
                ["name"] = name,
                ["cache"] = string.Join(' ', cache.Select(c => c.StartsWith("--ConnectionStrings", StringComparison.Ordinal) ? "--ConnectionStrings:Cache=127.0.0.1:<port>" : c)),
                ["stub_requests"] = stub.Requests,
                ["stub_samples"] = stub.Samples,
                ["unique_prompts_asked"] = stub.UniquePrompts,
                ["stub_requests_per_unique_prompt"] = Math.Round((double)stub.Requests / Math.Max(1, stub.UniquePrompts), 3),
                ["non_200"] = failures,
                ["p50_ms"] = Math.Round(Percentile(sorted, 0.50), 1),
                ["p99_ms"] = Math.Round(Percentile(sorted, 0.99), 1),
                ["max_ms"] = Math.Round(sorted[^1], 1),
                ["wall_s"] = Math.Round(wall.TotalSeconds, 2),
            };
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                await host.DisposeAsync();
            }
        }
    }

    private static object Chat(byte[] photo) => new
    {
        model = "g3",
        messages = new object[]
        {
            new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = "data:image/jpeg;base64," + Convert.ToBase64String(photo) } } } },
        },
    };

    /// <summary>The fixture JPEG with a comment segment naming <paramref name="number"/>: the same picture, distinct bytes (and cache keys).</summary>
    private static byte[] Photo(int number)
    {
        var jpeg = File.ReadAllBytes(BenchPaths.Require("tests/fixtures/images/landscape.jpg", "the test fixtures are part of the checkout"));
        var comment = Encoding.ASCII.GetBytes($"g3 replica bench photo {number}");
        var length = comment.Length + 2;
        return [.. jpeg.AsSpan(0, 2), 0xFF, 0xFE, (byte)(length >> 8), (byte)length, .. comment, .. jpeg.AsSpan(2)];
    }

    /// <summary>The test fixture's image and location models in one manifest, and an embedded store of its photos at known cities.</summary>
    private static async Task<(string Manifest, string Store)> BuildWorldAsync(string work)
    {
        var model = Path.Combine(work, "model");
        Directory.CreateDirectory(model);
        File.Copy(BenchPaths.Require("tests/fixtures/onnx/image-fixture/image.onnx", "test fixtures"), Path.Combine(model, "image.onnx"));
        File.Copy(BenchPaths.Require("tests/fixtures/onnx/location-fixture/location.onnx", "test fixtures"), Path.Combine(model, "location.onnx"));
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(BenchPaths.Require("tests/fixtures/onnx/image-fixture/manifest.json", "test fixtures")))!.AsObject();
        var location = JsonNode.Parse(await File.ReadAllTextAsync(BenchPaths.Require("tests/fixtures/onnx/location-fixture/manifest.mercator.json", "test fixtures")))!["location"]!;
        manifest["id"] = "g3-bench";
        manifest["location"] = location.DeepClone();
        manifest.Remove("modelCard");
        var manifestPath = Path.Combine(model, "manifest.json");
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());

        (string File, double Lat, double Lon)[] photos =
        [
            ("landscape.jpg", 48.8566, 2.3522), ("progressive.jpg", 45.764, 4.8357), ("lossy.webp", -33.8688, 151.2093),
            ("rgba.png", 35.68, 139.69), ("cmyk.jpg", 40.4168, -3.7038), ("gray.jpg", 52.52, 13.405),
            ("portrait.png", 41.9028, 12.4964), ("palette_trns.png", 51.5074, -0.1278),
        ];
        var storePath = Path.Combine(work, "store");
        using var encoder = ImageEncoder.Open(manifestPath);
        using var store = EmbeddedReferenceStore.Create(storePath, encoder.Model.Spec.Retrieval.Dimension, "g3-bench");
        var images = photos.Select(p => new QueryImage(File.ReadAllBytes(BenchPaths.Require($"tests/fixtures/images/{p.File}", "test fixtures")))).ToList();
        var embeddings = await encoder.EncodeBatchAsync(images, default);
        await store.UpsertAsync(photos.Select((p, i) => new ReferenceRecord(p.File, embeddings[i].Retrieval, new GeoPoint(p.Lat, p.Lon))).ToList(), default);
        return (manifestPath, storePath);
    }

    private static Process StartRedis(string binary, out int port)
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"redis-server did not listen on {port}");
    }

    private static async Task WaitReadyAsync(HttpClient http, string baseUrl)
    {
        for (var i = 0; i < 1200; i++)
        {
            using var r = await http.GetAsync(new Uri(new Uri(baseUrl), "/readyz"));
            if (r.IsSuccessStatusCode) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{baseUrl} did not become ready");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }

    private static int MinWorkerThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        return workers;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>An OpenAI-compatible chat endpoint that answers every sample with a coordinate after a fixed latency, counting what it is asked.</summary>
    private sealed class LatencyStub : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, int> _prompts = new(StringComparer.Ordinal);
        private int _requests, _samples;

        private LatencyStub(WebApplication app) => _app = app;

        public string Endpoint { get; private set; } = "";
        public int Requests => Volatile.Read(ref _requests);
        public int Samples => Volatile.Read(ref _samples);
        public int UniquePrompts => _prompts.Count;

        public void Reset()
        {
            _prompts.Clear();
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _samples, 0);
        }

        public static async Task<LatencyStub> StartAsync(TimeSpan latency)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var stub = new LatencyStub(app);
            app.MapPost("/v1/chat/completions", async (HttpContext context) =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                var n = body.RootElement.TryGetProperty("n", out var nValue) ? nValue.GetInt32() : 1;
                var prompt = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body.RootElement.GetProperty("messages").GetRawText())));
                stub._prompts.AddOrUpdate(prompt, 1, (_, c) => c + 1);
                Interlocked.Increment(ref stub._requests);
                Interlocked.Add(ref stub._samples, n);
                await Task.Delay(latency);
                return Results.Json(new
                {
                    id = "stub", @object = "chat.completion", created = 1, model = "stub",
                    choices = Enumerable.Range(0, n).Select(i => new { index = i, message = new { role = "assistant", content = "{\"latitude\": 48.85, \"longitude\": 2.35}" }, finish_reason = "stop" }),
                    usage = new { prompt_tokens = 100, completion_tokens = 10 * n, total_tokens = 100 + 10 * n },
                });
            });
            await app.StartAsync();
            stub.Endpoint = app.Urls.First() + "/v1";
            return stub;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
