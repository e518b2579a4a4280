namespace G3.Core.Levels;

/// <summary>The administrative levels an answer is given at, coarsest first.</summary>
public enum PlaceLevel
{
    Country,

    /// <summary>First-order division: state, province, region (GeoNames admin-1).</summary>
    Region,

    City,
}

/// <summary>
/// One unit at one level. <paramref name="Key"/> is stable and unique worldwide (a country code; the
/// country code and the admin-1 name; the GeoNames id of the city), so two answers can be compared;
/// <paramref name="Name"/> is what people read.
/// </summary>
public sealed record PlaceUnit(string Key, string Name);

/// <summary>A unit and the verifier's probability mass of the candidates that fall in it.</summary>
public sealed record UnitMass(PlaceUnit Unit, double Mass);

/// <summary>
/// The answer at one level: the unit holding the most probability mass and that mass.
/// </summary>
/// <param name="Unit">
/// The answer; null when the candidates with no unit at this level hold more mass than any unit
/// (over open water for the country; no known admin-1 division for the region; no town within reach
/// of the candidates, i.e. countryside, for the city).
/// </param>
/// <param name="Confidence">
/// The mass of the answer: the summed probabilities of the candidates inside <paramref name="Unit"/>
/// (or, for a null unit, of the candidates of the parent answer that have no unit at this level).
/// Raw unless <see cref="PlaceLevels.Calibrated"/>: then it went through the model's per-level
/// calibration and estimates the probability that the answer is right.
/// </param>
/// <param name="Uncertain">True when <paramref name="Confidence"/> is below <see cref="PlaceLevels.UncertainBelow"/>.</param>
/// <param name="Units">Every unit at this level that holds candidates, most mass first, over all candidates (not only the parent answer's).</param>
/// <param name="UnplacedMass">The mass of all candidates with no unit at this level; with <paramref name="Units"/> it sums to 1.</param>
public sealed record LevelAnswer(PlaceLevel Level, PlaceUnit? Unit, double Confidence, bool Uncertain, IReadOnlyList<UnitMass> Units, double UnplacedMass);

/// <summary>
/// Country, region and city answers. Nested: the region is the most likely region of the answered
/// country and the city the most likely city of the answered region, so the three always name one
/// place (region right implies country right); each confidence is still that unit's own mass.
/// </summary>
public sealed record PlaceLevels(LevelAnswer Country, LevelAnswer Region, LevelAnswer City, double UncertainBelow)
{
    /// <summary>True when each answer's confidence went through the model's per-level calibration (fitted on held-out photos).</summary>
    public bool Calibrated { get; init; }

    public IEnumerable<LevelAnswer> All => [Country, Region, City];
}

/// <summary>The units a single point falls in (null where it has none: open water, no admin-1 name, no town near).</summary>
public sealed record PointUnits(PlaceUnit? Country, PlaceUnit? Region, PlaceUnit? City)
{
    public PlaceUnit? At(PlaceLevel level) => level switch
    {
        PlaceLevel.Country => Country,
        PlaceLevel.Region => Region,
        _ => City,
    };
}
