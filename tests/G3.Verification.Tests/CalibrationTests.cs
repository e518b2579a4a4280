using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Verification.Calibration;
using G3.Verification.Scoring;

namespace G3.Verification.Tests;

public sealed class CalibrationTests
{
    [Fact]
    public void Isotonic_fit_is_monotone_and_recovers_a_known_hit_probability()
    {
        // Outcomes drawn with P(hit) = raw², a miscalibrated raw score: the fit must bend it back.
        var random = new Random(5);
        var raw = Enumerable.Range(0, 20_000).Select(_ => random.NextDouble()).ToList();
        var hits = raw.Select(x => random.NextDouble() < x * x).ToList();

        var fit = IsotonicCalibration.Fit(raw, hits, minBlock: 200);

        for (var i = 1; i < fit.Raw.Count; i++)
        {
            Assert.True(fit.Raw[i] >= fit.Raw[i - 1]);
            Assert.True(fit.Calibrated[i] >= fit.Calibrated[i - 1]);
        }
        foreach (var x in new[] { 0.2, 0.5, 0.8 })
            Assert.InRange(fit.Apply(x), x * x - 0.05, x * x + 0.05);
    }

    [Fact]
    public void Apply_interpolates_between_points_and_is_flat_beyond_the_ends()
    {
        var c = new IsotonicCalibration([0.2, 0.6], [0.1, 0.5]);
        Assert.Equal(0.1, c.Apply(0.0), 10);
        Assert.Equal(0.3, c.Apply(0.4), 10);
        Assert.Equal(0.5, c.Apply(0.9), 10);
        Assert.Throws<ArgumentException>(() => new IsotonicCalibration([0.2, 0.1], [0.1, 0.5]));
        Assert.Throws<ArgumentException>(() => new IsotonicCalibration([0.2, 0.3], [0.5, 0.1]));
    }

    [Fact]
    public void Reliability_table_counts_bins_and_computes_the_expected_calibration_error()
    {
        // Two answers at 0.05 (one within 25 km, one at 100 km), two at 0.95 (both at 300 km).
        var table = ReliabilityTable.Build([0.05, 0.05, 0.95, 0.95], [10, 100, 300, 300]);

        Assert.Equal(10, table.Bins.Count);
        Assert.Equal(2, table.Bins[0].Count);
        Assert.Equal(0.5, table.Bins[0].HitRate25Km, 10);
        Assert.Equal(1.0, table.Bins[0].HitRate200Km, 10);
        Assert.Equal(2, table.Bins[9].Count);
        Assert.Equal(0.0, table.Bins[9].HitRate200Km, 10);
        // ECE(200 km) = (2·|1 − 0.05| + 2·|0 − 0.95|) / 4 = 0.95; ECE(25 km) = (2·|0.5 − 0.05| + 2·0.95) / 4.
        Assert.Equal(0.95, table.ExpectedCalibrationError(), 10);
        Assert.Equal((2 * 0.45 + 2 * 0.95) / 4, table.ExpectedCalibrationError(within25Km: true), 10);
    }

    [Fact]
    public async Task The_verifier_maps_its_mass_within_the_radius_through_the_calibration()
    {
        var lyon = new GeoPoint(45.764, 4.8357);
        var paris = new GeoPoint(48.8566, 2.3522);
        Candidate[] candidates = [Candidate.FromLmm(new PromptVariant(0, 0), 0, lyon, "x"), Candidate.FromLmm(new PromptVariant(0, 0), 1, paris, "x")];
        var image = new ImageEmbedding([1f, 0f], SphereLocationEncoder.Embed(lyon));
        var raw = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: 100, ConfidenceRadiusKm: 200))
            .VerifyAsync(image, candidates, default);
        var calibration = new IsotonicCalibration([0.0, 1.0], [0.1, 0.6]);

        var calibrated = await new GeoVerifier(new SphereLocationEncoder(), new VerifierOptions(LogitScale: 100, ConfidenceRadiusKm: 200, Calibration: calibration))
            .VerifyAsync(image, candidates, default);

        Assert.InRange(raw.Confidence!.Value, 0.5, 0.999); // Paris (390 km) takes some of the mass
        Assert.Equal(calibration.Apply(raw.Confidence.Value), calibrated.Confidence!.Value, 10);
        Assert.Equal(raw.Ranked.Select(r => r.Candidate), calibrated.Ranked.Select(r => r.Candidate));
    }
}
