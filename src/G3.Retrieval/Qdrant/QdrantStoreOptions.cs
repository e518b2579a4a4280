using System.Globalization;
using System.Text.RegularExpressions;
using G3.Core.Options;

namespace G3.Retrieval.Qdrant;

/// <summary>How Qdrant compares vectors. Only the two that rank by inner product are offered.</summary>
public enum QdrantDistance
{
    /// <summary>Plain inner product: the G3 similarity for normalised embeddings (the default).</summary>
    Dot,

    /// <summary>Qdrant normalises stored and query vectors, then takes the inner product.</summary>
    Cosine,
}

/// <summary>Compression of the vectors Qdrant searches (the originals stay, for rescoring).</summary>
public enum QdrantQuantization
{
    /// <summary>Search the original float32 vectors (the default; exact, as G3's FAISS flat index).</summary>
    None,

    /// <summary>Qdrant's scalar quantization to int8: a quarter of the memory; rescored with the originals by default.</summary>
    Scalar,
}

/// <summary>
/// The Qdrant store's circuit breaker (<c>Store:Qdrant:CircuitBreaker</c>): it counts every gRPC attempt that fails
/// transiently in a sliding window and, past the ratio, fails calls at once for <see cref="BreakDuration"/>; then one
/// call is let through as a probe. Ranges are Polly's own limits.
/// </summary>
public sealed record QdrantCircuitBreakerOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Share of failed attempts in the window that opens the circuit (0 &lt; ratio ≤ 1).</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>The sliding window the ratio is measured over (at least 500 ms).</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts the window must hold before the ratio counts (at least 2).</summary>
    public int MinimumThroughput { get; init; } = 4;

    /// <summary>How long calls fail at once before one probe call is let through (at least 500 ms).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Settings of the Qdrant reference store (configuration section <c>Store:Qdrant</c>). Property names
/// are the configuration keys; the API key comes only from the environment
/// (<c>G3_Store__Qdrant__ApiKey</c>). Collection-shape settings (distance, on-disk storage, HNSW
/// build, quantization, shards, replication, payload indexes) apply when the collection is created.
/// </summary>
public sealed partial record QdrantStoreOptions
{
    public const string SectionName = "Store:Qdrant";

    /// <summary>The payload keys that may carry an index (see <see cref="PayloadIndexes"/>).</summary>
    public static readonly IReadOnlyList<string> IndexablePayloadKeys =
        ["img_id", "lat", "lon", "neighbourhood", "city", "county", "state", "region", "country", "continent"];

    /// <summary>Qdrant's gRPC endpoint (port 6334 by default), <c>http://</c> or <c>https://</c> (TLS).</summary>
    public string Url { get; init; } = "http://localhost:6334";

    /// <summary>Collection holding the reference photos; created on first use when missing.</summary>
    public string Collection { get; init; } = "mp16pro";

    /// <summary>Sent as the <c>api-key</c> header when set. Use https when the server is not on loopback.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// SHA-256 thumbprint (hex) of the server's TLS certificate, for a self-signed server: the connection is
    /// accepted only when the certificate matches. Unset: the system's trust store decides. https only.
    /// </summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>Embedding dimension; must equal the image encoder's retrieval output. Required (set from the model).</summary>
    public int VectorSize { get; init; }

    /// <summary>Dot (default) or Cosine; both rank by inner product for normalised embeddings.</summary>
    public QdrantDistance Distance { get; init; } = QdrantDistance.Dot;

    /// <summary>Deadline of one gRPC attempt. An attempt past it is retried like any transient failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt on transient failures (unavailable, deadline exceeded, resource exhausted, aborted). 0 disables.</summary>
    public int RetryCount { get; init; } = 3;

    /// <summary>First retry delay; doubles each retry, with jitter, capped by <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Polly's circuit breaker around every gRPC attempt: while Qdrant keeps failing transiently, calls fail at once
    /// (<see cref="QdrantUnavailableException"/> with the time left) instead of each waiting for its own timeouts.
    /// </summary>
    public QdrantCircuitBreakerOptions CircuitBreaker { get; init; } = new();

    /// <summary>Points per upsert, lookup and delete request.</summary>
    public int UpsertBatchSize { get; init; } = 256;

    /// <summary>Keep the original vectors on disk (memory-mapped) rather than in RAM.</summary>
    public bool OnDiskVectors { get; init; }

    /// <summary>Keep payloads on disk; only indexed payload keys stay in RAM.</summary>
    public bool OnDiskPayload { get; init; }

    /// <summary>Payload keys to index (keyword for text, float for lat/lon), for filtered search; see <see cref="IndexablePayloadKeys"/>.</summary>
    public string[] PayloadIndexes { get; init; } = [];

    /// <summary>
    /// Exact (brute-force) search, as G3's FAISS flat index does: the default, so most- and least-similar
    /// answers are exact. False lets Qdrant use its HNSW graph (approximate; tune with <see cref="HnswEf"/>).
    /// </summary>
    public bool ExactSearch { get; init; } = true;

    /// <summary>HNSW search beam per query (only with ExactSearch false); null keeps the server's default.</summary>
    public int? HnswEf { get; init; }

    /// <summary>HNSW graph degree at collection creation; null keeps the server's default (16).</summary>
    public int? HnswM { get; init; }

    /// <summary>HNSW build beam at collection creation; null keeps the server's default (100).</summary>
    public int? HnswEfConstruct { get; init; }

