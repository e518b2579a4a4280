using System.Globalization;
using G3.Core.Candidates;
using G3.Core.Ports;

namespace G3.Alignment.Store.Qdrant;

/// <summary>
/// <see cref="IReferenceStore"/> over Qdrant's REST API. The collection is checked (and created
/// when missing) on first use, or up front with <see cref="EnsureCollectionAsync"/>.
/// <para>
/// Least-similar search: Qdrant only ranks dense vectors best-first. Querying with the negated
/// vector under Dot distance turns top-k of −q·x into bottom-k of q·x, i.e. the k least similar,
/// least similar first; the score comes back negated and is flipped again. Under Cosine the
/// same holds, since cos(−q, x) = −cos(q, x). With HNSW both directions are approximate; set
/// <see cref="QdrantStoreOptions.ExactSearch"/> for exact answers.
/// </para>
/// </summary>
public sealed class QdrantReferenceStore : IReferenceStore
{
    private readonly QdrantStoreOptions _options;
    private readonly QdrantHttp _http;
    private readonly QdrantCollectionSetup _setup;
    private readonly string _points;

    /// <param name="httpClient">Used as is (from IHttpClientFactory in the host); its BaseAddress is ignored, <see cref="QdrantStoreOptions.Url"/> is used.</param>
    /// <param name="options">Validated here; invalid options throw <see cref="G3.Core.Options.G3OptionsException"/>.</param>
    /// <param name="timeProvider">For retry delays and timeouts; null means the system clock.</param>
    public QdrantReferenceStore(HttpClient httpClient, QdrantStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options.ThrowIfInvalid();
        _http = new QdrantHttp(httpClient, options, timeProvider);
        _setup = new QdrantCollectionSetup(_http, options);
        _points = $"collections/{Uri.EscapeDataString(options.Collection)}/points";
    }

    public int Dimension => _options.VectorSize;

    /// <summary>Checks the collection's vector size and distance, creating it when missing. Idempotent; the first success is remembered.</summary>
    public Task EnsureCollectionAsync(CancellationToken cancellationToken) => _setup.EnsureAsync(cancellationToken);

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
            var operation = string.Create(CultureInfo.InvariantCulture,
                $"upsert of records {start}..{start + count - 1} of {records.Count} into '{_options.Collection}'");
            var result = await _http.SendAsync(HttpMethod.Put, _points + "?wait=true",
                QdrantRequests.Upsert(records, start, count), operation, cancellationToken).ConfigureAwait(false);
            QdrantResponses.Updated(result.Body, operation);
        }
    }

    public Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) =>
        QueryAsync(query, k, negate: false, cancellationToken);

    public Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) =>
        QueryAsync(query, k, negate: true, cancellationToken);

    public async Task<IReadOnlyList<IReadOnlyList<ReferencePhoto>>> SearchBatchAsync(
        IReadOnlyList<ReadOnlyMemory<float>> queries, int k, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        for (var i = 0; i < queries.Count; i++) CheckVector(queries[i].Span, $"queries[{i}]", nameof(queries));
        if (queries.Count == 0) return [];
        if (k == 0) return queries.Select(_ => (IReadOnlyList<ReferencePhoto>)[]).ToList();
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);

        var operation = string.Create(CultureInfo.InvariantCulture, $"batch query of {queries.Count} vectors in '{_options.Collection}'");
        var result = await _http.SendAsync(HttpMethod.Post, _points + "/query/batch",
            QdrantRequests.QueryBatch(queries, k, _options), operation, cancellationToken).ConfigureAwait(false);
        return QdrantResponses.QueryBatch(result.Body, queries.Count, operation);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var operation = $"count of '{_options.Collection}'";
        var result = await _http.SendAsync(HttpMethod.Post, _points + "/count",
            QdrantRequests.CountExact(), operation, cancellationToken).ConfigureAwait(false);
        return QdrantResponses.Count(result.Body, operation);
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

        var pointIds = byPoint.Keys.ToList();
        for (var start = 0; start < pointIds.Count; start += _options.UpsertBatchSize)
        {
            var batch = pointIds.GetRange(start, Math.Min(_options.UpsertBatchSize, pointIds.Count - start));
            var operation = $"lookup of {batch.Count} ids in '{_options.Collection}'";
            var found = await _http.SendAsync(HttpMethod.Post, _points,
                QdrantRequests.Retrieve(batch), operation, cancellationToken).ConfigureAwait(false);
            foreach (var point in QdrantResponses.RecordIds(found.Body, operation))
                if (byPoint.TryGetValue(point, out var originals)) existing.UnionWith(originals);
        }
        return existing;
    }

    /// <summary>
    /// Qdrant's delete does not say how many points it removed, so the ids are first looked up
    /// (ids only, no payloads) to count those that exist, then deleted, batch by batch.
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
        for (var start = 0; start < pointIds.Count; start += _options.UpsertBatchSize)
        {
            var batch = pointIds.GetRange(start, Math.Min(_options.UpsertBatchSize, pointIds.Count - start));
            var lookup = $"lookup of {batch.Count} ids before deleting them from '{_options.Collection}'";
            var found = await _http.SendAsync(HttpMethod.Post, _points,
                QdrantRequests.Retrieve(batch), lookup, cancellationToken).ConfigureAwait(false);
            var present = QdrantResponses.RecordCount(found.Body, lookup);
            if (present == 0) continue;

            var operation = $"delete of {batch.Count} ids from '{_options.Collection}'";
            var deleted = await _http.SendAsync(HttpMethod.Post, _points + "/delete?wait=true",
                QdrantRequests.Delete(batch), operation, cancellationToken).ConfigureAwait(false);
            QdrantResponses.Updated(deleted.Body, operation);
            existed += present;
        }
        return existed;
    }

    private async Task<IReadOnlyList<ReferencePhoto>> QueryAsync(ReadOnlyMemory<float> query, int k, bool negate, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckVector(query.Span, "query", nameof(query));
        if (k == 0) return [];
        await _setup.EnsureAsync(cancellationToken).ConfigureAwait(false);

        var operation = string.Create(CultureInfo.InvariantCulture,
            $"{(negate ? "least-similar" : "similar")} query (k={k}) in '{_options.Collection}'");
        var result = await _http.SendAsync(HttpMethod.Post, _points + "/query",
            QdrantRequests.Query(query, k, negate, _options), operation, cancellationToken).ConfigureAwait(false);
        return QdrantResponses.QueryPoints(result.Body, negate, operation);
    }

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
