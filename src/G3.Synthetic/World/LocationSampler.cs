using G3.Core.Geo;
using G3.Geography;

namespace G3.Synthetic.World;

/// <summary>
/// Draws photo positions the way Flickr photos fall: most near real cities, picked with weight
/// population^0.9 × a continent factor and scattered over the city's extent; a share in the
/// countryside (a place picked with weight population^0.3, then 5–80 km away); never on open
/// water unless allowed. The continent factors tilt the mix toward Europe and North America, as
/// in MP16 (Flickr's users), instead of following population alone.
/// </summary>
public sealed class LocationSampler
{
    /// <summary>Cities this big have landmarks (<see cref="LandmarkSite"/>).</summary>
    public const int LandmarkPopulation = 1_000_000;

    private readonly ReverseGeocoder _geocoder;
    private readonly City[] _places;
    private readonly double[] _urbanCdf;
    private readonly double[] _ruralCdf;
    private readonly Dictionary<int, IReadOnlyList<LandmarkSite>> _sites = [];

    public LocationSampler(ReverseGeocoder geocoder)
    {
        _geocoder = geocoder;
        _places = geocoder.Data.Cities.Where(c => !c.IsNeighbourhood).ToArray();
        if (_places.Length == 0) throw new SyntheticWorldException("the geography data holds no places to sample photos around");
        var countries = geocoder.Data.Countries;
        _urbanCdf = Cdf(_places.Select(c =>
            Math.Pow(Math.Max(c.Population, 1000), 0.9) * FlickrFactor(countries.GetValueOrDefault(c.CountryCode)?.Continent)));
        _ruralCdf = Cdf(_places.Select(c => Math.Pow(Math.Max(c.Population, 1000), 0.3)));
        // Computed once up front (a few hundred cities), so rendering threads only read them.
        foreach (var city in _places.Where(c => c.Population >= LandmarkPopulation))
            _sites[city.GeoNameId] = LandmarkSite.For(city, geocoder);
    }

    /// <summary>The city's landmarks (none below <see cref="LandmarkPopulation"/>).</summary>
    public IReadOnlyList<LandmarkSite> SitesOf(City city) => _sites.GetValueOrDefault(city.GeoNameId) ?? [];

    /// <summary>How far a city's photos scatter from its centre, km (grows with population).</summary>
    public static double CityRadiusKm(long population) => Math.Pow(Math.Max(population, 1000) / 1e4, 0.4);

    /// <summary>
    /// A photo of <paramref name="site"/>: the photographer stands 50–350 m from it (so two photos
    /// of one landmark are under 1 km apart); returns the spot and closeness 1 (near) .. 0 (far).
    /// </summary>
    public (Sample Sample, double Closeness) AtLandmark(ref SplitMix rng, LandmarkSite site)
    {
        var km = rng.Range(0.05, 0.35);
        var point = Offset(site.Location, km, rng.Range(0, 2 * Math.PI));
        point = new GeoPoint(Math.Round(point.Latitude, 6), Math.Round(point.Longitude, 6));
        var lookup = _geocoder.Lookup(point);
        if (lookup.IsOcean) { point = site.Location; lookup = _geocoder.Lookup(point); }
        return (new Sample(point, lookup, site.City, false, true), (0.35 - km) / 0.3);
    }

    /// <summary>A sampled spot: where, what is there, and the big city whose landmark may be in view.</summary>
    public readonly record struct Sample(GeoPoint Point, GeoLookup Lookup, City Origin, bool Rural, bool NearBigCity);

    public Sample Next(ref SplitMix rng, double ruralFraction, bool allowOcean)
    {
        for (int attempt = 0; ; attempt++)
        {
            var rural = rng.Chance(ruralFraction);
            var origin = _places[Pick(rural ? _ruralCdf : _urbanCdf, rng.NextDouble())];
            var radiusKm = CityRadiusKm(origin.Population);
            var km = rural ? rng.Range(5, 80) : Math.Abs(rng.NextGaussian()) * radiusKm * 0.8;
            if (attempt >= 50) km = 0; // give up scattering: the place itself is on land
            var point = Offset(origin.Location, km, rng.Range(0, 2 * Math.PI));
            // Six decimals, as written to the CSV, so the text fields describe the written point.
            point = new GeoPoint(Math.Round(point.Latitude, 6), Math.Round(point.Longitude, 6));
            var lookup = _geocoder.Lookup(point);
            if (lookup.IsOcean && !allowOcean && attempt < 50) continue;
            var nearBig = !rural && origin.Population >= LandmarkPopulation && km <= 2 * radiusKm;
            return new Sample(point, lookup, origin, rural, nearBig);
        }
    }

    /// <summary>Photos per person relative to Asia, roughly as Flickr's geotagged photos are spread.</summary>
    private static double FlickrFactor(string? continent) => continent switch
    {
        "Europe" => 5,
        "North America" => 4,
        "Oceania" => 4,
        "South America" => 1.5,
        "Africa" => 0.6,
        _ => 1,
    };

    internal static GeoPoint Offset(GeoPoint from, double km, double bearing)
    {
        var d = km / GreatCircle.MeanEarthRadiusKm;
        var phi1 = GreatCircle.DegreesToRadians(from.Latitude);
        var lambda1 = GreatCircle.DegreesToRadians(from.Longitude);
        var phi2 = Math.Asin(Math.Clamp(Math.Sin(phi1) * Math.Cos(d) + Math.Cos(phi1) * Math.Sin(d) * Math.Cos(bearing), -1, 1));
        var lambda2 = lambda1 + Math.Atan2(Math.Sin(bearing) * Math.Sin(d) * Math.Cos(phi1), Math.Cos(d) - Math.Sin(phi1) * Math.Sin(phi2));
        return new GeoPoint(GreatCircle.RadiansToDegrees(phi2), GeoPoint.NormalizeLongitude(GreatCircle.RadiansToDegrees(lambda2)));
    }

    private static double[] Cdf(IEnumerable<double> weights)
    {
        var w = weights.ToArray();
        var cdf = new double[w.Length];
        double sum = 0;
        for (int i = 0; i < w.Length; i++) cdf[i] = sum += w[i];
        for (int i = 0; i < w.Length; i++) cdf[i] /= sum;
        return cdf;
    }

    private static int Pick(double[] cdf, double u)
    {
        var i = Array.BinarySearch(cdf, u);
        return Math.Min(cdf.Length - 1, i >= 0 ? i : ~i);
    }
}
