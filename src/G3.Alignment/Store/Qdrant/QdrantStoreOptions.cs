using System.Globalization;
using System.Text.RegularExpressions;
using G3.Core.Options;

namespace G3.Alignment.Store.Qdrant;

/// <summary>How Qdrant compares vectors. Only the two that rank by inner product are offered.</summary>
public enum QdrantDistance
{
    /// <summary>Plain inner product: the G3 similarity for normalised embeddings (the default).</summary>
    Dot,

    /// <summary>Qdrant normalises stored and query vectors, then takes the inner product.</summary>
    Cosine,
}

/// <summary>
/// Settings of the Qdrant reference store (configuration section <c>Store:Qdrant</c>). Property names
/// match the configuration keys; the API key comes only from the environment
/// (<c>G3_Store__Qdrant__ApiKey</c>).
/// </summary>
public sealed partial record QdrantStoreOptions
{
    public const string SectionName = "Store:Qdrant";

    /// <summary>Base URL of Qdrant's REST API (port 6333 by default), e.g. <c>http://localhost:6333</c>.</summary>
    public string Url { get; init; } = "http://localhost:6333";

    /// <summary>Collection holding the reference photos; created on first use when missing.</summary>
    public string Collection { get; init; } = "mp16pro";

    /// <summary>Sent as the <c>api-key</c> header when set. Use HTTPS when the server is not on loopback.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Embedding dimension; must equal the image encoder's retrieval output. Required.</summary>
    public int VectorSize { get; init; }

    /// <summary>Dot (default) or Cosine; both rank by inner product for normalised embeddings.</summary>
    public QdrantDistance Distance { get; init; } = QdrantDistance.Dot;

    /// <summary>Limit on one HTTP attempt, response body included. A timed-out attempt is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt on transient failures (network, timeout, 429, 502, 503, 504). 0 disables.</summary>
    public int RetryCount { get; init; } = 3;

    /// <summary>First retry delay; doubles each retry, with jitter, capped by <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one retry delay, also of a server's Retry-After.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Points per upsert (and per delete) request.</summary>
    public int UpsertBatchSize { get; init; } = 256;

    /// <summary>Keep original vectors on disk (memory-mapped) rather than in RAM; applies at collection creation.</summary>
    public bool OnDiskVectors { get; init; }

    /// <summary>HNSW graph degree at collection creation; null keeps the server's default (16).</summary>
    public int? HnswM { get; init; }

    /// <summary>HNSW build beam at collection creation; null keeps the server's default (100).</summary>
    public int? HnswEfConstruct { get; init; }

    /// <summary>HNSW search beam per query; null keeps the server's default.</summary>
    public int? HnswEf { get; init; }

    /// <summary>Exact (brute-force) search instead of HNSW: slower, but the least-similar results are exact too.</summary>
    public bool ExactSearch { get; init; }

    /// <summary>Shards at collection creation (cluster mode); null keeps the server's default.</summary>
    public int? ShardNumber { get; init; }

    /// <summary>Copies of each shard at collection creation (cluster mode); null keeps the server's default (1).</summary>
    public int? ReplicationFactor { get; init; }

    /// <summary>The absolute base URI, valid after <see cref="Validate"/> found no error.</summary>
    public Uri BaseUri => new(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute);

    /// <summary>Every problem with these settings, each naming its configuration key; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string key, string problem)
        {
            if (!ok) errors.Add($"{SectionName}:{key} {problem}.");
        }

        Check(Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment),
            nameof(Url), $"must be an absolute http(s) URL without query, such as http://localhost:6333 (got '{Url}')");
        Check(Collection is not null && CollectionName().IsMatch(Collection),
            nameof(Collection), $"must be 1-255 characters among letters, digits, '_', '-' and '.' (got '{Collection}')");
        Check(ApiKey is null || (ApiKey.Length > 0 && ApiKey.Trim() == ApiKey && !ApiKey.Any(char.IsControl)),
            nameof(ApiKey), "must be unset or a non-empty value without surrounding spaces or control characters");
        Check(VectorSize is > 0 and <= 65536, nameof(VectorSize),
            string.Create(CultureInfo.InvariantCulture, $"must be the embedding dimension, 1..65536 (got {VectorSize})"));
        Check(Enum.IsDefined(Distance), nameof(Distance), $"must be Dot or Cosine (got '{Distance}')");
        // Polly's timeout strategy accepts 10 ms .. 1 day.
        Check(RequestTimeout >= TimeSpan.FromMilliseconds(10) && RequestTimeout <= TimeSpan.FromDays(1),
            nameof(RequestTimeout), $"must lie between 00:00:00.010 and 1.00:00:00 (got {RequestTimeout})");
        Check(RetryCount is >= 0 and <= 100, nameof(RetryCount),
            string.Create(CultureInfo.InvariantCulture, $"must lie in 0..100 (got {RetryCount})"));
        Check(RetryBaseDelay >= TimeSpan.Zero && RetryBaseDelay <= TimeSpan.FromDays(1),
            nameof(RetryBaseDelay), $"must lie between 0 and 1.00:00:00 (got {RetryBaseDelay})");
        Check(MaxRetryDelay >= RetryBaseDelay && MaxRetryDelay <= TimeSpan.FromDays(1),
            nameof(MaxRetryDelay), $"must lie between RetryBaseDelay and 1.00:00:00 (got {MaxRetryDelay})");
        Check(UpsertBatchSize is > 0 and <= 100_000, nameof(UpsertBatchSize),
            string.Create(CultureInfo.InvariantCulture, $"must lie in 1..100000 (got {UpsertBatchSize})"));
        Check(HnswM is null or >= 0, nameof(HnswM), "must be unset or at least 0");
        Check(HnswEfConstruct is null or >= 4, nameof(HnswEfConstruct), "must be unset or at least 4");
        Check(HnswEf is null or >= 1, nameof(HnswEf), "must be unset or at least 1");
        Check(ShardNumber is null or >= 1, nameof(ShardNumber), "must be unset or at least 1");
        Check(ReplicationFactor is null or >= 1, nameof(ReplicationFactor), "must be unset or at least 1");
        return errors;
    }

    /// <summary>Throws <see cref="G3OptionsException"/> listing every problem, if any.</summary>
    public QdrantStoreOptions ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new G3OptionsException(errors);
        return this;
    }

    /// <summary>A copy safe to log: the API key is masked.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"Qdrant {Url} collection '{Collection}' size {VectorSize} {Distance} api-key {(ApiKey is null ? "none" : "***")}");

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,255}$")]
    private static partial Regex CollectionName();
}
