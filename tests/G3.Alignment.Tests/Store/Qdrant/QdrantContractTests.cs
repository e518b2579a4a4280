using System.Net;
using System.Text.Json;
using G3.Alignment.Store.Qdrant;
using G3.Alignment.Tests.Store.Qdrant.Contract;
using G3.Alignment.Tests.Store.Qdrant.Fakes;
using static G3.Alignment.Tests.Store.Qdrant.QdrantTestKit;

namespace G3.Alignment.Tests.Store.Qdrant;

/// <summary>
/// The store against Qdrant's own OpenAPI document: every request it sends must fit the
/// operation's request schema (strictly: no undeclared fields), and it must read answers shaped
/// by the response schemas. No server needed; skipped when ../shared/specs is absent.
/// </summary>
public class QdrantContractTests
{
    private const string Spec = "../shared/specs/qdrant-openapi.json";
    private const string SpecWhat = "Qdrant's OpenAPI spec";
    private static readonly CancellationToken None = CancellationToken.None;

    private static List<string> Check(string component, string json, bool strict = true)
    {
        var contract = QdrantOpenApiContract.Load();
        using var doc = JsonDocument.Parse(json);
        return contract.Validator.Validate(doc.RootElement, contract.Validator.Component(component), strict);
    }

    // The validator itself: each of these must be caught, or the contract tests below prove nothing.
    [FactRequiringPath(Spec, SpecWhat)]
    public void The_validator_accepts_a_conforming_body() =>
        Assert.Empty(Check("PointInsertOperations",
            """{"points":[{"id":"550e8400-e29b-41d4-a716-446655440000","vector":[0.1,0.2],"payload":{"city":"Rome"}},{"id":7,"vector":[1,2]}]}"""));

    [FactRequiringPath(Spec, SpecWhat)]
    public void The_validator_catches_each_kind_of_violation()
    {
        (string Component, string Json, string Expected)[] cases =
        [
            ("PointInsertOperations", """{"point":[]}""", "matches none of anyOf"),
            ("PointStruct", """{"id":"not-a-uuid","vector":[1]}""", "is not a UUID"),
            ("PointStruct", """{"id":-1,"vector":[1]}""", "below the minimum"),
            ("PointStruct", """{"vector":[1]}""", "required property 'id' is missing"),
            ("CreateCollection", """{"vectors":{"size":4,"distance":"dot"}}""", "not one of"),
            ("QueryRequest", """{"query":{"nearest":[1,2]},"with_payloads":true}""", "with_payloads: property is not declared"),
            ("QueryRequest", """{"query":{"nearest":[1,2]},"limit":"ten"}""", "$.limit: expected integer"),
            ("QueryRequest", """{"query":{"nearest":[1,2]},"limit":2.5}""", "$.limit: expected integer"),
            ("QueryRequest", """{"query":{"nearest":[1,2]},"with_payload":"yes"}""", "$.with_payload: matches none of anyOf"),
            ("CountRequest", """{"exact":"true"}""", "expected boolean"),
            ("OptimizersStatus", """{"error":"x","extra":1}""", "matches none of oneOf"),
        ];
        var missed = cases
            .Where(c => !Check(c.Component, c.Json).Any(e => e.Contains(c.Expected, StringComparison.Ordinal)))
            .Select(c => $"{c.Component} {c.Json}: expected '{c.Expected}', got [{string.Join("; ", Check(c.Component, c.Json))}]")
            .ToList();
        Assert.Empty(missed);
    }

