using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using G3.Alignment.Tests.Store.Qdrant.Contract;

namespace G3.Alignment.Tests.Store.Qdrant.Fakes;

/// <summary>One request as the fake received it.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string Path => Uri.AbsolutePath;
}

/// <summary>
/// An in-memory Qdrant behind an HttpMessageHandler: collections, exact dot/cosine query,
/// retrieve, count, delete, answered in the shapes of Qdrant's OpenAPI document. Every request
/// is recorded. With a contract, every request and every answer is checked against the
/// document and violations are collected. <see cref="Intercept"/> injects faults.
/// </summary>
internal sealed class FakeQdrantServer(QdrantOpenApiContract? contract = null) : HttpMessageHandler
{
    private sealed class Collection(int size, string distance)
    {
        public int Size { get; } = size;
        public string Distance { get; } = distance;
        public Dictionary<string, (float[] Vector, JsonObject Payload)> Points { get; } = [];
    }

    private readonly Dictionary<string, Collection> _collections = [];
    private readonly Lock _lock = new();

    public List<RecordedRequest> Requests { get; } = [];
    public List<string> Violations { get; } = [];

    /// <summary>Runs before the fake's own handling; a non-null answer replaces it (fault injection).</summary>
    public Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage?>>? Intercept { get; set; }

    /// <summary>Seeds a collection as if another program had created it.</summary>
    public void AddCollection(string name, int size, string distance)
    {
        lock (_lock) _collections[name] = new Collection(size, distance);
    }

    /// <summary>A collection with named vectors (seeded as raw CollectionInfo vectors config).</summary>
    public JsonObject? NamedVectorsOverride { get; set; }

    public int PointCount(string collection)
    {
        lock (_lock) return _collections[collection].Points.Count;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        lock (_lock)
        {
            Requests.Add(recorded);
            if (contract is not null) Violations.AddRange(contract.CheckRequest(request.Method.Method, recorded.Uri, body));
        }

        if (Intercept is { } intercept && await intercept(recorded, cancellationToken) is { } injected)
            return injected;

        var (status, answer) = Handle(recorded);
        if (contract is not null)
            lock (_lock) Violations.AddRange(contract.CheckResponse(request.Method.Method, recorded.Uri, (int)status, answer));
        return Json(status, answer);
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static string Ok(JsonNode? result) =>
        new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = 0.0002 }.ToJsonString();

    public static string Error(string message) =>
        new JsonObject { ["status"] = new JsonObject { ["error"] = message }, ["time"] = 0.0001 }.ToJsonString();

    private (HttpStatusCode, string) Handle(RecordedRequest r)
    {
        var parts = r.Path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (parts.Length < 2 || parts[0] != "collections") return (HttpStatusCode.NotFound, Error("no such route"));
        var name = parts[1];
        var rest = string.Join('/', parts.Skip(2));
        var json = r.Body is null ? null : JsonNode.Parse(r.Body);
        lock (_lock)
        {
            _collections.TryGetValue(name, out var c);
            return (r.Method.Method, rest, c) switch
            {
                ("PUT", "", null) => Create(name, json!),
                ("PUT", "", _) => (HttpStatusCode.Conflict, Error($"Wrong input: Collection `{name}` already exists!")),
                ("DELETE", "", _) => (HttpStatusCode.OK, Ok(_collections.Remove(name))),
                (_, _, null) => (HttpStatusCode.NotFound, Error($"Not found: Collection `{name}` doesn't exist!")),
                ("GET", "", _) => (HttpStatusCode.OK, Ok(Info(c))),
                ("PUT", "points", _) => Upsert(c, json!),
                ("POST", "points", _) => (HttpStatusCode.OK, Ok(new JsonArray(json!["ids"]!.AsArray()
                    .Select(id => id!.GetValue<string>()).Where(c.Points.ContainsKey)
                    .Select(id => (JsonNode)new JsonObject { ["id"] = id }).ToArray()))),
                ("POST", "points/delete", _) => Delete(c, json!),
                ("POST", "points/count", _) => (HttpStatusCode.OK, Ok(new JsonObject { ["count"] = c.Points.Count })),
                ("POST", "points/query", _) => (HttpStatusCode.OK, Ok(Query(c, json!))),
                ("POST", "points/query/batch", _) => (HttpStatusCode.OK, Ok(new JsonArray(
                    json!["searches"]!.AsArray().Select(s => (JsonNode)Query(c, s!)).ToArray()))),
                _ => (HttpStatusCode.NotFound, Error("no such route")),
            };
        }
    }

