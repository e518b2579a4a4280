using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Core.Tests.Fakes;
using G3.Core.Views;

namespace G3.Core.Tests.Pipeline;

/// <summary>Several photos of one place: one encoder batch, the weighted mean embedding downstream, every photo to the LMM, disagreement reported.</summary>
public class MultiViewPipelineTests
{
    /// <summary>Each photo (by its first byte) encodes to its own unit vector.</summary>
    private sealed class PerImageEncoder(Dictionary<byte, float[]> vectors) : IImageEncoder
    {
        public List<int> BatchSizes { get; } = [];

        public Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken)
        {
            BatchSizes.Add(images.Count);
            return Task.FromResult<IReadOnlyList<ImageEmbedding>>(images.Select(i => new ImageEmbedding(vectors[i.Bytes.Span[0]], vectors[i.Bytes.Span[0]])).ToList());
        }
    }

    /// <summary>Records the embedding it was asked to verify.</summary>
    private sealed class RecordingVerifier : IVerifier
    {
        public ImageEmbedding? Seen;

        public Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken)
        {
            Seen = image;
            return Task.FromResult(new Verdict(candidates.Select((c, i) => new ScoredCandidate(c, 1.0 - i * 0.1, i)).ToList(), 0.5));
        }
    }

    private static readonly Dictionary<byte, float[]> Vectors = new()
    {
        [1] = [1, 0, 0], [2] = [0.8f, 0.6f, 0], [3] = [0, 0, 1],
    };

    private static QueryImage Photo(byte id) => new(new byte[] { id, 0xAB });

    private static (G3Pipeline Pipeline, PerImageEncoder Encoder, InMemoryStore Store, RecordingVerifier Verifier, FakeGenerator Generator) Build(double? threshold = null)
    {
        var encoder = new PerImageEncoder(Vectors);
        var store = new InMemoryStore(3);
        store.UpsertAsync([new ReferenceRecord("x", [1, 0, 0], new GeoPoint(1, 1)), new ReferenceRecord("y", [0, 1, 0], new GeoPoint(2, 2)), new ReferenceRecord("z", [0, 0, 1], new GeoPoint(3, 3))], default).Wait();
        var verifier = new RecordingVerifier();
        var generator = new FakeGenerator();
        return (new G3Pipeline(encoder, store, verifier, generator) { ViewAgreementThreshold = threshold }, encoder, store, verifier, generator);
    }

    private static readonly G3Options Options = new() { ReferenceCounts = [0, 2], SamplesPerPrompt = 1, RetrievedCandidates = 3 };

    [Fact]
    public async Task Three_photos_are_encoded_in_one_batch_and_retrieval_and_verification_use_their_normalised_mean()
    {
        var (pipeline, encoder, _, verifier, generator) = Build();
        var result = await pipeline.RunAsync(new PlaceQuery([Photo(1), Photo(2), Photo(3)]), Options);

        Assert.Equal([3], encoder.BatchSizes);
        // (1,0,0)+(0.8,0.6,0)+(0,0,1) = (1.8,0.6,1), normalised.
        var norm = Math.Sqrt(1.8 * 1.8 + 0.6 * 0.6 + 1);
        float[] expected = [(float)(1.8 / norm), (float)(0.6 / norm), (float)(1 / norm)];
        Assert.Equal(expected, verifier.Seen!.Retrieval, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(expected, verifier.Seen.Gps, (a, b) => Math.Abs(a - b) < 1e-6);
        // Retrieval searched with the mean: the top reference's similarity is its dot with the mean.
        Assert.Equal("x", result.Similar[0].Id);
        Assert.Equal(1.8 / norm, result.Similar[0].Similarity, 5);

        Assert.Equal(3, result.Views!.Count);
        Assert.All(result.Views.Weights, w => Assert.Equal(1.0 / 3, w, 10));
        Assert.Equal(3, result.Views.Pairs.Count);
        Assert.Null(result.Views.Threshold);
        Assert.False(result.Views.Disagree);
        // Every LMM request carries all three photos, the first as Image.
        Assert.All(generator.Requests, r => Assert.Equal(3, r.Images.Count));
        Assert.All(generator.Requests, r => Assert.Same(r.Images[0], r.Image));
        Assert.Equal(new PlaceQuery([Photo(1), Photo(2), Photo(3)]).Sha256, result.ImageSha256);
    }

    [Fact]
    public async Task Weights_from_the_options_weigh_the_mean_and_a_zero_weight_leaves_a_photo_out()
    {
        var (pipeline, _, _, verifier, _) = Build();
        var result = await pipeline.RunAsync(new PlaceQuery([Photo(1), Photo(3)]), Options with { ImageWeights = [3, 0] });
        Assert.Equal([1f, 0f, 0f], verifier.Seen!.Retrieval);
        Assert.Equal([1.0, 0.0], result.Views!.Weights);
    }

    [Fact]
    public async Task A_weight_count_that_does_not_match_the_photos_is_refused_before_any_work()
    {
        var (pipeline, encoder, _, _, _) = Build();
        var e = await Assert.ThrowsAsync<G3OptionsException>(() => pipeline.RunAsync(new PlaceQuery([Photo(1), Photo(2), Photo(3)]), Options with { ImageWeights = [1, 1] }));
        Assert.Contains("2 weights for 3 images", e.Message, StringComparison.Ordinal);
        Assert.Empty(encoder.BatchSizes);
    }

    [Fact]
    public async Task One_photo_gives_the_single_photo_result_unchanged()
    {
        var (pipeline, encoder, _, verifier, _) = Build(threshold: 0.9);
        var result = await pipeline.RunAsync(Photo(2), Options);
        Assert.Null(result.Views);
        Assert.Equal(Photo(2).Sha256, result.ImageSha256);
        Assert.Equal(Vectors[2], verifier.Seen!.Retrieval);
        Assert.Equal([1], encoder.BatchSizes);
    }

    [Fact]
    public async Task With_a_threshold_the_photo_unlike_the_others_is_reported_as_the_outlier()
    {
        var (pipeline, _, _, _, _) = Build(threshold: 0.5);
        var result = await pipeline.RunAsync(new PlaceQuery([Photo(1), Photo(2), Photo(3)]), Options);
        var views = result.Views!;
        Assert.True(views.Disagree);
        Assert.Equal(0.5, views.Threshold);
        // 1·2 = 0.8 agrees; 3 is orthogonal to both.
        Assert.Equal([2], views.Outliers);
        Assert.Equal(0.8, views.Pairs.Single(p => p is { First: 0, Second: 1 }).Similarity, 6);
        Assert.False(views.Pairs.Single(p => p is { First: 0, Second: 1 }).Disagree);
        Assert.True(views.Pairs.Single(p => p is { First: 0, Second: 2 }).Disagree);
    }

    [Fact]
    public void Two_photos_that_disagree_are_both_outliers()
    {
        var views = ViewAgreement.Assess([new ImageEmbedding(Vectors[1], Vectors[1]), new ImageEmbedding(Vectors[3], Vectors[3])], [0.5, 0.5], 0.5);
        Assert.Equal([0, 1], views.Outliers);
    }

    [Fact]
    public void A_query_holds_one_to_eight_photos_and_its_key_covers_every_photo_in_order()
    {
        Assert.Throws<ArgumentException>(() => new PlaceQuery([]));
        Assert.Throws<ArgumentException>(() => new PlaceQuery(Enumerable.Range(0, 9).Select(i => Photo((byte)i)).ToList()));
        Assert.Equal(Photo(1).Sha256, new PlaceQuery(Photo(1)).Sha256);
        var ab = new PlaceQuery([Photo(1), Photo(2)]).Sha256;
        Assert.NotEqual(ab, new PlaceQuery([Photo(2), Photo(1)]).Sha256);
        Assert.NotEqual(ab, new PlaceQuery([Photo(1), Photo(2), Photo(3)]).Sha256);
        Assert.NotEqual(ab, Photo(1).Sha256);
    }

    [Theory]
    [InlineData(new[] { -1.0, 1.0 })]
    [InlineData(new[] { 0.0, 0.0 })]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1.0 })]
    public void Invalid_weights_are_refused_by_option_validation(double[] weights) =>
        Assert.NotEmpty(new G3Options { ImageWeights = weights }.Validate());
}
