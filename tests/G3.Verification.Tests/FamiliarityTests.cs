using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Verification.Familiarity;

namespace G3.Verification.Tests;

public sealed class FamiliarityTests
{
    private static ReferencePhoto Ref(double similarity) => new("r", new GeoPoint(0, 0), similarity);

    [Fact]
    public void Score_is_the_mean_of_the_top_k_similarities_and_flags_below_the_threshold()
    {
        var check = new RetrievalFamiliarityCheck(topK: 2, threshold: 0.5);

        var familiar = check.Assess([Ref(0.9), Ref(0.7), Ref(0.1)])!;
        var strange = check.Assess([Ref(0.6), Ref(0.2)])!;

        Assert.Equal(0.8, familiar.Score, 10);
        Assert.False(familiar.OutOfDistribution);
        Assert.Equal(0.4, strange.Score, 10);
        Assert.True(strange.OutOfDistribution);
        Assert.Equal(0.5, strange.Threshold);
    }

    [Fact]
    public void Fewer_references_than_k_use_those_there_are_and_none_gives_no_judgement()
    {
        var check = new RetrievalFamiliarityCheck(topK: 5, threshold: 0.5);
        Assert.Equal(0.7, check.Assess([Ref(0.7)])!.Score, 10);
        Assert.Null(check.Assess([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalFamiliarityCheck(0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalFamiliarityCheck(1, double.NaN));
    }
}
