using System.Globalization;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace G3.Retrieval.Qdrant;

/// <summary>
/// Makes sure the collection exists with the configured shape, once: checked when it exists
/// (vector size and distance must match), created when missing (vector parameters, on-disk
/// storage, HNSW build settings, int8 quantization, shards, replication), then the configured
/// payload indexes are created (idempotent in Qdrant).
/// </summary>
internal sealed class QdrantCollectionSetup(QdrantClient client, QdrantCalls calls, QdrantStoreOptions options)
{
    private readonly Lock _lock = new();
    private Task? _ensure;

    /// <summary>
    /// One check shared by concurrent callers; a failed or cancelled check is tried afresh by the
    /// next caller. The shared check is not tied to any caller's token (the deadline and retries
    /// bound it); each caller stops waiting when its own token fires.
    /// </summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        Task ensure;
        lock (_lock)
        {
            if (_ensure is null || _ensure.IsFaulted || _ensure.IsCanceled)
                _ensure = RunAsync();
            ensure = _ensure;
        }
        return ensure.IsCompletedSuccessfully ? Task.CompletedTask : ensure.WaitAsync(cancellationToken);
    }

    /// <summary>Forget the last check: the collection was found missing, so the next call sets it up again.</summary>
    public void Forget()
    {
        lock (_lock) _ensure = null;
    }

    public async Task<bool> DropAsync(CancellationToken cancellationToken)
    {
        var name = options.Collection;
        var existed = await calls.RunAsync(t => client.CollectionExistsAsync(name, t), $"lookup of collection '{name}'", cancellationToken)
            .ConfigureAwait(false);
        if (existed)
            await calls.RunAsync(async t => { await client.DeleteCollectionAsync(name, cancellationToken: t).ConfigureAwait(false); return true; },
                $"drop of collection '{name}'", cancellationToken).ConfigureAwait(false);
        Forget();
        return existed;
    }

    private async Task RunAsync()
    {
        var name = options.Collection;
        var none = CancellationToken.None;
        var exists = await calls.RunAsync(t => client.CollectionExistsAsync(name, t), $"lookup of collection '{name}'", none).ConfigureAwait(false);
        if (exists)
            await VerifyAsync(none).ConfigureAwait(false);
        else
            await CreateAsync(none).ConfigureAwait(false);

        foreach (var key in options.PayloadIndexes.Distinct(StringComparer.Ordinal))
        {
            var type = QdrantPayload.IsNumeric(key) ? PayloadSchemaType.Float : PayloadSchemaType.Keyword;
            await calls.RunAsync(async t =>
            {
                await client.CreatePayloadIndexAsync(name, key, type, wait: true, cancellationToken: t).ConfigureAwait(false);
                return true;
            }, $"creation of the payload index on '{key}' in '{name}'", none).ConfigureAwait(false);
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var name = options.Collection;
        try
        {
            await calls.RunAsync(async t =>
            {
                await client.CreateCollectionAsync(Describe(options), t).ConfigureAwait(false);
                return true;
            }, $"creation of collection '{name}'", cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (QdrantStoreException e) when (e is not QdrantUnavailableException)
        {
            // Another instance (a parallel indexing shard) may have created it meanwhile: then check
            // that one instead; otherwise the refusal stands.
            var exists = await calls.RunAsync(t => client.CollectionExistsAsync(name, t), $"lookup of collection '{name}'", cancellationToken)
                .ConfigureAwait(false);
            if (!exists) throw;
        }
        await VerifyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The creation request for these options: one unnamed dense vector per point.</summary>
    internal static CreateCollection Describe(QdrantStoreOptions options)
    {
        var vectors = new VectorParams
        {
            Size = (ulong)options.VectorSize,
            Distance = options.Distance == QdrantDistance.Dot ? Distance.Dot : Distance.Cosine,
        };
        // Both the placement field and its deprecated flag: servers before `memory` read only the flag.
#pragma warning disable CS0612
        if (options.OnDiskVectors)
        {
            vectors.Memory = Memory.Cold;
            vectors.OnDisk = true;
        }
        var create = new CreateCollection
        {
            CollectionName = options.Collection,
            VectorsConfig = new VectorsConfig { Params = vectors },
        };
        if (options.OnDiskPayload)
        {
            create.Payload = new PayloadStorageParams { Memory = Memory.Cold };
            create.OnDiskPayload = true;
        }
        if (options.HnswM is not null || options.HnswEfConstruct is not null)
        {
            var hnsw = new HnswConfigDiff();
            if (options.HnswM is { } m) hnsw.M = (ulong)m;
            if (options.HnswEfConstruct is { } ef) hnsw.EfConstruct = (ulong)ef;
            create.HnswConfig = hnsw;
        }
        if (options.Quantization == QdrantQuantization.Scalar)
        {
            var scalar = new ScalarQuantization { Type = QuantizationType.Int8, AlwaysRam = options.QuantizationAlwaysRam };
            if (options.QuantizationAlwaysRam) scalar.Memory = Memory.Pinned;
            create.QuantizationConfig = new QuantizationConfig { Scalar = scalar };
        }
#pragma warning restore CS0612
        if (options.ShardNumber is { } shards) create.ShardNumber = (uint)shards;
        if (options.ReplicationFactor is { } replicas) create.ReplicationFactor = (uint)replicas;
        return create;
    }

    /// <summary>Throws when the existing collection holds other vectors than this store is configured for.</summary>
    private async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var name = options.Collection;
        var info = await calls.RunAsync(t => client.GetCollectionInfoAsync(name, t), $"lookup of collection '{name}'", cancellationToken)
            .ConfigureAwait(false);
        var config = info.Config?.Params?.VectorsConfig;
        var wanted = string.Create(CultureInfo.InvariantCulture, $"one unnamed vector of size {options.VectorSize} with {options.Distance} distance");
        if (config?.ConfigCase == VectorsConfig.ConfigOneofCase.ParamsMap)
            throw new QdrantCollectionMismatchException(
                $"Qdrant collection '{name}' uses named vectors ({string.Join(", ", config.ParamsMap.Map.Keys)}), but this store needs {wanted}. " +
                $"Point {QdrantStoreOptions.SectionName}:Collection at another collection, or drop this one.");
        if (config?.ConfigCase != VectorsConfig.ConfigOneofCase.Params)
            throw new QdrantProtocolException($"Qdrant described collection '{name}' without vector parameters; this store needs {wanted}.");
        var size = config.Params.Size;
        var distance = config.Params.Distance.ToString();
        if (size != (ulong)options.VectorSize || !string.Equals(distance, options.Distance.ToString(), StringComparison.Ordinal))
            throw new QdrantCollectionMismatchException(string.Create(CultureInfo.InvariantCulture,
                $"Qdrant collection '{name}' holds vectors of size {size} with {distance} distance, but this store is configured for size {options.VectorSize} with {options.Distance} distance. " +
                $"Use the model the collection was built with, or another {QdrantStoreOptions.SectionName}:Collection, or drop this collection and re-index."));
    }
}
