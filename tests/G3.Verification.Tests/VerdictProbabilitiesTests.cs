using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Verification.Scoring;

namespace G3.Verification.Tests;

/// <summary>The per-candidate probabilities the answers per level sum: the verifier's own softmax, in ranked order.</summary>
public class VerdictProbabilitiesTests
{
    private static readonly GeoPoint Lyon = new(45.764, 4.8357);
    private static readonly GeoPoint Villeurbanne = new(45.7719, 4.8902);
    private static readonly GeoPoint Paris = new(48.8566, 2.3522);
    private static readonly GeoPoint Brussels = new(50.85, 4.35);

    private static Candidate Lmm(GeoPoint p, int sample) => Candidate.FromLmm(new PromptVariant(0, 0), sample, p, "x");

    [Fact]
    public async Task Probabilities_follow_the_ranking_sum_to_one_and_are_the_softmax_behind_the_confidence()
    {
        const double scale = 5;
        var verifier = new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: scale, ConfidenceRadiusKm: 25));
        var image = new ImageEmbedding([1f, 0f], SphereLocationEncoder.Embed(Lyon));

        var verdict = await verifier.VerifyAsync(image, [Lmm(Brussels, 0), Lmm(Paris, 1), Lmm(Villeurbanne, 2), Lmm(Lyon, 3)], default);

        var p = verdict.Probabilities!;
        Assert.Equal(verdict.Ranked.Count, p.Count);
        Assert.Equal(1.0, p.Sum(), 12);
        Assert.True(p.Zip(p.Skip(1)).All(t => t.First >= t.Second), "best first, as Ranked");
        // Softmax at the logit scale: the ratio of two probabilities is exp(scale · score difference).
        var s = verdict.Ranked.Select(r => r.Score!.Value).ToList();
        Assert.Equal(Math.Exp(scale * (s[0] - s[2])), p[0] / p[2], 9);
        // Uncalibrated, the confidence is the mass within 25 km of the winner (Lyon and Villeurbanne).
        Assert.Equal(p[0] + p[1], verdict.Confidence!.Value, 12);
    }
}
