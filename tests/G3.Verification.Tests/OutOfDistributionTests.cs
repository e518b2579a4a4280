using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Verification.OutOfDistribution;

namespace G3.Verification.Tests;

public sealed class OutOfDistributionTests
{
    private static ReferencePhoto Ref(double similarity) => new("r", new GeoPoint(0, 0), similarity);
    private static readonly ImageEmbedding AnyImage = new([1f, 0f], [0f, 1f]);

    [Fact]
    public void Score_is_the_mean_of_the_top_k_similarities_and_flags_below_the_threshold()
    {
        var check = new RetrievalOutOfDistributionCheck(topK: 2, threshold: 0.5);

        var familiar = check.Assess(AnyImage, [Ref(0.9), Ref(0.7), Ref(0.1)])!;
        var strange = check.Assess(AnyImage, [Ref(0.6), Ref(0.2)])!;

        Assert.Equal(0.8, familiar.Score, 10);
        Assert.False(familiar.Flagged);
        Assert.Equal(0.4, strange.Score, 10);
        Assert.True(strange.Flagged);
        Assert.Equal(0.5, strange.Threshold);
    }

    [Fact]
    public void Fewer_references_than_k_use_those_there_are_and_none_gives_no_judgement()
    {
        var check = new RetrievalOutOfDistributionCheck(topK: 5, threshold: 0.5);
        Assert.Equal(0.7, check.Assess(AnyImage, [Ref(0.7)])!.Score, 10);
        Assert.Null(check.Assess(AnyImage, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalOutOfDistributionCheck(0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalOutOfDistributionCheck(1, double.NaN));
    }

    // Weights over [e_img (2), e_gps (2), mean top-2 similarity]: "familiar" means e_img points along
    // its first axis and retrieval found close references.
    private static EmbeddingOutOfDistributionCheck Logistic() => new([4, -4, 0, 0, 2], bias: -1, topK: 2, threshold: 0.5);

    [Fact]
    public void Logistic_score_reads_both_embeddings_normalised_and_the_retrieval_similarity()
    {
        var check = Logistic();
        // logit = -1 + 4*1 + 2*0.8 = 4.6 (e_img given unnormalised: normalising makes it [1, 0]).
        var familiar = check.Assess(new ImageEmbedding([3f, 0f], [0f, 1f]), [Ref(0.9), Ref(0.7), Ref(0.1)])!;
        Assert.Equal(1 / (1 + Math.Exp(-4.6)), familiar.Score, 10);
        Assert.False(familiar.Flagged);

        // Same retrieval, but e_img points along the "unlike a place" axis: logit = -1 - 4 + 1.6 = -3.4.
        var strange = check.Assess(new ImageEmbedding([0f, 2f], [0f, 1f]), [Ref(0.9), Ref(0.7)])!;
        Assert.Equal(1 / (1 + Math.Exp(3.4)), strange.Score, 10);
        Assert.True(strange.Flagged);
        Assert.Equal(0.5, strange.Threshold);
    }

    [Fact]
    public void Logistic_check_refuses_mismatched_sizes_and_bad_settings_and_needs_references()
    {
        Assert.Null(Logistic().Assess(AnyImage, []));
        Assert.Throws<ArgumentException>(() => Logistic().Assess(new ImageEmbedding([1f, 0f, 0f], [0f, 1f]), [Ref(0.5)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingOutOfDistributionCheck([1, 1, 1], 0, 1, 1.5));
        Assert.Throws<ArgumentException>(() => new EmbeddingOutOfDistributionCheck([1, double.NaN, 1], 0, 1, 0.5));
    }
}

public sealed class LogisticFitTests
{
    [Fact]
    public void Fit_separates_two_clouds_and_the_folded_weights_apply_to_raw_features()
    {
        var rng = new Random(3);
        double[] Around(double cx, double cy) => [cx + rng.NextDouble() - 0.5, cy + rng.NextDouble() - 0.5];
        var inWorld = Enumerable.Range(0, 200).Select(_ => Around(10, 0)).ToList();
        var strange = Enumerable.Range(0, 100).Select(_ => Around(8, 3)).ToList();

        var (weights, bias) = G3.Verification.OutOfDistribution.LogisticFit.Fit(inWorld, strange, iterations: 500);

        double Logit(double[] x) => bias + weights[0] * x[0] + weights[1] * x[1];
        Assert.All(inWorld, x => Assert.True(Logit(x) > 0));
        Assert.All(strange, x => Assert.True(Logit(x) < 0));
        Assert.Throws<ArgumentException>(() => G3.Verification.OutOfDistribution.LogisticFit.Fit(inWorld, []));
    }
}
