using G3.Core.Candidates;
using G3.Core.Levels;
using G3.Geography;

namespace G3.Host.Places;

/// <summary>How the service names a place, in the API's answers and in the chat's words alike.</summary>
internal static class PlaceNames
{
    /// <summary>The ocean over open water, else the place down to its city ("Rosario, Santa Fe, Argentina").</summary>
    public static string? Describe(GeoLookup lookup) =>
        lookup.IsOcean ? lookup.Ocean : lookup.Place.Describe(PlaceGranularity.City);

    /// <summary>A level's answered unit, or what stands for none at that level: "open water", "no region named", "no city nearby".</summary>
    public static string Label(LevelAnswer answer) => answer.Unit?.Name ?? answer.Level switch
    {
        PlaceLevel.Country => "open water",
        PlaceLevel.Region => "no region named",
        _ => "no city nearby",
    };
}