    private (HttpStatusCode, string) Create(string name, JsonNode body)
    {
        var vectors = body["vectors"]!;
        _collections[name] = new Collection(vectors["size"]!.GetValue<int>(), vectors["distance"]!.GetValue<string>());
        return (HttpStatusCode.OK, Ok(true));
    }

    private (HttpStatusCode, string) Upsert(Collection c, JsonNode body)
    {
        foreach (var point in body["points"]!.AsArray())
        {
            var vector = point!["vector"]!.AsArray().Select(x => x!.GetValue<float>()).ToArray();
            if (vector.Length != c.Size)
                return (HttpStatusCode.BadRequest, Error($"Wrong input: Vector dimension error: expected dim: {c.Size}, got {vector.Length}"));
            if (c.Distance == "Cosine") vector = Normalise(vector);
            c.Points[point["id"]!.GetValue<string>()] = (vector, point["payload"]!.AsObject().DeepClone().AsObject());
        }
        return (HttpStatusCode.OK, Ok(new JsonObject { ["operation_id"] = 1, ["status"] = "completed" }));
    }

    private (HttpStatusCode, string) Delete(Collection c, JsonNode body)
    {
        foreach (var id in body["points"]!.AsArray()) c.Points.Remove(id!.GetValue<string>());
        return (HttpStatusCode.OK, Ok(new JsonObject { ["operation_id"] = 2, ["status"] = "completed" }));
    }

    private static JsonObject Query(Collection c, JsonNode request)
    {
        var query = request["query"]!["nearest"]!.AsArray().Select(x => x!.GetValue<float>()).ToArray();
        if (c.Distance == "Cosine") query = Normalise(query);
        var limit = request["limit"]?.GetValue<int>() ?? 10;
        var withPayload = request["with_payload"]?.GetValue<bool>() ?? false;
        var hits = c.Points
            .Select(p => (Id: p.Key, p.Value.Payload, Score: Dot(query, p.Value.Vector)))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(h => (JsonNode)new JsonObject
            {
                ["id"] = h.Id,
                ["version"] = 3,
                ["score"] = h.Score,
                ["payload"] = withPayload ? h.Payload.DeepClone() : null,
            });
        return new JsonObject { ["points"] = new JsonArray(hits.ToArray()) };
    }

    private JsonObject Info(Collection c) => new()
    {
        ["status"] = "green",
        ["optimizer_status"] = "ok",
        ["indexed_vectors_count"] = 0,
        ["points_count"] = c.Points.Count,
        ["segments_count"] = 2,
        ["config"] = new JsonObject
        {
            ["params"] = new JsonObject
            {
                ["vectors"] = NamedVectorsOverride?.DeepClone() ?? new JsonObject { ["size"] = c.Size, ["distance"] = c.Distance },
                ["shard_number"] = 1,
                ["replication_factor"] = 1,
                ["write_consistency_factor"] = 1,
                ["on_disk_payload"] = true,
            },
            ["hnsw_config"] = new JsonObject { ["m"] = 16, ["ef_construct"] = 100, ["full_scan_threshold"] = 10000 },
            ["optimizer_config"] = new JsonObject
            {
                ["deleted_threshold"] = 0.2,
                ["vacuum_min_vector_number"] = 1000,
                ["default_segment_number"] = 0,
                ["flush_interval_sec"] = 5,
            },
        },
        ["payload_schema"] = new JsonObject(),
    };

    private static float Dot(float[] a, float[] b)
    {
        var s = 0f;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static float[] Normalise(float[] v)
    {
        var norm = MathF.Sqrt(Dot(v, v));
        return norm == 0 ? v : v.Select(x => x / norm).ToArray();
    }

    /// <summary>Parses a recorded body for assertions.</summary>
    public static JsonElement BodyOf(RecordedRequest r) => JsonDocument.Parse(r.Body ?? "null").RootElement.Clone();
}
