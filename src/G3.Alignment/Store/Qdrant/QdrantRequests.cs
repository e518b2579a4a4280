using System.Buffers;
using System.Text.Json;
using G3.Core.Ports;

namespace G3.Alignment.Store.Qdrant;

/// <summary>
/// JSON bodies of the Qdrant requests this store sends, written straight to UTF-8 (vectors are
/// the bulk of every body). Each method names the schema of Qdrant's OpenAPI document it
/// produces; the contract tests validate the bytes against that schema.
/// </summary>
internal static class QdrantRequests
{
    /// <summary><c>CreateCollection</c>: one unnamed dense vector of the configured size and distance.</summary>
    public static byte[] CreateCollection(QdrantStoreOptions o) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("vectors");
        w.WriteStartObject();
        w.WriteNumber("size", o.VectorSize);
        w.WriteString("distance", o.Distance.ToString());
        // `on_disk` is deprecated in favour of `memory: "cold"` on the newest servers, which still
        // honour it; older servers know only `on_disk`, so it is the portable choice.
        if (o.OnDiskVectors) w.WriteBoolean("on_disk", true);
        w.WriteEndObject();
        if (o.HnswM is not null || o.HnswEfConstruct is not null)
        {
            w.WritePropertyName("hnsw_config");
            w.WriteStartObject();
            if (o.HnswM is { } m) w.WriteNumber("m", m);
            if (o.HnswEfConstruct is { } ef) w.WriteNumber("ef_construct", ef);
            w.WriteEndObject();
        }
        if (o.ShardNumber is { } shards) w.WriteNumber("shard_number", shards);
        if (o.ReplicationFactor is { } replicas) w.WriteNumber("replication_factor", replicas);
        w.WriteEndObject();
    });

    /// <summary><c>PointInsertOperations</c> (the <c>PointsList</c> form).</summary>
    public static byte[] Upsert(IReadOnlyList<ReferenceRecord> records, int start, int count) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("points");
        w.WriteStartArray();
        for (var i = start; i < start + count; i++)
        {
            var r = records[i];
            w.WriteStartObject();
            w.WriteString("id", QdrantPointId.FromId(r.Id));
            w.WritePropertyName("vector");
            WriteVector(w, r.Vector, negate: false);
            w.WritePropertyName("payload");
            QdrantPayload.Write(w, r);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary><c>QueryRequest</c>: a nearest-neighbour query returning payloads, no vectors.</summary>
    public static byte[] Query(ReadOnlyMemory<float> query, int k, bool negate, QdrantStoreOptions o) =>
        Write(w => WriteQuery(w, query.Span, k, negate, o));

    /// <summary><c>QueryRequestBatch</c>: one <c>QueryRequest</c> per query.</summary>
    public static byte[] QueryBatch(IReadOnlyList<ReadOnlyMemory<float>> queries, int k, QdrantStoreOptions o) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("searches");
        w.WriteStartArray();
        foreach (var q in queries) WriteQuery(w, q.Span, k, negate: false, o);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary><c>CountRequest</c>: exact count of every point.</summary>
    public static byte[] CountExact() => Write(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("exact", true);
        w.WriteEndObject();
    });

    /// <summary><c>PointRequest</c>: which of these ids exist (ids only, no payload or vector).</summary>
    public static byte[] Retrieve(IReadOnlyList<string> pointIds) => Write(w =>
    {
        w.WriteStartObject();
        WriteIds(w, "ids", pointIds);
        w.WriteBoolean("with_payload", false);
        w.WriteBoolean("with_vector", false);
        w.WriteEndObject();
    });

    /// <summary><c>PointsSelector</c> (the <c>PointIdsList</c> form).</summary>
    public static byte[] Delete(IReadOnlyList<string> pointIds) => Write(w =>
    {
        w.WriteStartObject();
        WriteIds(w, "points", pointIds);
        w.WriteEndObject();
    });

    private static void WriteQuery(Utf8JsonWriter w, ReadOnlySpan<float> query, int k, bool negate, QdrantStoreOptions o)
    {
        w.WriteStartObject();
        // The explicit NearestQuery form rather than the bare-vector shorthand: it says what it does.
        w.WritePropertyName("query");
        w.WriteStartObject();
        w.WritePropertyName("nearest");
        WriteVector(w, query, negate);
        w.WriteEndObject();
        w.WriteNumber("limit", k);
        w.WriteBoolean("with_payload", true);
        w.WriteBoolean("with_vector", false);
        if (o.ExactSearch || o.HnswEf is not null)
        {
            w.WritePropertyName("params");
            w.WriteStartObject();
            if (o.HnswEf is { } ef) w.WriteNumber("hnsw_ef", ef);
            if (o.ExactSearch) w.WriteBoolean("exact", true);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteVector(Utf8JsonWriter w, ReadOnlySpan<float> vector, bool negate)
    {
        w.WriteStartArray();
        foreach (var x in vector) w.WriteNumberValue(negate ? -x : x);
        w.WriteEndArray();
    }

    private static void WriteIds(Utf8JsonWriter w, string name, IReadOnlyList<string> pointIds)
    {
        w.WritePropertyName(name);
        w.WriteStartArray();
        foreach (var id in pointIds) w.WriteStringValue(id);
        w.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
            body(w);
        return buffer.WrittenSpan.ToArray();
    }
}
