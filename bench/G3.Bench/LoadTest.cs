using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace G3.Bench;

/// <summary>
/// Closed-loop load against a running service: C clients each POST /v1/geolocate (multipart) back to
/// back for S seconds; reports requests/s, latency p50/p90/p99, status counts, and the service's
/// resident memory at start and end (from /proc/PID/status when --pid is given).
///   dotnet run -c Release --project bench/G3.Bench -- load URL IMAGE [clients=64] [seconds=60] [pid]
/// Only loopback targets: this tool is for measuring the service on this machine.
/// </summary>
public static class LoadTest
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: load URL IMAGE [clients] [seconds] [pid]");
            return 2;
        }
        var url = new Uri(args[0]);
        if (!url.IsLoopback)
        {
            Console.Error.WriteLine("load: the target must be a loopback address");
            return 2;
        }
        var image = await File.ReadAllBytesAsync(args[1]);
        var clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
        var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 60;
        int? pid = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : null;

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { Timeout = TimeSpan.FromSeconds(120) };
        var rssStart = Rss(pid);
        var latencies = new List<double>[clients];
        var statuses = new Dictionary<int, int>[clients];
        var deadline = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            statuses[c] = [];
            while (deadline.Elapsed.TotalSeconds < seconds)
            {
                using var form = new MultipartFormDataContent();
                var file = new ByteArrayContent(image);
                file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                form.Add(file, "image", "photo.jpg");
                var sw = Stopwatch.StartNew();
                int status;
                try
                {
                    using var response = await http.PostAsync(new Uri(url, "/v1/geolocate"), form);
                    await response.Content.ReadAsByteArrayAsync();
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0; // connection failure
                }
                latencies[c].Add(sw.Elapsed.TotalMilliseconds);
                statuses[c][status] = statuses[c].GetValueOrDefault(status) + 1;
            }
        }).ToList();
        await Task.WhenAll(tasks);
        var elapsed = deadline.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        var byStatus = statuses.SelectMany(s => s).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        double P(double q) => all[Math.Min(all.Count - 1, (int)(q * all.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{clients} clients, {elapsed:0.0} s: {all.Count} requests, {all.Count / elapsed:0.0} req/s, latency p50 {P(0.5):0.0} ms, p90 {P(0.9):0.0} ms, p99 {P(0.99):0.0} ms"));
        Console.WriteLine("status counts: " + string.Join(", ", byStatus.OrderBy(kv => kv.Key).Select(kv => $"{(kv.Key == 0 ? "conn-fail" : kv.Key.ToString(CultureInfo.InvariantCulture))}: {kv.Value}")));
        if (pid is not null) Console.WriteLine($"service RSS: {rssStart} kB at start, {Rss(pid)} kB at end");
        return byStatus.Keys.Any(s => s >= 500 || s == 0) ? 1 : 0;
    }

    private static long? Rss(int? pid)
    {
        if (pid is null) return null;
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
