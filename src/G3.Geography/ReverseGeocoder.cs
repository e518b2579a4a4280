using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Geography.Data;
using G3.Geography.Index;

namespace G3.Geography;

/// <summary>
/// Offline reverse geocoding: point → neighbourhood, city, county, state, region, country (+ISO)
/// and continent. Country by point-in-polygon against country-coder's borders (outside all of
/// them: open water, named roughly); city by a population-aware nearest search among GeoNames
/// places of that country; state and county from that place's GeoNames admin codes. Thread-safe.
/// </summary>
/// <remarks>
/// Approximate by construction: borders are simplified (coastal waters count as the country, small
/// islands are boxes); state and county are those of the chosen place, so points near an admin
/// border may get the neighbour's; neighbourhoods exist only where GeoNames has city sections (PPLX).
/// </remarks>
public sealed class ReverseGeocoder
{
    /// <summary>Population tiers with their own trees, so a big city can win over a nearer, smaller one.</summary>
    private static readonly int[] BigCityTiers = [100_000, 1_000_000, 5_000_000];

    private readonly GeographyData _data;
    private readonly ReverseGeocoderOptions _options;
    private readonly CityKdTree _places;      // every place except city sections
    private readonly CityKdTree[] _bigCities; // places of ≥ 100k, 1M, 5M people
    private readonly CityKdTree _sections;    // GeoNames PPLX: neighbourhoods
    private readonly PolygonGridIndex _borders;
    private readonly PolygonGridIndex _land;
    private readonly int[] _borderFeature;    // polygon index → feature index in _data.Borders
    private readonly Dictionary<string, int> _countryIds; // country code → group id in the trees
    private readonly double _maxCitySearchKm;

    public ReverseGeocoder(GeographyData data, ReverseGeocoderOptions? options = null)
    {
        _data = data;
        _options = options ?? new ReverseGeocoderOptions();
        _options.Validate();
        var points = data.Cities.Select(c => c.Location).ToArray();
        _countryIds = data.Cities.Select(c => c.CountryCode).Distinct().Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
        var groups = data.Cities.Select(c => _countryIds[c.CountryCode]).ToArray();
        var all = Enumerable.Range(0, data.Cities.Count);
        _places = new CityKdTree(points, groups, all.Where(i => !data.Cities[i].IsNeighbourhood).ToArray());
        _bigCities = BigCityTiers
            .Select(min => new CityKdTree(points, groups, all.Where(i => !data.Cities[i].IsNeighbourhood && data.Cities[i].Population >= min).ToArray()))
            .ToArray();
        _sections = new CityKdTree(points, groups, all.Where(i => data.Cities[i].IsNeighbourhood).ToArray());
        _maxCitySearchKm = Math.Max(_options.MaxCityDistanceKm, 3 * CityRadiusKm(data.Cities.Count == 0 ? 0 : data.Cities.Max(c => c.Population)));

        // Smaller features first, so an enclave or island territory wins over a surrounding bounding shape.
        var drawn = Enumerable.Range(0, data.Borders.Count)
            .Where(i => data.Borders[i].Rings.Count > 0 && data.Borders[i].CountryCode is not null)
            .OrderBy(i => BoxArea(data.Borders[i]))
            .ToArray();
        _borderFeature = drawn;
        _borders = new PolygonGridIndex(drawn.Select(i => data.Borders[i].Rings).ToArray());
        _land = new PolygonGridIndex([data.LandRings]);
    }

    /// <summary>True on land (Natural Earth 1:50m), false on water: no tolerance for coastal points.</summary>
    public bool IsLand(GeoPoint point) => _land.Find(point.Latitude, point.Longitude) >= 0;

    /// <summary>Convenience: load the data folder (see <see cref="GeographyData.ResolveDirectory"/>) and build the indexes.</summary>
    public static ReverseGeocoder Load(string? directory = null, ReverseGeocoderOptions? options = null) =>
        new(GeographyData.Load(GeographyData.ResolveDirectory(directory)), options);

    public GeographyData Data => _data;

    public GeoLookup Lookup(double latitude, double longitude) => Lookup(new GeoPoint(latitude, longitude));

