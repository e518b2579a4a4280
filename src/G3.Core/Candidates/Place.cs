namespace G3.Core.Candidates;

/// <summary>
/// Reverse-geocoded description of a location, MP16-Pro's text columns. Every field is optional:
/// open ocean has none, a rural photo may lack a city.
/// </summary>
public sealed record Place(
    string? Neighbourhood = null,
    string? City = null,
    string? County = null,
    string? State = null,
    string? Region = null,
    string? Country = null,
    string? Continent = null)
{
    /// <summary>A short human description, most specific first ("Lyon, Auvergne-Rhône-Alpes, France").</summary>
    public string Describe(PlaceGranularity granularity = PlaceGranularity.City)
    {
        IEnumerable<string?> parts = granularity switch
        {
            PlaceGranularity.Neighbourhood => [Neighbourhood, City, State, Country],
            PlaceGranularity.City => [City, State, Country],
            PlaceGranularity.State => [State, Country],
            PlaceGranularity.Country => [Country],
            PlaceGranularity.Continent => [Continent],
            _ => [],
        };
        return string.Join(", ", parts.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal));
    }
}

/// <summary>How much place text accompanies a reference (the paper's text-granularity experiment).</summary>
public enum PlaceGranularity
{
    None,
    Continent,
    Country,
    State,
    City,
    Neighbourhood,
}
