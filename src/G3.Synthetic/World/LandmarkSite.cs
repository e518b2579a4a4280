using G3.Core.Geo;
using G3.Geography;

namespace G3.Synthetic.World;

/// <summary>
/// A landmark of a big city: where it stands and which one it is (city GeoNames id, site number).
/// Its id, "geonameid-site", is what <c>landmarks.csv</c> records for every photo of it.
/// </summary>
public sealed record LandmarkSite(City City, int Index, GeoPoint Location)
{
    public string Id => $"{City.GeoNameId}-{Index}";

    /// <summary>1 landmark per city of 1M people, one more per doubling, at most 4.</summary>
    public static int CountFor(long population) =>
        population < LocationSampler.LandmarkPopulation ? 0 : Math.Clamp(1 + (int)Math.Floor(Math.Log2(population / (double)LocationSampler.LandmarkPopulation)), 1, 4);

    /// <summary>
    /// The city's sites, fixed by its id: each 10–60 % of the city's radius from its centre in a
    /// hashed direction, pulled back toward the centre until it stands on land.
    /// </summary>
    public static IReadOnlyList<LandmarkSite> For(City city, ReverseGeocoder geocoder)
    {
        var n = CountFor(city.Population);
        var sites = new LandmarkSite[n];
        var radiusKm = LocationSampler.CityRadiusKm(city.Population);
        for (int i = 0; i < n; i++)
        {
            var rng = SplitMix.Derive(city.GeoNameId, 77, i);
            var km = radiusKm * rng.Range(0.1, 0.6);
            var bearing = rng.Range(0, 2 * Math.PI);
            var point = city.Location;
            for (var shrink = 1.0; shrink > 0.05; shrink *= 0.5)
            {
                var p = LocationSampler.Offset(city.Location, km * shrink, bearing);
                if (!geocoder.Lookup(p).IsOcean) { point = p; break; }
            }
            sites[i] = new LandmarkSite(city, i, new GeoPoint(Math.Round(point.Latitude, 6), Math.Round(point.Longitude, 6)));
        }
        return sites;
    }
}
