using G3.Alignment.Models;
using G3.Core.Levels;
using G3.Host.Composition;
using G3.Verification.Calibration;
using G3.Verification.Selectors;

namespace G3.Host.Tests;

/// <summary>What the service builds from the bundled model's manifest: the consensus decision, the point calibration and the per-level calibration.</summary>
public class BundledVerifierSettingsTests
{
    private static ModelManifest Bundled() => ModelManifestLoader.Load(TestPaths.InRepo("models", "g3-mini", "manifest.json"));

    [Fact]
    public void The_service_verifier_uses_the_manifests_consensus_and_the_argmax_selector_drops_it()
    {
        var manifest = Bundled();
        var options = ManifestOptions.Verifier(manifest);
        var consensus = Assert.IsType<G3.Verification.Scoring.ConsensusOptions>(options.Consensus);
        Assert.Equal((manifest.Consensus!.GpsScale, manifest.Consensus.RadiusKm), (consensus.GpsScale, consensus.RadiusKm));
        Assert.NotNull(options.Calibration);

        var argmax = SelectorCatalog.ArgmaxOptions(ManifestOptions.Verifier(manifest));
        Assert.Null(argmax.Consensus);
        Assert.Null(argmax.Calibration);
        Assert.Equal(options.LogitScale, argmax.LogitScale);
    }

    [Fact]
    public void The_level_calibration_maps_each_level_through_its_own_knots()
    {
        var manifest = Bundled();
        var calibrate = ManifestOptions.LevelCalibration(manifest)!;
        var spec = manifest.LevelCalibration!;
        foreach (var (level, knots) in new[] { (PlaceLevel.Country, spec.Country), (PlaceLevel.Region, spec.Region), (PlaceLevel.City, spec.City) })
        {
            var expected = new IsotonicCalibration(knots.Raw, knots.Calibrated);
            foreach (var mass in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
                Assert.Equal(expected.Apply(mass), calibrate(level, mass), 12);
        }
        // Fitted per level: a city answer at a given mass is right less often than a country answer at the same mass.
        Assert.True(calibrate(PlaceLevel.City, 0.5) < calibrate(PlaceLevel.Country, 0.5));
        Assert.Null(ManifestOptions.LevelCalibration(manifest with { LevelCalibration = null }));
    }

    [Theory]
    [InlineData("consensus", false, true)]
    [InlineData(" Argmax ", true, true)]
    [InlineData("ARGMAX", true, true)]
    [InlineData("best", false, false)]
    [InlineData("", false, false)]
    public void Pipeline_Selector_takes_consensus_or_argmax_and_nothing_else(string value, bool argmax, bool valid)
    {
        var settings = new PipelineSettings { Selector = value };
        Assert.Equal(argmax, SelectorCatalog.Find(settings.Selector) == SelectorCatalog.Argmax);
        Assert.Equal(valid, !settings.Validate().Any());
        Assert.Equal("consensus", new PipelineSettings().Selector);
    }
}
