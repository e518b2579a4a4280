using System.Text;
using System.Text.Json;
using G3.Core.Candidates;

namespace G3.Alignment.Store.Qdrant;

/// <summary>The vector parameters of an existing collection, as far as this store cares.</summary>
internal sealed record QdrantCollectionVectors(long? Size, string? Distance, IReadOnlyList<string>? Names);

/// <summary>
/// Reads Qdrant's success envelopes (<c>{"result": ..., "status": "ok", "time": ...}</c>) into
/// the store's types. Anything unexpected is a <see cref="QdrantProtocolException"/> that names
/// the operation and the missing or mistyped field, never a null dereference.
/// </summary>
internal static class QdrantResponses
{
    /// <summary>GET /collections/{name}: <c>result.config.params.vectors</c> (VectorParams, or a map of named ones).</summary>
    public static QdrantCollectionVectors CollectionVectors(byte[] body, string operation)
    {
        using var doc = Parse(body, operation);
        var vectors = Result(doc, operation)
            .Field("config", JsonValueKind.Object, operation, "result")
            .Field("params", JsonValueKind.Object, operation, "result.config")
            .Field("vectors", JsonValueKind.Object, operation, "result.config.params");
        if (vectors.TryGetProperty("size", out var size) || vectors.TryGetProperty("distance", out _))
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var n))
                throw Protocol(operation, "result.config.params.vectors.size is not an integer");
            var distance = vectors.Field("distance", JsonValueKind.String, operation, "result.config.params.vectors").GetString();
            return new QdrantCollectionVectors(n, distance, null);
        }
        return new QdrantCollectionVectors(null, null, vectors.EnumerateObject().Select(p => p.Name).ToList());
    }

    /// <summary>PUT /collections/{name}: <c>result</c> is a boolean; false means not created.</summary>
    public static bool Acknowledged(byte[] body, string operation)
    {
        using var doc = Parse(body, operation);
        var result = Result(doc, operation);
        return result.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Protocol(operation, "result is not a boolean"),
        };
    }

    /// <summary>Upsert and delete: <c>result</c> is an UpdateResult with a status.</summary>
    public static void Updated(byte[] body, string operation)
    {
        using var doc = Parse(body, operation);
        var status = Result(doc, operation).Field("status", JsonValueKind.String, operation, "result").GetString();
        if (status is not ("completed" or "acknowledged"))
            throw new QdrantStoreException($"Qdrant did not complete {operation}: status '{status}'.");
    }

    /// <summary>POST /points/query: <c>result.points</c>, best first.</summary>
    public static IReadOnlyList<ReferencePhoto> QueryPoints(byte[] body, bool negated, string operation)
    {
        using var doc = Parse(body, operation);
        return ScoredPoints(Result(doc, operation), negated, operation, "result");
    }

    /// <summary>POST /points/query/batch: <c>result</c> holds one QueryResponse per query, in order.</summary>
    public static IReadOnlyList<IReadOnlyList<ReferencePhoto>> QueryBatch(byte[] body, int expected, string operation)
    {
        using var doc = Parse(body, operation);
        var result = Result(doc, operation);
        if (result.ValueKind != JsonValueKind.Array)
            throw Protocol(operation, "result is not an array");
        if (result.GetArrayLength() != expected)
            throw Protocol(operation, $"result holds {result.GetArrayLength()} answers for {expected} queries");
        return result.EnumerateArray()
            .Select((r, i) => ScoredPoints(r, negated: false, operation, $"result[{i}]"))
            .ToList();
    }

    /// <summary>POST /points/count: <c>result.count</c>.</summary>
    public static long Count(byte[] body, string operation)
    {
        using var doc = Parse(body, operation);
        var count = Result(doc, operation).Field("count", JsonValueKind.Number, operation, "result");
        return count.TryGetInt64(out var n) && n >= 0 ? n : throw Protocol(operation, "result.count is not a non-negative integer");
    }

    /// <summary>POST /points (retrieve): how many records came back.</summary>
    public static int RecordCount(byte[] body, string operation) => RecordIds(body, operation).Count;

    /// <summary>The point ids of a retrieve answer (UUIDs as strings; integer ids as their digits).</summary>
    public static List<string> RecordIds(byte[] body, string operation)
    {
        using var doc = Parse(body, operation);
        var result = Result(doc, operation);
        if (result.ValueKind != JsonValueKind.Array) throw Protocol(operation, "result is not an array");
        var ids = new List<string>(result.GetArrayLength());
        foreach (var record in result.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty("id", out var id))
                throw Protocol(operation, "a record in result has no id");
            ids.Add(id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText());
        }
        return ids;
    }

    private static List<ReferencePhoto> ScoredPoints(JsonElement response, bool negated, string operation, string at)
    {
        if (response.ValueKind != JsonValueKind.Object) throw Protocol(operation, $"{at} is not an object");
        var points = response.Field("points", JsonValueKind.Array, operation, at);
        var photos = new List<ReferencePhoto>(points.GetArrayLength());
        var i = 0;
        foreach (var point in points.EnumerateArray())
        {
            var where = $"{at}.points[{i++}]";
            if (point.ValueKind != JsonValueKind.Object) throw Protocol(operation, $"{where} is not an object");
            var score = point.Field("score", JsonValueKind.Number, operation, where).GetDouble();
            point.TryGetProperty("payload", out var payload);
            // A negated query scores -q·x; the caller's similarity is q·x (likewise for cosine).
            photos.Add(QdrantPayload.Read(payload, negated ? -score : score, $"Qdrant's answer to {operation}, {where}"));
        }
        return photos;
    }

    private static JsonDocument Parse(byte[] body, string operation)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            var start = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120)).ReplaceLineEndings(" ");
            throw new QdrantProtocolException(
                $"Qdrant's answer to {operation} is not JSON ({e.Message}); it starts with '{start}'. " +
                $"Is {QdrantStoreOptions.SectionName}:Url the Qdrant REST port (6333), not a proxy or the gRPC port?", e);
        }
    }

    private static JsonElement Result(JsonDocument doc, string operation)
    {
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("result", out var result))
            throw Protocol(operation, "the body has no 'result'");
        return result;
    }

    private static JsonElement Field(this JsonElement parent, string name, JsonValueKind kind, string operation, string at)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
            throw Protocol(operation, $"{at}.{name} is missing");
        if (value.ValueKind != kind)
            throw Protocol(operation, $"{at}.{name} is {value.ValueKind}, expected {kind}");
        return value;
    }

    private static QdrantProtocolException Protocol(string operation, string problem) =>
        new($"Qdrant's answer to {operation} is not what its API describes: {problem}.");
}
