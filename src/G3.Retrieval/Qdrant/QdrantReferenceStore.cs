using System.Globalization;
using G3.Core.Candidates;
using G3.Core.Ports;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace G3.Retrieval.Qdrant;

/// <summary>
/// <see cref="IReferenceStore"/> over Qdrant's gRPC API, through the official <see cref="QdrantClient"/>.
/// The collection is checked (and created when missing) on first use, or up front with
/// <see cref="EnsureCollectionAsync"/>. Writes wait for Qdrant to apply them, so a returned upsert
/// is committed; point ids are derived from the photo ids (<see cref="QdrantPointId"/>), so
/// re-indexing, resuming and several indexing shards overwrite rather than duplicate.
/// <para>
/// Least-similar search: Qdrant only ranks best-first. Querying with the negated vector under Dot
/// distance turns top-k of −q·x into bottom-k of q·x, i.e. the k least similar, least similar
/// first; the score comes back negated and is flipped again (under Cosine likewise, since
/// cos(−q, x) = −cos(q, x)). Search is exact by default, as G3's FAISS flat index; with HNSW both
/// directions are approximate.
/// </para>
/// </summary>
public sealed class QdrantReferenceStore : IReferenceStore, IDisposable
{
    private readonly QdrantStoreOptions _options;
    private readonly QdrantClient _client;
    private readonly QdrantCalls _calls;
    private readonly QdrantCollectionSetup _setup;

    /// <param name="options">Validated here; invalid options throw <see cref="G3.Core.Options.G3OptionsException"/>.</param>
    /// <param name="timeProvider">For retry delays; null means the system clock.</param>
    public QdrantReferenceStore(QdrantStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.ThrowIfInvalid();
        _client = QdrantConnection.Open(options);
        _calls = new QdrantCalls(options, timeProvider);
        _setup = new QdrantCollectionSetup(_client, _calls, options);
    }

    public int Dimension => _options.VectorSize;

    /// <summary>Checks the collection's vector size and distance, creating it when missing. Idempotent; the first success is remembered.</summary>
    public Task EnsureCollectionAsync(CancellationToken cancellationToken) => _setup.EnsureAsync(cancellationToken);

    /// <summary>The server, as readiness and logs name it: "Qdrant at http://host:6334".</summary>
    public string Server => _calls.Server;

    /// <summary>
    /// One cheap call that succeeds only when Qdrant answers and the collection is usable: the collection is checked
    /// (created when missing) on the first success, then only described. For readiness; it reads no points.
    /// </summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await Run(t => _client.GetCollectionInfoAsync(_options.Collection, t), $"health probe of '{_options.Collection}'", cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Drops the whole collection (tests, re-indexing from scratch). True when it existed.</summary>
    public Task<bool> DropCollectionAsync(CancellationToken cancellationToken) => _setup.DropAsync(cancellationToken);

