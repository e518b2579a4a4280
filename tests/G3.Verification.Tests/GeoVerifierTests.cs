using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Verification.Scoring;

namespace G3.Verification.Tests;

public class GeoVerifierTests
{
    private static readonly GeoPoint Lyon = new(45.764, 4.8357);
    private static readonly GeoPoint Paris = new(48.8566, 2.3522);
    private static readonly GeoPoint Sydney = new(-33.8688, 151.2093);
    private static readonly GeoPoint Villeurbanne = new(45.7719, 4.8902);

    private static ImageEmbedding ImageAt(GeoPoint p) => new([1f, 0f], SphereLocationEncoder.Embed(p));

    private static Candidate Lmm(GeoPoint p, int sample) => Candidate.FromLmm(new PromptVariant(0, 0), sample, p, "x");

    [Fact]
    public async Task Ranks_candidates_by_similarity_with_one_batched_encoder_run()
    {
        var encoder = new SphereLocationEncoder();
        var verifier = new GeoVerifier(encoder, new VerifierOptions());
        Candidate[] candidates = [Lmm(Sydney, 0), Lmm(Paris, 1), Lmm(Lyon, 2)];

        var verdict = await verifier.VerifyAsync(ImageAt(Lyon), candidates, default);

        Assert.Equal(1, encoder.Calls);
        Assert.Equal(3, encoder.LastBatch);
        Assert.Equal([Lyon, Paris, Sydney], verdict.Ranked.Select(r => r.Candidate.Point!.Value));
        Assert.Equal([0, 1, 2], verdict.Ranked.Select(r => r.Rank));
        Assert.Equal(1.0, verdict.Ranked[0].Score!.Value, 5);
        Assert.True(verdict.Ranked[1].Score > verdict.Ranked[2].Score);
    }

    [Fact]
    public async Task Confidence_is_high_when_the_mass_sits_near_the_winner_and_low_when_it_is_split()
    {
        var verifier = new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: 100));
        var settled = await verifier.VerifyAsync(ImageAt(Lyon), [Lmm(Lyon, 0), Lmm(Villeurbanne, 1), Lmm(Sydney, 2)], default);
        Assert.True(settled.Confidence > 0.99, $"confidence {settled.Confidence}");

        // Two candidates 300 km apart, equally close to the truth midway: about half the mass each.
        var midway = new GeoPoint(45.764, 6.9);
        var split = await verifier.VerifyAsync(ImageAt(midway), [Lmm(new GeoPoint(45.764, 4.9), 0), Lmm(new GeoPoint(45.764, 8.9), 1)], default);
        Assert.InRange(split.Confidence!.Value, 0.45, 0.55);
    }

    [Fact]
    public async Task A_larger_logit_scale_sharpens_the_confidence()
    {
        Candidate[] candidates = [Lmm(Lyon, 0), Lmm(Paris, 1), Lmm(new GeoPoint(50.85, 4.35), 2)];
        var soft = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: 1)).VerifyAsync(ImageAt(Lyon), candidates, default);
        var sharp = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: 1000)).VerifyAsync(ImageAt(Lyon), candidates, default);
        Assert.True(sharp.Confidence > soft.Confidence);
        Assert.InRange(soft.Confidence!.Value, 0.3, 0.4); // nearly uniform over three
    }

    [Fact]
    public async Task Agreement_counts_candidates_near_the_winner()
    {
        var verifier = new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions());
        Candidate[] candidates = [Lmm(Lyon, 0), Lmm(Villeurbanne, 1), Lmm(Paris, 2), Lmm(Sydney, 3)];
        var verdict = await verifier.VerifyAsync(ImageAt(Lyon), candidates, default);
        Assert.Equal(new CandidateAgreement(Within25Km: 2, Within200Km: 2, Within750Km: 3, Total: 4), verdict.Agreement);
    }

    [Fact]
    public async Task Cosine_metric_ignores_embedding_length()
    {
        var image = new ImageEmbedding([1f], SphereLocationEncoder.Embed(Lyon).Select(v => v * 7).ToArray());
        var verdict = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(SimilarityMetric.Cosine)).VerifyAsync(image, [Lmm(Paris, 0), Lmm(Lyon, 1)], default);
        Assert.Equal(1.0, verdict.Ranked[0].Score!.Value, 5);
        Assert.Equal(Lyon, verdict.Ranked[0].Candidate.Point);
    }

    [Fact]
    public async Task Equal_scores_keep_the_given_order()
    {
        var verdict = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions()).VerifyAsync(ImageAt(Lyon), [Lmm(Paris, 0), Lmm(Paris, 1)], default);
        Assert.Equal([0, 1], verdict.Ranked.Select(r => r.Candidate.SampleIndex!.Value));
    }

    [Fact]
    public async Task A_dimension_mismatch_between_image_and_location_models_is_a_clear_error()
    {
        var verifier = new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions());
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => verifier.VerifyAsync(new ImageEmbedding([1f], [1f, 0f]), [Lmm(Lyon, 0)], default));
        Assert.Contains("2 dimensions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("produces 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_candidates_gives_an_empty_verdict()
    {
        var verdict = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions()).VerifyAsync(ImageAt(Lyon), [], default);
        Assert.Empty(verdict.Ranked);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Invalid_logit_scale_is_refused(double scale)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: scale)));
    }
}
