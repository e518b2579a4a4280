using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Levels;
using G3.Core.Ports;

namespace G3.Geography.Levels;

/// <summary>
/// Answers per level with the offline reverse geocoder: each candidate is placed in its country
/// (ISO code), admin-1 region (GeoNames state) and city (GeoNames place within the geocoder's reach),
/// and <see cref="LevelMasses"/> sums the verifier's probabilities per unit.
/// </summary>
public sealed class GeocodedPlaceLevels : IPlaceLevels
{
    /// <summary>
    /// Default threshold below which a level is "uncertain": the answered unit holds less than 40% of
    /// the verifier's mass, i.e. the candidates lean elsewhere more than they lean there.
    /// </summary>
    public const double DefaultUncertainBelow = 0.4;

    private readonly ReverseGeocoder _geocoder;
    private readonly double _uncertainBelow;
    private readonly Func<PlaceLevel, double, double>? _calibrate;

    /// <param name="calibrate">Optional per-level calibration of the answers' masses (the model manifest's, fitted on held-out photos).</param>
    public GeocodedPlaceLevels(ReverseGeocoder geocoder, double uncertainBelow = DefaultUncertainBelow, Func<PlaceLevel, double, double>? calibrate = null)
    {
        ArgumentNullException.ThrowIfNull(geocoder);
        if (!double.IsFinite(uncertainBelow) || uncertainBelow is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(uncertainBelow), uncertainBelow, "the uncertainty threshold must be between 0 and 1");
        _geocoder = geocoder;
        _uncertainBelow = uncertainBelow;
        _calibrate = calibrate;
    }

    public double UncertainBelow => _uncertainBelow;

    public PlaceLevels Estimate(IReadOnlyList<ScoredCandidate> ranked, IReadOnlyList<double> probabilities)
    {
        var units = ranked.Select(s => UnitsAt(s.Candidate.Point
            ?? throw new ArgumentException("every ranked candidate must have a point", nameof(ranked)))).ToList();
        return LevelMasses.Compute(units, probabilities, _uncertainBelow, _calibrate);
    }

    public PointUnits UnitsAt(GeoPoint point) => From(_geocoder.Lookup(point));

    /// <summary>Units from a lookup: none over open water; the region keyed by country and admin-1 name; the city by GeoNames id.</summary>
    public static PointUnits From(GeoLookup lookup)
    {
        if (lookup.CountryCode is not { } code) return new PointUnits(null, null, null);
        var country = new PlaceUnit(code, lookup.Place.Country ?? code);
        var region = lookup.Place.State is { Length: > 0 } state ? new PlaceUnit(code + "/" + state, state) : null;
        var city = lookup.City is { } c ? new PlaceUnit("geonames:" + c.GeoNameId.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name) : null;
        return new PointUnits(country, region, city);
    }
}