    [FactRequiringPath(Spec, SpecWhat)]
    public async Task Every_request_of_a_full_session_fits_the_spec_and_every_spec_shaped_answer_is_read()
    {
        var contract = QdrantOpenApiContract.Load();
        var server = new FakeQdrantServer(contract);
        var store = NewStore(server, Options() with { ApiKey = "k" });

        await store.UpsertAsync(Axes(), None);
        var similar = await store.SearchAsync(Unit(1, 0.2f, 0, 0), 2, None);
        var least = await store.SearchLeastSimilarAsync(Unit(1, 0.2f, 0, 0), 2, None);
        var batch = await store.SearchBatchAsync([Unit(1, 0, 0, 0), Unit(0, 0, 0, 1)], 3, None);
        var count = await store.CountAsync(None);
        var deleted = await store.DeleteAsync(["a1/b2/north.jpg", "nope.jpg"], None);
        var dropped = await store.DropCollectionAsync(None);

        Assert.True(server.Violations.Count == 0, "contract violations:\n" + string.Join("\n", server.Violations));
        Assert.Equal("a1/b2/north.jpg", similar[0].Id);
        Assert.Equal(2, least.Count);
        Assert.Equal(3, batch[1].Count);
        Assert.Equal(4, count);
        Assert.Equal(1, deleted);
        Assert.True(dropped);

        var operations = server.Requests
            .Select(r => contract.FindOperation(r.Method.Method, r.Path)!.Value.Operation.GetProperty("operationId").GetString())
            .ToHashSet();
        Assert.Equal(
            new HashSet<string?> { "get_collection", "create_collection", "upsert_points", "query_points", "query_batch_points", "count_points", "get_points", "delete_points", "delete_collection" },
            operations);
    }

    [FactRequiringPath(Spec, SpecWhat)]
    public async Task Requests_with_every_optional_setting_fit_the_spec()
    {
        var server = new FakeQdrantServer(QdrantOpenApiContract.Load());
        var options = Options() with
        {
            Distance = QdrantDistance.Cosine,
            OnDiskVectors = true,
            HnswM = 32,
            HnswEfConstruct = 200,
            HnswEf = 128,
            ExactSearch = true,
            ShardNumber = 3,
            ReplicationFactor = 2,
        };
        var store = NewStore(server, options);

        await store.UpsertAsync(Axes(), None);
        await store.SearchAsync(Unit(1, 0, 0, 0), 1, None);
        await store.SearchBatchAsync([Unit(1, 0, 0, 0)], 1, None);

        Assert.True(server.Violations.Count == 0, "contract violations:\n" + string.Join("\n", server.Violations));
        var query = FakeQdrantServer.BodyOf(server.Requests.Single(r => r.Path.EndsWith("/points/query", StringComparison.Ordinal)));
        Assert.Equal(128, query.GetProperty("params").GetProperty("hnsw_ef").GetInt32());
        Assert.True(query.GetProperty("params").GetProperty("exact").GetBoolean());
    }

    [FactRequiringPath(Spec, SpecWhat)]
    public async Task A_spec_shaped_answer_with_every_optional_field_is_read()
    {
        // Integer id, extra payload keys, and the optional fields a real server may add (usage, vector, shard_key, order_value).
        const string answer = """
            {"usage":{"hardware":null},"time":0.002,"status":"ok","result":{"points":[
              {"id":42,"version":7,"score":0.875,"payload":{"img_id":"z/1.jpg","lat":10.5,"lon":-20.25,"city":"Dakar","tags":["x"],"extra":{"n":1}},
               "vector":null,"shard_key":null,"order_value":null}]}}
            """;
        var contract = QdrantOpenApiContract.Load();
        var queryUri = new Uri("http://qdrant.test:6333/collections/refs/points/query");
        Assert.Empty(contract.CheckResponse("POST", queryUri, 200, answer));

        var server = new FakeQdrantServer(contract);
        server.AddCollection(Collection, 4, "Dot");
        server.Intercept = (r, _) => Task.FromResult(r.Path.EndsWith("/points/query", StringComparison.Ordinal)
            ? FakeQdrantServer.Json(HttpStatusCode.OK, answer) : null);

        var hit = Assert.Single(await NewStore(server).SearchAsync(Unit(1, 0, 0, 0), 1, None));
        Assert.Equal("z/1.jpg", hit.Id);
        Assert.Equal(0.875, hit.Similarity);
        Assert.Equal(10.5, hit.Point.Latitude);
        Assert.Equal(-20.25, hit.Point.Longitude);
        Assert.Equal("Dakar", hit.Place?.City);
    }

    [FactRequiringPath(Spec, SpecWhat)]
    public void The_fakes_error_answers_fit_the_error_schema() =>
        Assert.Empty(QdrantOpenApiContract.Load().CheckResponse("POST",
            new Uri("http://qdrant.test:6333/collections/refs/points/count"), 400, FakeQdrantServer.Error("Wrong input")));
}