    public async Task UpsertAsync(IReadOnlyList<ReferenceRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++) CheckRecord(records[i], i, nameof(records));
        if (records.Count == 0) return;
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);

        for (var start = 0; start < records.Count; start += _options.UpsertBatchSize)
        {
            var count = Math.Min(_options.UpsertBatchSize, records.Count - start);
            var points = new List<PointStruct>(count);
            for (var i = start; i < start + count; i++)
            {
                var point = new PointStruct { Id = PointId(records[i].Id), Vectors = records[i].Vector };
                QdrantPayload.Write(point.Payload, records[i]);
                points.Add(point);
            }
            var operation = string.Create(CultureInfo.InvariantCulture,
                $"upsert of records {start}..{start + count - 1} of {records.Count} into '{_options.Collection}'");
            var result = await Run(t => _client.UpsertAsync(_options.Collection, points, wait: true, cancellationToken: t), operation, cancellationToken)
                .ConfigureAwait(false);
            CheckCompleted(result, operation);
        }
    }

    public async Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) =>
        (await SearchNeighboursAsync(query, k, 0, cancellationToken).ConfigureAwait(false)).Similar;

    public async Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) =>
        (await SearchNeighboursAsync(query, 0, k, cancellationToken).ConfigureAwait(false)).Dissimilar;

    /// <summary>Both ends in one round trip: a batch of the query and its negation.</summary>
    public async Task<ReferenceNeighbours> SearchNeighboursAsync(ReadOnlyMemory<float> query, int k, int kLeast, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(kLeast);
        CheckVector(query.Span, "query", nameof(query));
        if (k + kLeast == 0) return new ReferenceNeighbours([], []);
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);

        var requests = new List<(QueryPoints Query, bool Negated)>(2);
        if (k > 0) requests.Add((Query(query.Span, k, negate: false), false));
        if (kLeast > 0) requests.Add((Query(query.Span, kLeast, negate: true), true));
        var operation = string.Create(CultureInfo.InvariantCulture,
            $"query for the {k} most and {kLeast} least similar points in '{_options.Collection}'");
        var answers = await QueryAsync(requests, operation, cancellationToken).ConfigureAwait(false);
        var similar = k > 0 ? answers[0] : [];
        var dissimilar = kLeast > 0 ? answers[^1] : [];
        return new ReferenceNeighbours(similar, dissimilar);
    }

    /// <summary>Several queries in one round trip (Qdrant's batch query).</summary>
    public async Task<IReadOnlyList<IReadOnlyList<ReferencePhoto>>> SearchBatchAsync(
        IReadOnlyList<ReadOnlyMemory<float>> queries, int k, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        for (var i = 0; i < queries.Count; i++) CheckVector(queries[i].Span, $"queries[{i}]", nameof(queries));
        if (queries.Count == 0) return [];
        if (k == 0) return queries.Select(_ => (IReadOnlyList<ReferencePhoto>)[]).ToList();
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);

        var requests = queries.Select(q => (Query(q.Span, k, negate: false), false)).ToList();
        var operation = string.Create(CultureInfo.InvariantCulture, $"batch query of {queries.Count} vectors in '{_options.Collection}'");
        return await QueryAsync(requests, operation, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var count = await Run(t => _client.CountAsync(_options.Collection, exact: true, cancellationToken: t),
            $"count of '{_options.Collection}'", cancellationToken).ConfigureAwait(false);
        return (long)count;
    }

    /// <summary>Looks the ids up (ids only, no payloads or vectors), batch by batch.</summary>
    public async Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var byPoint = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var id in ids.Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal))
        {
            var point = QdrantPointId.FromId(id);
            if (!byPoint.TryGetValue(point, out var originals)) byPoint[point] = originals = [];
            originals.Add(id);
        }
        var existing = new HashSet<string>(StringComparer.Ordinal);
        if (byPoint.Count == 0) return existing;
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);

        foreach (var batch in byPoint.Keys.Chunk(_options.UpsertBatchSize))
            foreach (var point in await ExistingPointsAsync(batch, $"lookup of {batch.Length} ids in '{_options.Collection}'", cancellationToken).ConfigureAwait(false))
                if (byPoint.TryGetValue(point, out var originals)) existing.UnionWith(originals);
        return existing;
    }

    /// <summary>
    /// Qdrant's delete does not say how many points it removed, so the ids are first looked up
    /// (ids only) to count those that exist, then deleted with wait, batch by batch.
    /// </summary>
    public async Task<int> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        for (var i = 0; i < ids.Count; i++)
            if (string.IsNullOrEmpty(ids[i]))
                throw new ArgumentException($"ids[{i}] is null or empty; every reference photo has a non-empty id.", nameof(ids));
        var pointIds = ids.Select(QdrantPointId.FromId).Distinct(StringComparer.Ordinal).ToList();
        if (pointIds.Count == 0) return 0;
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);

        var existed = 0;
        foreach (var batch in pointIds.Chunk(_options.UpsertBatchSize))
        {
            var present = await ExistingPointsAsync(batch, $"lookup of {batch.Length} ids before deleting them from '{_options.Collection}'", cancellationToken)
                .ConfigureAwait(false);
            if (present.Count == 0) continue;
            var operation = $"delete of {present.Count} points from '{_options.Collection}'";
            var selected = present.Select(PointIdOfUuid).ToList();
            var result = await Run(t => _client.DeleteAsync(_options.Collection, selected, wait: true, cancellationToken: t), operation, cancellationToken)
                .ConfigureAwait(false);
            CheckCompleted(result, operation);
            existed += present.Count;
        }
        return existed;
    }

    public void Dispose() => _client.Dispose();

    private async Task<List<string>> ExistingPointsAsync(IReadOnlyList<string> pointUuids, string operation, CancellationToken cancellationToken)
    {
        var selected = pointUuids.Select(PointIdOfUuid).ToList();
        var found = await Run(t => _client.RetrieveAsync(_options.Collection, selected, withPayload: false, withVectors: false, cancellationToken: t),
            operation, cancellationToken).ConfigureAwait(false);
        return found.Select(p => p.Id.Uuid).ToList();
    }

    private QueryPoints Query(ReadOnlySpan<float> vector, int k, bool negate)
    {
        var values = vector.ToArray();
        if (negate)
            for (var i = 0; i < values.Length; i++) values[i] = -values[i];
        return new QueryPoints
        {
            CollectionName = _options.Collection,
            Query = values,
            Limit = (ulong)k,
            WithPayload = true,
            Params = QdrantSearchParams.For(_options),
        };
    }

    /// <summary>One request (Query) or several (QueryBatch); negated answers get their scores flipped back.</summary>
    private async Task<IReadOnlyList<ReferencePhoto>[]> QueryAsync(List<(QueryPoints Query, bool Negated)> requests, string operation,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<IReadOnlyList<ScoredPoint>> answers;
        if (requests.Count == 1)
        {
            var q = requests[0].Query;
            var single = await Run(t => _client.QueryAsync(q.CollectionName, q.Query, limit: q.Limit, searchParams: q.Params,
                payloadSelector: q.WithPayload, cancellationToken: t), operation, cancellationToken).ConfigureAwait(false);
            answers = [single];
        }
        else
        {
            var batch = await Run(t => _client.QueryBatchAsync(_options.Collection, requests.Select(r => r.Query).ToList(), cancellationToken: t),
                operation, cancellationToken).ConfigureAwait(false);
            answers = batch.Select(b => (IReadOnlyList<ScoredPoint>)b.Result).ToList();
        }
        if (answers.Count != requests.Count)
            throw new QdrantProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Qdrant's answer to the {operation} holds {answers.Count} results for {requests.Count} queries."));

        var photos = new IReadOnlyList<ReferencePhoto>[requests.Count];
        for (var r = 0; r < requests.Count; r++)
        {
            var negated = requests[r].Negated;
            photos[r] = answers[r].Select((p, i) => QdrantPayload.Read(p.Payload, negated ? -p.Score : p.Score,
                string.Create(CultureInfo.InvariantCulture, $"Qdrant's answer to the {operation}, result {r}, point {i}"))).ToList();
        }
        return photos;
    }

    private Task<T> Run<T>(Func<CancellationToken, Task<T>> call, string operation, CancellationToken cancellationToken) =>
        _calls.RunAsync(call, operation, cancellationToken, _setup.Forget);

    private static void CheckCompleted(UpdateResult result, string operation)
    {
        if (result.Status is not (UpdateStatus.Completed or UpdateStatus.Acknowledged))
            throw new QdrantStoreException($"Qdrant did not complete the {operation}: status {result.Status}.");
    }

    private static PointId PointId(string id) => PointIdOfUuid(QdrantPointId.FromId(id));

    private static PointId PointIdOfUuid(string uuid) => new() { Uuid = uuid };

    private void CheckRecord(ReferenceRecord? record, int index, string parameter)
    {
        if (record is null) throw new ArgumentException($"records[{index}] is null.", parameter);
        if (string.IsNullOrEmpty(record.Id)) throw new ArgumentException($"records[{index}] has an empty id.", parameter);
        if (record.Vector is null) throw new ArgumentException($"records[{index}] ('{record.Id}') has no vector.", parameter);
        CheckVector(record.Vector, $"records[{index}] ('{record.Id}') vector", parameter);
    }

    private void CheckVector(ReadOnlySpan<float> vector, string what, string parameter)
    {
        if (vector.Length != _options.VectorSize)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{what} has {vector.Length} dimensions; the store '{_options.Collection}' holds {_options.VectorSize}-dimensional vectors."), parameter);
        for (var i = 0; i < vector.Length; i++)
            if (!float.IsFinite(vector[i]))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{what} holds {vector[i]} at index {i}; vectors must be finite."), parameter);
    }
}
