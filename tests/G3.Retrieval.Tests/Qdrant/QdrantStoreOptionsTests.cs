using G3.Core.Options;
using G3.Retrieval.Qdrant;

namespace G3.Retrieval.Tests.Qdrant;

public class QdrantStoreOptionsTests
{
    [Fact]
    public void Defaults_with_a_vector_size_are_valid() =>
        Assert.Empty(new QdrantStoreOptions { VectorSize = 768 }.Validate());

    [Fact]
    public void The_vector_size_is_required() =>
        Assert.Contains(new QdrantStoreOptions().Validate(), e => e.StartsWith("Store:Qdrant:VectorSize", StringComparison.Ordinal));

    [Theory]
    [InlineData("Url", "localhost:6334")]
    [InlineData("Url", "ftp://qdrant:6334")]
    [InlineData("Url", "http://qdrant:6334/?x=1")]
    [InlineData("Url", "http://qdrant:6334/api")]
    [InlineData("Collection", "")]
    [InlineData("Collection", "a/b")]
    [InlineData("ApiKey", "")]
    [InlineData("ApiKey", " key")]
    public void Each_bad_text_setting_is_named(string key, string value)
    {
        var o = new QdrantStoreOptions { VectorSize = 4 };
        o = key switch
        {
            "Url" => o with { Url = value },
            "Collection" => o with { Collection = value },
            _ => o with { ApiKey = value },
        };
        var error = Assert.Single(o.Validate());
        Assert.StartsWith($"Store:Qdrant:{key} ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_number_is_reported_at_once()
    {
        var o = new QdrantStoreOptions
        {
            VectorSize = 4,
            Distance = (QdrantDistance)7,
            RequestTimeout = TimeSpan.Zero,
            RetryCount = -1,
            RetryBaseDelay = TimeSpan.FromSeconds(2),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
            UpsertBatchSize = 0,
            HnswEfConstruct = 2,
            ExactSearch = false,
            HnswEf = 0,
            ShardNumber = 0,
            ReplicationFactor = 0,
        };
        var keys = o.Validate().Select(e => e.Split(' ')[0]).ToList();
        Assert.Equal(
            ["Distance", "RequestTimeout", "RetryCount", "MaxRetryDelay", "UpsertBatchSize", "HnswEf", "HnswEfConstruct", "ShardNumber", "ReplicationFactor"],
            keys.Select(k => k["Store:Qdrant:".Length..]));
    }

    [Fact]
    public void The_store_refuses_invalid_options_with_every_problem_listed()
    {
        var e = Assert.Throws<G3OptionsException>(() =>
            new QdrantReferenceStore(new QdrantStoreOptions { Url = "nope", VectorSize = 0 }));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("Store:Qdrant:Url", e.Message, StringComparison.Ordinal);
        Assert.Contains("Store:Qdrant:VectorSize", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_masks_the_api_key()
    {
        var text = new QdrantStoreOptions { VectorSize = 4, ApiKey = "s3cret" }.ToString();
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Contains("***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Combinations_that_would_be_silently_ignored_are_errors()
    {
        var o = new QdrantStoreOptions
        {
            VectorSize = 4,
            HnswEf = 64, // with the default exact search
            QuantizationOversampling = 2, // without quantization
            CertificateThumbprint = new string('a', 64), // over cleartext http
            PayloadIndexes = ["country", "contry"],
        };
        var keys = o.Validate().Select(e => e.Split(' ')[0]["Store:Qdrant:".Length..]).Order().ToList();
        Assert.Equal(["CertificateThumbprint", "HnswEf", "PayloadIndexes", "QuantizationOversampling"], keys);
        Assert.Contains(o.Validate(), e => e.Contains("'contry'", StringComparison.Ordinal));
        Assert.Empty((o with { ExactSearch = false, Quantization = QdrantQuantization.Scalar, Url = "https://q:6334", PayloadIndexes = ["country"] }).Validate());
    }

    [Fact]
    public void Exact_search_is_the_default_as_with_a_flat_index() =>
        Assert.True(new QdrantStoreOptions().ExactSearch);
}
