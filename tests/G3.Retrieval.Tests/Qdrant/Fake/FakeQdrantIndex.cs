using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace G3.Retrieval.Tests.Qdrant.Fake;

/// <summary>
/// The fake server's data: collections of points held in memory and searched exactly (every point
/// scored, best first, ties by point id), with Qdrant's error statuses for what Qdrant refuses.
/// Thread-safe behind one lock; it serves tests, not speed.
/// </summary>
internal sealed class FakeQdrantIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Collection> _collections = new(StringComparer.Ordinal);

    internal sealed class Collection(CreateCollection definition)
    {
        public CreateCollection Definition { get; } = definition;
        public VectorParams Vectors => Definition.VectorsConfig.Params;
        public Dictionary<string, (PointId Id, float[] Vector, MapField<string, Value> Payload)> Points { get; } = new(StringComparer.Ordinal);
        public HashSet<string> PayloadIndexes { get; } = new(StringComparer.Ordinal);
    }

    public bool Exists(string name)
    {
        lock (_gate) return _collections.ContainsKey(name);
    }

    /// <summary>A snapshot of one collection's definition, indexes and size (for assertions).</summary>
    public (CreateCollection Definition, IReadOnlySet<string> PayloadIndexes, int Count)? Describe(string name)
    {
        lock (_gate)
            return _collections.TryGetValue(name, out var c) ? (c.Definition.Clone(), c.PayloadIndexes.ToHashSet(), c.Points.Count) : null;
    }

    public void Create(CreateCollection request)
    {
        lock (_gate)
        {
            if (_collections.ContainsKey(request.CollectionName))
                throw new RpcException(new Status(StatusCode.AlreadyExists, $"Wrong input: Collection `{request.CollectionName}` already exists!"));
            if (request.VectorsConfig?.ConfigCase is not (VectorsConfig.ConfigOneofCase.Params or VectorsConfig.ConfigOneofCase.ParamsMap))
                throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: vectors config is missing"));
            _collections[request.CollectionName] = new Collection(request.Clone());
        }
    }

    public bool Delete(string name)
    {
        lock (_gate) return _collections.Remove(name);
    }

    public CollectionInfo Info(string name)
    {
        lock (_gate)
        {
            var c = Get(name);
            return new CollectionInfo
            {
                Status = CollectionStatus.Green,
                PointsCount = (ulong)c.Points.Count,
                Config = new CollectionConfig
                {
                    Params = new CollectionParams { VectorsConfig = c.Definition.VectorsConfig.Clone() },
                    HnswConfig = new HnswConfigDiff(),
                    OptimizerConfig = new OptimizersConfigDiff(),
                    WalConfig = new WalConfigDiff(),
                },
            };
        }
    }

    public void AddPayloadIndex(string name, string field)
    {
        lock (_gate) Get(name).PayloadIndexes.Add(field);
    }

    public void Upsert(string name, IEnumerable<PointStruct> points)
    {
        lock (_gate)
        {
            var c = Get(name);
            var batch = points.Select(p => (Key: Key(p.Id), p.Id, Vector: DenseOf(p.Vectors), p.Payload)).ToList();
            // Validate the whole batch first: Qdrant applies all of it or none.
            foreach (var p in batch) CheckDimension(c, p.Vector.Length);
            foreach (var p in batch) c.Points[p.Key] = (p.Id.Clone(), p.Vector, p.Payload.Clone());
        }
    }

    public int Remove(string name, IEnumerable<PointId> ids)
    {
        lock (_gate)
        {
            var c = Get(name);
            return ids.Count(id => c.Points.Remove(Key(id)));
        }
    }

    public List<RetrievedPoint> Retrieve(string name, IEnumerable<PointId> ids, bool withPayload)
    {
        lock (_gate)
        {
            var c = Get(name);
            var found = new List<RetrievedPoint>();
            foreach (var id in ids)
            {
                if (!c.Points.TryGetValue(Key(id), out var p)) continue;
                var point = new RetrievedPoint { Id = p.Id.Clone() };
                if (withPayload) point.Payload.Add(p.Payload);
                found.Add(point);
            }
            return found;
        }
    }

    public ulong Count(string name)
    {
        lock (_gate) return (ulong)Get(name).Points.Count;
    }

    /// <summary>Exact top-k by the collection's distance (Dot, or Cosine on normalised vectors), best first.</summary>
    public List<ScoredPoint> Search(string name, float[] query, ulong limit, bool withPayload)
    {
        lock (_gate)
        {
            var c = Get(name);
            CheckDimension(c, query.Length);
            var cosine = c.Vectors.Distance == Distance.Cosine;
            var q = cosine ? Normalised(query) : query;
            return c.Points
                .Select(kv => (kv.Key, Point: kv.Value, Score: Dot(q, cosine ? Normalised(kv.Value.Vector) : kv.Value.Vector)))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Key, StringComparer.Ordinal)
                .Take((int)Math.Min(limit, int.MaxValue))
                .Select(x =>
                {
                    var scored = new ScoredPoint { Id = x.Point.Id.Clone(), Score = (float)x.Score, Version = 1 };
                    if (withPayload) scored.Payload.Add(x.Point.Payload);
                    return scored;
                })
                .ToList();
        }
    }

    private Collection Get(string name) => _collections.TryGetValue(name, out var c)
        ? c
        : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));

    private static void CheckDimension(Collection c, int length)
    {
        if (c.Definition.VectorsConfig.ConfigCase != VectorsConfig.ConfigOneofCase.Params)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: Not existing vector name error: "));
        if ((ulong)length != c.Vectors.Size)
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"Wrong input: Vector dimension error: expected dim: {c.Vectors.Size}, got {length}"));
    }

    /// <summary>The dense vector of an unnamed-vector point, in either of the encodings clients send.</summary>
    public static float[] DenseOf(Vectors vectors)
    {
        if (vectors?.VectorsOptionsCase != Vectors.VectorsOptionsOneofCase.Vector)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: the fake serves one unnamed dense vector per point"));
        return DenseOf(vectors.Vector);
    }

    private static float[] DenseOf(Vector vector)
    {
        if (vector.Dense is { } dense) return dense.Data.ToArray();
#pragma warning disable CS0612 // the older encoding, still sent by some clients
        return vector.Data.ToArray();
#pragma warning restore CS0612
    }

    public static string Key(PointId id) => id.PointIdOptionsCase switch
    {
        PointId.PointIdOptionsOneofCase.Uuid => Guid.TryParse(id.Uuid, out var g)
            ? g.ToString("D")
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"Wrong input: '{id.Uuid}' is not a UUID")),
        PointId.PointIdOptionsOneofCase.Num => id.Num.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: empty point id")),
    };

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    private static float[] Normalised(float[] v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        return norm == 0 ? v : v.Select(x => (float)(x / norm)).ToArray();
    }
}
