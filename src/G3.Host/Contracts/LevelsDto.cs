using G3.Core.Levels;
using G3.Host.Places;

namespace G3.Host.Contracts;

/// <summary>
/// Answers per level in the API: for country, region and city the most likely unit and its
/// confidence (the verifier's probability mass of the candidates inside it, mapped through the model's
/// per-level calibration when it has one: then <see cref="Calibrated"/> is true and the confidence is the
/// estimated probability that the unit is right), with every unit's raw mass for clients that show alternatives.
/// </summary>
internal sealed record LevelsDto(double UncertainBelow, bool Calibrated, LevelDto Country, LevelDto Region, LevelDto City)
{
    public static LevelsDto From(PlaceLevels l) =>
        new(l.UncertainBelow, l.Calibrated, LevelDto.From(l.Country), LevelDto.From(l.Region), LevelDto.From(l.City));
}

/// <param name="Name">The answered unit (null when <paramref name="Unplaced"/>).</param>
/// <param name="Key">Its stable key: country code, "CC/admin-1 name", or "geonames:ID".</param>
/// <param name="Label">What to show: the name, or for an unplaced answer "open water", "no region named", "no city nearby".</param>
/// <param name="Unplaced">The answer is "none at this level": most of the mass lies over water / outside any named region / away from towns.</param>
/// <param name="Units">Every unit at this level holding candidates, most mass first; with <paramref name="UnplacedMass"/> the masses sum to 1.</param>
internal sealed record LevelDto(string? Name, string? Key, string Label, double Confidence, bool Uncertain, bool Unplaced,
    IReadOnlyList<UnitMassDto> Units, double UnplacedMass)
{
    public static LevelDto From(LevelAnswer a) => new(
        a.Unit?.Name, a.Unit?.Key, PlaceNames.Label(a), a.Confidence, a.Uncertain, a.Unit is null,
        a.Units.Select(u => new UnitMassDto(u.Unit.Name, u.Unit.Key, u.Mass)).ToList(), a.UnplacedMass);
}

internal sealed record UnitMassDto(string Name, string Key, double Mass);