    public GeoLookup Lookup(GeoPoint point)
    {
        var polygon = _borders.Find(point.Latitude, point.Longitude);
        // country-coder's borders are generous at sea (Brazil's reaches its mid-Atlantic rocks), so
        // a point also needs land under it, or a place of that country near it (harbours, piers,
        // atolls too small for the 1:50m coastline).
        if (polygon >= 0 && !IsLand(point))
        {
            var owner = _countryIds.GetValueOrDefault(_data.Borders[_borderFeature[polygon]].CountryCode!, int.MinValue);
            if (owner == int.MinValue || _places.Nearest(point, _options.MaxCoastalDistanceKm, owner, out _) < 0)
                polygon = -1;
        }
        if (polygon < 0)
            return new GeoLookup(point, new Place(), null, null, null, OceanNames.Name(point.Latitude, point.Longitude));

        var feature = _data.Borders[_borderFeature[polygon]];
        var code = feature.CountryCode!;
        var country = _data.Countries.GetValueOrDefault(code);
        var continent = Continents.FromGroups(feature.Groups, feature.Iso2) ?? country?.Continent;
        // A sub-country feature (England, Metropolitan France, Hawaii) names the region.
        var region = feature.Iso2 == code ? null : feature.Name;

        // Only places of the same country name a point inside it, unless GeoNames has none there.
        var sameCountry = _countryIds.GetValueOrDefault(code, -1);
        var city = FindCity(point, sameCountry, out var cityKm);
        var admin = city;
        if (admin is null)
        {
            var i = _places.Nearest(point, _options.MaxAdminDistanceKm, sameCountry, out _);
            admin = i < 0 ? null : _data.Cities[i];
        }
        string? neighbourhood = null;
        if (city is not null && _options.MaxNeighbourhoodDistanceKm > 0)
        {
            var s = _sections.Nearest(point, _options.MaxNeighbourhoodDistanceKm, sameCountry, out _);
            if (s >= 0) neighbourhood = _data.Cities[s].Name;
        }

        var place = new Place(
            Neighbourhood: neighbourhood,
            City: city?.Name,
            County: admin?.County,
            State: admin?.State,
            Region: region,
            Country: country?.Name ?? feature.Name,
            Continent: continent);
        return new GeoLookup(point, place, code, city, city is null ? null : cityKm, null);
    }

    /// <summary>
    /// The nearest place, but a big city may beat a nearer village: candidates are compared by
    /// distance over the city's radius r(p) = (p/10⁴)^0.4 km, and a place is in reach within
    /// max(MaxCityDistanceKm, 3·r(p)).
    /// </summary>
    private City? FindCity(GeoPoint point, int country, out double distanceKm)
    {
        City? best = null;
        distanceKm = double.NaN;
        var bestScore = double.MaxValue;
        var near = _places.Nearest(point, _options.MaxCityDistanceKm, country, out var nearKm);
        if (near >= 0) Consider(_data.Cities[near], nearKm, ref best, ref bestScore, ref distanceKm);
        foreach (var tier in _bigCities)
        {
            var big = tier.Nearest(point, _maxCitySearchKm, country, out var bigKm);
            if (big >= 0) Consider(_data.Cities[big], bigKm, ref best, ref bestScore, ref distanceKm);
        }
        return best;
    }

    private void Consider(City c, double km, ref City? best, ref double bestScore, ref double bestKm)
    {
        var r = CityRadiusKm(c.Population);
        if (km > Math.Max(_options.MaxCityDistanceKm, 3 * r)) return;
        var score = km / r;
        if (score < bestScore)
        {
            bestScore = score;
            best = c;
            bestKm = km;
        }
    }

    private static double CityRadiusKm(int population) => Math.Pow(Math.Max(population, 1000) / 1e4, 0.4);

    private static double BoxArea(BorderFeature f)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var ring in f.Rings)
            for (int i = 0; i + 1 < ring.Length; i += 2)
            {
                minX = Math.Min(minX, ring[i]); maxX = Math.Max(maxX, ring[i]);
                minY = Math.Min(minY, ring[i + 1]); maxY = Math.Max(maxY, ring[i + 1]);
            }
        return (maxX - minX) * (maxY - minY);
    }
}
