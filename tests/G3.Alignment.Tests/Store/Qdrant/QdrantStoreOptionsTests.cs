using G3.Alignment.Store.Qdrant;
using G3.Core.Options;

namespace G3.Alignment.Tests.Store.Qdrant;

public class QdrantStoreOptionsTests
{
    [Fact]
    public void Defaults_with_a_vector_size_are_valid() =>
        Assert.Empty(new QdrantStoreOptions { VectorSize = 768 }.Validate());

    [Fact]
    public void The_vector_size_is_required() =>
        Assert.Contains(new QdrantStoreOptions().Validate(), e => e.StartsWith("Store:Qdrant:VectorSize", StringComparison.Ordinal));

    [Theory]
    [InlineData("Url", "localhost:6333")]
    [InlineData("Url", "ftp://qdrant:6333")]
    [InlineData("Url", "http://qdrant:6333/?x=1")]
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
            HnswEf = 0,
            ShardNumber = 0,
            ReplicationFactor = 0,
        };
        var keys = o.Validate().Select(e => e.Split(' ')[0]).ToList();
        Assert.Equal(
            ["Distance", "RequestTimeout", "RetryCount", "MaxRetryDelay", "UpsertBatchSize", "HnswEfConstruct", "HnswEf", "ShardNumber", "ReplicationFactor"],
            keys.Select(k => k["Store:Qdrant:".Length..]));
    }

    [Fact]
    public void The_store_refuses_invalid_options_with_every_problem_listed()
    {
        var e = Assert.Throws<G3OptionsException>(() =>
            new QdrantReferenceStore(new HttpClient(), new QdrantStoreOptions { Url = "nope", VectorSize = 0 }));
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
}
