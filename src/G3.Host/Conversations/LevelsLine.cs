using System.Globalization;
using G3.Core.Levels;
using G3.Host.Places;

namespace G3.Host.Conversations;

/// <summary>Answers per level in one line for people: "Country: Argentina (0.81) · Region: Santa Fe (0.42) · City: uncertain".</summary>
internal static class LevelsLine
{
    /// <summary>The line; over open water only the country part is said, as region and city do not apply there.</summary>
    public static string Of(PlaceLevels levels) =>
        levels.Country is { Unit: null, Uncertain: false }
            ? "Country: " + Said(levels.Country)
            : $"Country: {Said(levels.Country)} · Region: {Said(levels.Region)} · City: {Said(levels.City)}";

    /// <summary>"Argentina (0.81)", "no city nearby (0.55)", or "uncertain".</summary>
    private static string Said(LevelAnswer answer) =>
        answer.Uncertain ? "uncertain" : string.Create(CultureInfo.InvariantCulture, $"{PlaceNames.Label(answer)} ({answer.Confidence:0.00})");
}
