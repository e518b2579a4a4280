using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Qdrant;
using G3.Retrieval.Tests.Qdrant.Fake;

namespace G3.Retrieval.Tests.Qdrant;

/// <summary>Builds stores that talk gRPC to the in-process fake server, with fast retries, and small deterministic records.</summary>
internal static class QdrantTestKit
{
    public const string Collection = "refs";

    public static QdrantStoreOptions Options(FakeQdrantServer server, int size = 4) => Options(server.Address.ToString(), size);

    public static QdrantStoreOptions Options(string url, int size = 4) => new()
    {
        Url = url,
        Collection = Collection,
        VectorSize = size,
        RetryCount = 3,
        // Retries must not slow the suite down; the backoff shape is Polly's business.
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    public static QdrantReferenceStore NewStore(FakeQdrantServer server, QdrantStoreOptions? options = null) =>
        new(options ?? Options(server));

    /// <summary>A loopback address where nothing listens (a port just released).</summary>
    public static string DeadAddress()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public static float[] RandomUnit(Random random, int dim)
    {
        var v = new float[dim];
        for (var i = 0; i < dim; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        return Unit(v);
    }

    /// <summary>Ids ranked by the exact float64 inner product, best first (ties by id), or worst first.</summary>
    public static List<string> BruteForce(IEnumerable<ReferenceRecord> records, float[] query, int k, bool least = false)
    {
        var scored = records.Select(r => (r.Id, Score: r.Vector.Zip(query, (a, b) => (double)a * b).Sum()));
        var ordered = least ? scored.OrderBy(x => x.Score) : scored.OrderByDescending(x => x.Score);
        return ordered.Take(k).Select(x => x.Id).ToList();
    }

    public static float[] Unit(params float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    /// <summary>Four photos along the four axes, with places on some.</summary>
    public static ReferenceRecord[] Axes() =>
    [
        new("a1/b2/north.jpg", Unit(1, 0, 0, 0), new GeoPoint(48.85, 2.35), new Place(City: "Paris", Country: "France", Continent: "Europe")),
        new("a1/b2/east.jpg", Unit(0, 1, 0, 0), new GeoPoint(-33.87, 151.21), new Place(Neighbourhood: "The Rocks", City: "Sydney", State: "New South Wales", Country: "Australia")),
        new("c3/d4/south.jpg", Unit(0, 0, 1, 0), new GeoPoint(35.68, 139.69)),
        new("c3/d4/west.jpg", Unit(0, 0, 0, 1), new GeoPoint(-22.91, -43.17), new Place(Country: "Brazil")),
    ];
}
