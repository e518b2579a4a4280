using G3.Core.Candidates;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;

namespace G3.Core.Tests.Pipeline;

public sealed class OutOfDistributionPipelineTests
{
    /// <summary>Records what it was shown and judges by the top similarity against a fixed threshold.</summary>
    private sealed class TopSimilarityCheck(double threshold) : IOutOfDistributionCheck
    {
        public IReadOnlyList<ReferencePhoto>? Seen;

        public OutOfDistributionVerdict? Assess(ImageEmbedding image, IReadOnlyList<ReferencePhoto> similar)
        {
            Seen = similar;
            return similar.Count == 0 ? null : new OutOfDistributionVerdict(similar[0].Similarity, threshold, similar[0].Similarity < threshold);
        }
    }

    [Theory]
    [InlineData(2.0, true)]
    [InlineData(0.0, false)]
    public async Task The_result_carries_the_check_s_judgement_of_the_retrieved_photos(double threshold, bool flagged)
    {
        var f = new PipelineFixture();
        var check = new TopSimilarityCheck(threshold);
        var pipeline = new G3Pipeline(f.Encoder, f.Store, f.Verifier, null, check);

        var result = await pipeline.RunAsync(f.Image, new G3Options(), cancellationToken: CancellationToken.None);

        Assert.Same(result.Similar, check.Seen);
        Assert.Equal(flagged, result.OutOfDistribution!.Flagged);
        Assert.Equal(result.Similar[0].Similarity, result.OutOfDistribution.Score);
    }

    [Fact]
    public async Task Without_a_check_there_is_no_judgement()
    {
        var f = new PipelineFixture();
        var result = await f.Pipeline(null).RunAsync(f.Image, new G3Options(), cancellationToken: CancellationToken.None);
        Assert.Null(result.OutOfDistribution);
    }
}
