using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Verification.Scoring;

namespace G3.Verification.Tests;

/// <summary>The consensus decision: G3's scores weighed by the retrieved photos' evidence, then the most weight nearby.</summary>
public class ConsensusDecisionTests
{
    private static readonly GeoPoint Lyon = new(45.764, 4.8357);
    private static readonly GeoPoint Villeurbanne = new(45.7719, 4.8902);
    private static readonly GeoPoint Sydney = new(-33.8688, 151.2093);
    private static readonly GeoPoint Lima = new(-12.0464, -77.0428);
    private static readonly ConsensusOptions Options = new(GpsScale: 10, RetrievalScale: 40, SupportKm: 1, Floor: 0.1, RadiusKm: 200);

    private static Candidate Retrieved(GeoPoint p, int rank, double similarity) =>
        Candidate.FromReference(new ReferencePhoto($"r{rank}", p, similarity), rank);

    private static Candidate Lmm(GeoPoint p) => Candidate.FromLmm(new PromptVariant(0, 0), 0, p, "x");

    [Fact]
    public void A_lone_look_alike_with_the_best_gps_score_loses_to_a_place_the_evidence_backs()
    {
        // Sydney has the best GPS score by a little; Lyon and Villeurbanne (6 km apart) are both retrieved with higher similarity.
        var result = ConsensusDecision.Decide([0.52, 0.50, 0.49], [Sydney, Lyon, Villeurbanne], [0.80, 0.85, 0.84], Options);

        Assert.True(result.Score[1] > result.Score[0] && result.Score[2] > result.Score[0]);
        Assert.Equal(1.0, result.Posterior.Sum(), 9);
        Assert.True(result.Posterior[1] + result.Posterior[2] > 0.8, string.Join(", ", result.Posterior));
    }

    [Fact]
    public void A_clear_gps_margin_still_wins_against_equal_retrieval_evidence()
    {
        // Equal retrieval similarities: the prior is even, so the verifier's belief decides.
        var result = ConsensusDecision.Decide([0.9, 0.2, 0.3], [Sydney, Lyon, Lima], [0.8, 0.8, 0.8], Options);
        Assert.Equal(0, Array.IndexOf(result.Score, result.Score.Max()));
    }

    [Fact]
    public void Without_retrieved_candidates_the_posterior_is_the_verifiers_softmax()
    {
        double[] scores = [0.3, 0.1, 0.2];
        var result = ConsensusDecision.Decide(scores, [Lyon, Sydney, Lima], [null, null, null], Options);
        var expected = ConsensusDecision.Softmax(scores, Options.GpsScale);
        for (var i = 0; i < 3; i++) Assert.Equal(expected[i], result.Posterior[i], 12);
    }

    [Fact]
    public void An_lmm_answer_far_from_every_retrieved_photo_keeps_the_floor_share_and_can_still_win()
    {
        // The LMM says Lima with a far better GPS score; the retrieved photos are in Sydney with a weak score.
        var withFloor = ConsensusDecision.Decide([0.9, 0.1], [Lima, Sydney], [null, 0.8], Options);
        Assert.True(withFloor.Posterior[0] > withFloor.Posterior[1], string.Join(", ", withFloor.Posterior));

        // With no floor the retrieval evidence rules it out.
        var noFloor = ConsensusDecision.Decide([0.9, 0.1], [Lima, Sydney], [null, 0.8], Options with { Floor = 0 });
        Assert.True(noFloor.Posterior[0] < 1e-6);
    }

    [Fact]
    public void Mismatched_inputs_and_bad_settings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ConsensusDecision.Decide([0.1], [Lyon, Lima], [null, null], Options));
        Assert.Throws<ArgumentOutOfRangeException>(() => (Options with { Floor = 1.5 }).EnsureValid());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Options with { SupportKm = 0 }).EnsureValid());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(Consensus: Options with { RadiusKm = double.NaN })));
    }

    [Fact]
    public async Task The_verifier_ranks_by_the_consensus_keeps_gps_scores_and_reports_the_posterior()
    {
        // The GPS head finds the image a little closer to Sydney (similarity 0.29 against 0.19, a point on the
        // great circle between them), but the retrieved photos point at Lyon.
        var image = new ImageEmbedding([1f, 0f], SphereLocationEncoder.Embed(new GeoPoint(16.97, 96.341)));
        Candidate[] candidates = [Retrieved(Lyon, 0, 0.86), Retrieved(Villeurbanne, 1, 0.85), Retrieved(Sydney, 2, 0.70)];
        var plain = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: 10)).VerifyAsync(image, candidates, default);
        var consensus = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: 10, ConfidenceRadiusKm: 200, Consensus: Options))
            .VerifyAsync(image, candidates, default);

        Assert.Equal(Sydney, plain.Ranked[0].Candidate.Point);
        Assert.Equal(Lyon, consensus.Ranked[0].Candidate.Point);
        // The score shown is still G3's similarity, whatever the rank.
        Assert.Equal(plain.Ranked.Single(r => r.Candidate.Point == Sydney).Score, consensus.Ranked.Single(r => r.Candidate.Point == Sydney).Score);
        Assert.Equal(1.0, consensus.Probabilities!.Sum(), 9);
        // Confidence = posterior mass within 200 km of Lyon = Lyon + Villeurbanne.
        Assert.Equal(consensus.Probabilities![0] + consensus.Probabilities[1], consensus.Confidence!.Value, 9);
    }
}