    /// <summary>None (default) or Scalar (int8) quantization, set at collection creation.</summary>
    public QdrantQuantization Quantization { get; init; } = QdrantQuantization.None;

    /// <summary>With Scalar: re-rank the quantized candidates with the original vectors (default true).</summary>
    public bool QuantizationRescore { get; init; } = true;

    /// <summary>With Scalar: fetch this many times k quantized candidates before rescoring; null keeps the server's default.</summary>
    public double? QuantizationOversampling { get; init; }

    /// <summary>With Scalar: keep the quantized vectors in RAM even when the originals are on disk (default true).</summary>
    public bool QuantizationAlwaysRam { get; init; } = true;

    /// <summary>Shards at collection creation (cluster mode); null keeps the server's default.</summary>
    public int? ShardNumber { get; init; }

    /// <summary>Copies of each shard at collection creation (cluster mode); null keeps the server's default (1).</summary>
    public int? ReplicationFactor { get; init; }

    /// <summary>The absolute endpoint, valid after <see cref="Validate"/> found no error.</summary>
    public Uri Endpoint => new(Url, UriKind.Absolute);

    /// <summary>Every problem with these settings, each naming its configuration key; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string key, string problem)
        {
            if (!ok) errors.Add($"{SectionName}:{key} {problem}.");
        }

        var urlOk = Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
        Check(urlOk, nameof(Url), $"must be Qdrant's gRPC endpoint, an absolute http(s) URL without path or query, such as http://localhost:6334 (got '{Url}')");
        Check(Collection is not null && CollectionName().IsMatch(Collection),
            nameof(Collection), $"must be 1-255 characters among letters, digits, '_', '-' and '.' (got '{Collection}')");
        Check(ApiKey is null || (ApiKey.Length > 0 && ApiKey.Trim() == ApiKey && !ApiKey.Any(char.IsControl)),
            nameof(ApiKey), "must be unset or a non-empty value without surrounding spaces or control characters");
        Check(CertificateThumbprint is null || Thumbprint().IsMatch(CertificateThumbprint),
            nameof(CertificateThumbprint), "must be unset or the certificate's SHA-256 thumbprint, 64 hex digits");
        Check(CertificateThumbprint is null || !urlOk || uri!.Scheme == Uri.UriSchemeHttps,
            nameof(CertificateThumbprint), "needs an https Url (TLS); an http Url has no certificate to check");
        Check(VectorSize is > 0 and <= 65536, nameof(VectorSize),
            string.Create(CultureInfo.InvariantCulture, $"must be the embedding dimension, 1..65536 (got {VectorSize})"));
        Check(Enum.IsDefined(Distance), nameof(Distance), $"must be Dot or Cosine (got '{Distance}')");
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
        var breaker = CircuitBreaker ?? new();
        Check(breaker.FailureRatio is > 0 and <= 1, "CircuitBreaker:FailureRatio",
            string.Create(CultureInfo.InvariantCulture, $"must lie in (0, 1] (got {breaker.FailureRatio})"));
        Check(breaker.SamplingDuration >= TimeSpan.FromMilliseconds(500) && breaker.SamplingDuration <= TimeSpan.FromDays(1),
            "CircuitBreaker:SamplingDuration", $"must lie between 00:00:00.5 and 1.00:00:00 (got {breaker.SamplingDuration})");
        Check(breaker.MinimumThroughput is >= 2 and <= 10_000, "CircuitBreaker:MinimumThroughput",
            string.Create(CultureInfo.InvariantCulture, $"must lie in 2..10000 (got {breaker.MinimumThroughput})"));
        Check(breaker.BreakDuration >= TimeSpan.FromMilliseconds(500) && breaker.BreakDuration <= TimeSpan.FromDays(1),
            "CircuitBreaker:BreakDuration", $"must lie between 00:00:00.5 and 1.00:00:00 (got {breaker.BreakDuration})");
        var unknown = (PayloadIndexes ?? []).Where(k => !IndexablePayloadKeys.Contains(k, StringComparer.Ordinal)).ToList();
        Check(unknown.Count == 0, nameof(PayloadIndexes),
            $"names unknown payload keys ({string.Join(", ", unknown.Select(k => $"'{k}'"))}); the keys are {string.Join(", ", IndexablePayloadKeys)}");
        Check(HnswEf is null or >= 1, nameof(HnswEf), "must be unset or at least 1");
        Check(HnswEf is null || !ExactSearch, nameof(HnswEf), "only applies to HNSW search: set ExactSearch to false as well, or unset HnswEf");
        Check(HnswM is null or >= 0, nameof(HnswM), "must be unset or at least 0");
        Check(HnswEfConstruct is null or >= 4, nameof(HnswEfConstruct), "must be unset or at least 4");
        Check(Enum.IsDefined(Quantization), nameof(Quantization), $"must be None or Scalar (got '{Quantization}')");
        Check(QuantizationOversampling is null or (>= 1 and <= 100), nameof(QuantizationOversampling),
            "must be unset or lie in 1..100");
        Check(QuantizationOversampling is null || Quantization != QdrantQuantization.None, nameof(QuantizationOversampling),
            "only applies with Quantization Scalar");
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

    /// <summary>A description safe to log: the API key is masked.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"Qdrant {Url} collection '{Collection}' size {VectorSize} {Distance} {(ExactSearch ? "exact" : "hnsw")} api-key {(ApiKey is null ? "none" : "***")}");

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,255}$")]
    private static partial Regex CollectionName();

    [GeneratedRegex("^[0-9A-Fa-f]{64}$")]
    private static partial Regex Thumbprint();
}
