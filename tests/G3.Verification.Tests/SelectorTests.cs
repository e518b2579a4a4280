using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Verification.Selectors;

namespace G3.Verification.Tests;

public class SelectorTests
{
    private static readonly ImageEmbedding AnyImage = new([1f], [1f]);

    private static Candidate Lmm(double lat, double lon, int variant, int sample) =>
        Candidate.FromLmm(new PromptVariant(variant, 0), sample, new GeoPoint(lat, lon), "x");

    private static Candidate Retrieved(double lat, double lon, int rank) =>
        Candidate.FromReference(new ReferencePhoto($"r{rank}", new GeoPoint(lat, lon), 0.5), rank);

    [Fact]
    public async Task First_valid_takes_the_first_LMM_answer_in_variant_then_sample_order()
    {
        Candidate[] candidates = [Retrieved(1, 1, 0), Lmm(3, 3, 1, 0), Lmm(2, 2, 0, 4), Lmm(4, 4, 0, 1)];
        var verdict = await new FirstValidSelector().VerifyAsync(AnyImage, candidates, default);
        Assert.Equal([4.0, 2, 3, 1], verdict.Ranked.Select(r => r.Candidate.Point!.Value.Latitude));
        Assert.All(verdict.Ranked, r => Assert.Null(r.Score));
    }

    [Fact]
    public async Task First_valid_falls_back_to_retrieval_by_rank()
    {
        var verdict = await new FirstValidSelector().VerifyAsync(AnyImage, [Retrieved(2, 2, 1), Retrieved(1, 1, 0)], default);
        Assert.Equal("r0", verdict.Ranked[0].Candidate.ReferenceId);
    }

    [Fact]
    public async Task Medoid_is_the_candidate_closest_to_all_others()
    {
        // Three around Lyon, one in Sydney: the medoid is the middle Lyon point.
        Candidate[] candidates = [Lmm(-33.87, 151.21, 0, 0), Lmm(45.70, 4.80, 0, 1), Lmm(45.76, 4.84, 0, 2), Lmm(45.82, 4.88, 0, 3)];
        var verdict = await new MedoidSelector().VerifyAsync(AnyImage, candidates, default);
        Assert.Equal(2, verdict.Ranked[0].Candidate.SampleIndex);
        Assert.Equal(0, verdict.Ranked[^1].Candidate.SampleIndex);
        Assert.True(verdict.Ranked[0].Score < 0); // −mean distance
    }

    [Fact]
    public async Task Largest_cluster_wins_over_a_lone_outlier_even_if_listed_first()
    {
        Candidate[] candidates =
        [
            Lmm(35.68, 139.69, 0, 0), // Tokyo, alone
            Lmm(48.85, 2.35, 0, 1), Lmm(48.80, 2.30, 0, 2), // Paris pair
            Lmm(45.76, 4.84, 0, 3), Lmm(45.70, 4.80, 0, 4), Lmm(45.80, 4.90, 0, 5), // Lyon trio
        ];
        var verdict = await new LargestClusterSelector(radiusKm: 50).VerifyAsync(AnyImage, candidates, default);
        Assert.Equal(3, verdict.Ranked[0].Candidate.SampleIndex); // the trio's tightest member
        Assert.InRange(verdict.Ranked[0].Score!.Value, 1.9, 2.0);
        Assert.Equal(0, verdict.Ranked[^1].Candidate.SampleIndex);
    }

    [Fact]
    public void Cluster_radius_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LargestClusterSelector(0));
    }
}
