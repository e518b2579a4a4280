using G3.Core.Geo;

namespace G3.Core.Tests.Geo;

public class ProjectionTests
{
    public static TheoryData<double, double> Points() => new()
    {
        { 0, 0 }, { 48.8566, 2.3522 }, { -33.8688, 151.2093 }, { 64.1466, -21.9426 },
        { 85, 179.999 }, { -85, -179.999 }, { 12.5, 180 }, { -45, -180 }, { 0.0001, -0.0001 },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public void Mercator_round_trips(double lat, double lon)
    {
        var p = new GeoPoint(lat, lon);
        var (x, y) = ProjectionMath.Mercator(p);
        var back = ProjectionMath.InverseMercator(x, y);
        Assert.Equal(lat, back.Latitude, 9);
        Assert.True(GreatCircle.DistanceKm(p, back) < 1e-6, $"{p} came back as {back}");
    }

    [Fact]
    public void Mercator_follows_the_G3_formula()
    {
        // x = R(λ − λ0), y = R ln tan(π/4 + φ/2)
        var (x, y) = ProjectionMath.Mercator(new GeoPoint(45, 90));
        Assert.Equal(ProjectionMath.WebMercatorRadius * Math.PI / 2, x, 6);
        Assert.Equal(ProjectionMath.WebMercatorRadius * Math.Log(Math.Tan(Math.PI / 4 + Math.PI / 8)), y, 6);
        // A central meridian shifts x only.
        var (x0, y0) = ProjectionMath.Mercator(new GeoPoint(45, 90), centralMeridian: 90);
        Assert.Equal(0, x0, 9);
        Assert.Equal(y, y0, 9);
    }

    [Theory]
    [InlineData(90)]
    [InlineData(-90)]
    [InlineData(89.999)]
    public void Mercator_stays_finite_at_the_poles_by_clamping_to_the_EPSG_3857_limit(double lat)
    {
        var (x, y) = ProjectionMath.Mercator(new GeoPoint(lat, 30));
        Assert.True(double.IsFinite(x) && double.IsFinite(y));
        // At the EPSG:3857 limit the map is square: |y| = πR.
        Assert.Equal(ProjectionMath.WebMercatorHalfExtent, Math.Abs(y), 3);
        Assert.Equal(Math.Sign(lat), Math.Sign(y));
    }

    [Fact]
    public void Mercator_model_input_is_northing_then_easting_over_pi_R()
    {
        Assert.Equal((0.0, 1.0), Round(ProjectionMath.ToModelInput(new GeoPoint(0, 180), LocationProjection.Mercator)));
        Assert.Equal((0.0, -1.0), Round(ProjectionMath.ToModelInput(new GeoPoint(0, -180), LocationProjection.Mercator)));
        Assert.Equal((1.0, 0.0), Round(ProjectionMath.ToModelInput(new GeoPoint(90, 0), LocationProjection.Mercator)));
        var (north, east) = ProjectionMath.ToModelInput(new GeoPoint(48.8566, 2.3522), LocationProjection.Mercator);
        Assert.Equal(2.3522 / 180, east, 12);
        Assert.InRange(north, 0.3, 0.4);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Equal_Earth_round_trips(double lat, double lon)
    {
        var p = new GeoPoint(lat, lon);
        var (x, y) = ProjectionMath.EqualEarth(p);
        var back = ProjectionMath.InverseEqualEarth(x, y);
        Assert.Equal(lat, back.Latitude, 9);
        // ±180 name one meridian, so compare positions, not longitude values.
        Assert.True(GreatCircle.DistanceKm(p, back) < 1e-6, $"{p} came back as {back}");
    }

    [Fact]
    public void Equal_Earth_handles_poles_and_is_symmetric()
    {
        var (xn, yn) = ProjectionMath.EqualEarth(new GeoPoint(90, 120));
        var (xs, ys) = ProjectionMath.EqualEarth(new GeoPoint(-90, 120));
        Assert.True(double.IsFinite(xn) && double.IsFinite(yn));
        Assert.Equal(-yn, ys, 12);
        Assert.Equal(xn, xs, 12);
        Assert.Equal(90, ProjectionMath.InverseEqualEarth(xn, yn).Latitude, 9);
        var (xe, ye) = ProjectionMath.EqualEarth(new GeoPoint(0, 180));
        var (xw, _) = ProjectionMath.EqualEarth(new GeoPoint(0, -180));
        Assert.Equal(0, ye, 12);
        Assert.Equal(-xe, xw, 12);
        // At the equator θ = 0, so x = 2√3·λ / (3·A1).
        Assert.Equal(2 * Math.Sqrt(3) * Math.PI / (3 * 1.340264), xe, 12);
    }

    [Fact]
    public void Equal_Earth_model_input_is_scaled_like_GeoCLIP()
    {
        var p = new GeoPoint(-33.8688, 151.2093);
        var (x, y) = ProjectionMath.EqualEarth(p);
        var (a, b) = ProjectionMath.ToModelInput(p, LocationProjection.EqualEarth);
        Assert.Equal(x * 66.50336 / 180, a, 12);
        Assert.Equal(y * 66.50336 / 180, b, 12);
    }

    [Fact]
    public void No_projection_passes_degrees_through()
    {
        Assert.Equal((12.5, -45.0), ProjectionMath.ToModelInput(new GeoPoint(12.5, -45), LocationProjection.None));
    }

    private static (double, double) Round((double A, double B) v) => (Math.Round(v.A, 9) + 0.0, Math.Round(v.B, 9) + 0.0);
}
