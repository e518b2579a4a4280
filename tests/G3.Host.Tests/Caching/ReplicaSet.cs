using System.Net.Http.Json;
using System.Text.Json;
using G3.Host.Tests.Outages;

namespace G3.Host.Tests.Caching;

/// <summary>
/// Replicas of the real service (Kestrel on loopback ports, the fixture model and embedded store) sharing one LMM stub,
/// each with its own on-disk cache folder and, when given a server, L2 on that Redis-protocol server. A request is a
/// photo made distinct by a JPEG comment (<see cref="Photo"/>), so each photo has its own cache keys.
/// </summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    private readonly List<OutageServiceHost> _hosts;
    private readonly string _dir;

    private ReplicaSet(List<OutageServiceHost> hosts, string dir) => (_hosts, _dir) = (hosts, dir);

    public IReadOnlyList<OutageServiceHost> Hosts => _hosts;

    /// <param name="redis">The cache server's connection string; null: each replica's L2 is its own disk folder.</param>
    public static async Task<ReplicaSet> StartAsync(ServiceFixture files, CountingLmmStub stub, string? redis, int count = 3, params string[] more)
    {
        var dir = Directory.CreateTempSubdirectory("g3-replicas").FullName;
        var hosts = new List<OutageServiceHost>();
        for (var i = 0; i < count; i++)
        {
            string[] cache = redis is null
                ? ["--Cache:Distributed:Kind=disk"]
                : ["--Cache:Distributed:Kind=redis", $"--ConnectionStrings:Cache={redis}", "--Cache:Distributed:RetryAfter=00:00:00.2", "--Cache:Distributed:Timeout=00:00:00.5"];
            hosts.Add(await OutageServiceHost.StartEmbeddedAsync(files, [
                "--Cache:Mode=ReadWrite",
                $"--Cache:Directory={Path.Combine(dir, $"replica-{i}")}",
                .. cache,
                .. stub.Settings(),
                "--Pipeline:ReferenceCounts:0=0",
                "--Pipeline:ReferenceCounts:1=3",
                "--Pipeline:SamplesPerPrompt=2",
                .. more,
            ]));
        }
        foreach (var host in hosts) await host.ReadyzUntilAsync(b => b.GetProperty("ready").GetBoolean());
        return new ReplicaSet(hosts, dir);
    }

    /// <summary>A fixture JPEG with a comment segment naming <paramref name="number"/> after its SOI marker: the same picture, other bytes.</summary>
    public static byte[] Photo(int number)
    {
        var jpeg = File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg"));
        var comment = System.Text.Encoding.ASCII.GetBytes($"g3 replica test photo {number}");
        var length = comment.Length + 2;
        byte[] segment = [0xFF, 0xFE, (byte)(length >> 8), (byte)length, .. comment];
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>POST /v1/chat/completions with the photo alone (a new photo) or followed by an answer and a question (a follow-up).</summary>
    public static async Task<(int Status, JsonElement Body)> ChatAsync(OutageServiceHost host, byte[] photo, string? followUp = null)
    {
        var image = new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = "data:image/jpeg;base64," + Convert.ToBase64String(photo) } } } };
        object[] messages = followUp is null ? [image] : [image, new { role = "assistant", content = "Paris." }, new { role = "user", content = followUp }];
        using var client = host.Client();
        using var response = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages });
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
