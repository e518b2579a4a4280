using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Geography.Levels;

namespace G3.Geography.Tests;

public sealed class GeocodedPlaceLevelsTests
{
    private static ScoredCandidate At(double lat, double lon, int rank) =>
        new(new Candidate { Source = CandidateSource.Retrieval, Point = new GeoPoint(lat, lon) }, 0.5, rank);

    [FactRequiringGeoData]
    public void Candidates_are_placed_by_the_reverse_geocoder_and_their_mass_summed_per_unit()
    {
        var levels = new GeocodedPlaceLevels(SharedGeocoder.Value);
        // Two candidates in Lyon, one in Paris, one in Berlin, one in the mid-Atlantic.
        var ranked = new[] { At(45.764, 4.8357, 0), At(45.76, 4.84, 1), At(48.8566, 2.3522, 2), At(52.52, 13.405, 3), At(30, -40, 4) };
        var result = levels.Estimate(ranked, [0.3, 0.2, 0.2, 0.2, 0.1]);

        Assert.Equal("FR", result.Country.Unit!.Key);
        Assert.Equal("France", result.Country.Unit.Name);
        Assert.Equal(0.7, result.Country.Confidence, 12);
        Assert.Equal(0.1, result.Country.UnplacedMass, 12); // the Atlantic candidate
        Assert.Equal("FR/Auvergne-Rhône-Alpes", result.Region.Unit!.Key);
        Assert.Equal(0.5, result.Region.Confidence, 12);
        Assert.Equal("Lyon", result.City.Unit!.Name);
        Assert.Equal(0.5, result.City.Confidence, 12);
        Assert.Equal(["FR", "DE"], result.Country.Units.Select(u => u.Unit.Key));
        Assert.All(result.All, a => Assert.Equal(1.0, a.Units.Sum(u => u.Mass) + a.UnplacedMass, 12));
        Assert.Equal(GeocodedPlaceLevels.DefaultUncertainBelow, result.UncertainBelow);
    }

    [FactRequiringGeoData]
    public void A_point_at_sea_has_no_units_and_a_city_point_has_all_three()
    {
        var levels = new GeocodedPlaceLevels(SharedGeocoder.Value);
        var sea = levels.UnitsAt(new GeoPoint(30, -40));
        Assert.Equal((null, null, null), (sea.Country, sea.Region, sea.City));
        var lyon = levels.UnitsAt(new GeoPoint(45.764, 4.8357));
        Assert.Equal(("FR", "Auvergne-Rhône-Alpes", "Lyon"), (lyon.Country!.Key, lyon.Region!.Name, lyon.City!.Name));
        Assert.StartsWith("geonames:", lyon.City.Key, StringComparison.Ordinal);
    }

    [FactRequiringGeoData]
    public void An_uncertainty_threshold_outside_0_to_1_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeocodedPlaceLevels(SharedGeocoder.Value, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeocodedPlaceLevels(SharedGeocoder.Value, double.NaN));
    }
}
