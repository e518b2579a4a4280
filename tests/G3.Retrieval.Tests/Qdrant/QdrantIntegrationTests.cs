using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Qdrant;

namespace G3.Retrieval.Tests.Qdrant;

/// <summary>
/// Against a real Qdrant when G3_QDRANT_URL (its gRPC endpoint) is set (G3_QDRANT_API_KEY when it needs a key):
/// a uniquely named collection is created, used and dropped. Results are compared with a
/// brute-force ranking; exact search makes them deterministic.
/// </summary>
public class QdrantIntegrationTests
{
    private const string UrlVariable = "G3_QDRANT_URL";

    private const int Dim = 16;

    [FactRequiringEnv(UrlVariable, "a running Qdrant server (its gRPC URL, e.g. http://localhost:6334)")]
    public Task Upsert_search_least_similar_count_delete_against_a_real_server() =>
        RunSession(Environment.GetEnvironmentVariable(UrlVariable)!,
            Environment.GetEnvironmentVariable("G3_QDRANT_API_KEY") is { Length: > 0 } key ? key : null);

    /// <summary>The same session against the in-process gRPC fake, so the session's own expectations are checked on every run.</summary>
    [Fact]
    public async Task The_session_passes_against_the_fake()
    {
        await using var fake = await Fake.FakeQdrantServer.StartAsync();
        await RunSession(fake.Address.ToString(), apiKey: null);
    }

    private static async Task RunSession(string url, string? apiKey)
    {
        var ct = CancellationToken.None;
        const int dim = Dim;
        var options = new QdrantStoreOptions
        {
            Url = url,
            ApiKey = apiKey,
            Collection = "g3-test-" + Guid.NewGuid().ToString("N"),
            VectorSize = dim,
            ExactSearch = true,
            UpsertBatchSize = 32,
        };
        using var store = new QdrantReferenceStore(options);
        var random = new Random(7);
        var records = Enumerable.Range(0, 100).Select(i => new ReferenceRecord(
            $"it/{i / 10}/{i}.jpg", QdrantTestKit.Unit(Enumerable.Range(0, dim).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()),
            new GeoPoint(random.Next(-89, 89), random.Next(-179, 179)),
            i % 2 == 0 ? new G3.Core.Candidates.Place(City: $"City {i}", Country: "Testland") : null)).ToList();
        var query = QdrantTestKit.Unit(Enumerable.Range(0, dim).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
        var ranked = records.OrderByDescending(r => Dot(query, r.Vector)).ToList();
        try
        {
            await store.EnsureCollectionAsync(ct);
            await store.UpsertAsync(records, ct);
            Assert.Equal(100, await store.CountAsync(ct));

            var similar = await store.SearchAsync(query, 5, ct);
            Assert.Equal(ranked.Take(5).Select(r => r.Id), similar.Select(h => h.Id));
            Assert.Equal(Dot(query, ranked[0].Vector), similar[0].Similarity, 4);
            Assert.Equal(ranked[0].Point, similar[0].Point);
            Assert.Equal(ranked[0].Place, similar[0].Place);

            var least = await store.SearchLeastSimilarAsync(query, 5, ct);
            Assert.Equal(ranked.AsEnumerable().Reverse().Take(5).Select(r => r.Id), least.Select(h => h.Id));
            Assert.Equal(Dot(query, ranked[^1].Vector), least[0].Similarity, 4);

            var batch = await store.SearchBatchAsync([query, records[3].Vector], 1, ct);
            Assert.Equal(ranked[0].Id, batch[0][0].Id);
            Assert.Equal(records[3].Id, batch[1][0].Id);

            Assert.Equal(2, await store.DeleteAsync([records[0].Id, records[1].Id, "never/stored.jpg"], ct));
            Assert.Equal(98, await store.CountAsync(ct));

            // The same collection seen with another size is refused.
            using var other = new QdrantReferenceStore(options with { VectorSize = dim + 1 });
            await Assert.ThrowsAsync<QdrantCollectionMismatchException>(() => other.CountAsync(ct));
        }
        finally
        {
            await store.DropCollectionAsync(ct);
        }
    }

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
