using G3.Core.Geo;

namespace G3.Core.Tests.Geo;

public class GreatCircleTests
{
    private static readonly GeoPoint Paris = new(48.8566, 2.3522);
    private static readonly GeoPoint London = new(51.5074, -0.1278);

    [Fact]
    public void Paris_to_London_is_about_343_56_km()
    {
        Assert.Equal(343.56, GreatCircle.DistanceKm(Paris, London), 1);
        Assert.InRange(GreatCircle.DistanceKm(Paris, London), 343.50, 343.62);
    }

    [Fact]
    public void Antipodes_are_half_the_circumference_apart()
    {
        var expected = Math.PI * GreatCircle.MeanEarthRadiusKm; // 20015.09 km
        Assert.Equal(expected, GreatCircle.DistanceKm(new GeoPoint(0, 0), new GeoPoint(0, 180)), 6);
        Assert.Equal(expected, GreatCircle.DistanceKm(new GeoPoint(90, 0), new GeoPoint(-90, 0)), 6);
        Assert.Equal(expected, GreatCircle.DistanceKm(new GeoPoint(48.8566, 2.3522), new GeoPoint(-48.8566, -177.6478)), 6);
        Assert.InRange(expected, 20015.0, 20015.2);
    }

    [Fact]
    public void Crossing_the_antimeridian_takes_the_short_way()
    {
        // One degree of longitude on the equator: 2πR/360 ≈ 111.195 km.
        var d = GreatCircle.DistanceKm(new GeoPoint(0, 179.5), new GeoPoint(0, -179.5));
        Assert.Equal(2 * Math.PI * GreatCircle.MeanEarthRadiusKm / 360, d, 6);
    }

    [Fact]
    public void Distance_is_zero_for_the_same_point_and_symmetric()
    {
        Assert.Equal(0, GreatCircle.DistanceKm(Paris, Paris));
        Assert.Equal(GreatCircle.DistanceKm(Paris, London), GreatCircle.DistanceKm(London, Paris), 12);
        // Every longitude names the same pole.
        Assert.Equal(0, GreatCircle.DistanceKm(new GeoPoint(90, 10), new GeoPoint(90, -120)), 9);
    }

    [Fact]
    public void Accuracy_fractions_count_errors_at_or_below_each_threshold()
    {
        double[] errors = [0.5, 1.0, 24, 300, 2499, 5000];
        var fractions = AccuracyThresholds.FractionWithin(errors, AccuracyThresholds.StandardKm);
        Assert.Equal([2 / 6.0, 3 / 6.0, 3 / 6.0, 4 / 6.0, 5 / 6.0], fractions);
        Assert.Equal([1.0, 25, 200, 750, 2500], AccuracyThresholds.StandardKm);
        Assert.All(AccuracyThresholds.FractionWithin([], AccuracyThresholds.StandardKm), f => Assert.Equal(0, f));
    }
}
