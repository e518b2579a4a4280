using G3.Core.Geo;

namespace G3.Core.Tests.Geo;

public class GeoPointTests
{
    [Theory]
    [InlineData(48.8566, 2.3522)]
    [InlineData(-90, 0)]
    [InlineData(90, 180)]
    [InlineData(0, -180)]
    public void Keeps_valid_coordinates(double lat, double lon)
    {
        var p = new GeoPoint(lat, lon);
        Assert.Equal(lat, p.Latitude);
        Assert.Equal(lon, p.Longitude);
    }

    [Theory]
    [InlineData(181, -179)]
    [InlineData(-181, 179)]
    [InlineData(360, 0)]
    [InlineData(725.5, 5.5)]
    [InlineData(-540, -180)]
    public void Normalises_longitude_into_minus_180_to_180(double lon, double expected)
    {
        Assert.Equal(expected, new GeoPoint(10, lon).Longitude, 9);
    }

    [Theory]
    [InlineData(90.0001)]
    [InlineData(-91)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_bad_latitude_with_a_message_naming_it(double lat)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(lat, 0));
        Assert.Equal("latitude", ex.ParamName);
        Assert.Contains("latitude", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Rejects_non_finite_longitude(double lon)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(0, lon));
        Assert.Equal("longitude", ex.ParamName);
    }

    [Fact]
    public void TryCreate_reports_the_reason_instead_of_throwing()
    {
        Assert.False(GeoPoint.TryCreate(95, 0, out _, out var error));
        Assert.Contains("95", error, StringComparison.Ordinal);
        Assert.False(GeoPoint.TryCreate(0, double.NaN, out _, out error));
        Assert.Contains("finite", error, StringComparison.Ordinal);
        Assert.True(GeoPoint.TryCreate(45, 190, out var p, out error));
        Assert.Null(error);
        Assert.Equal(-170, p.Longitude, 9);
    }
}
