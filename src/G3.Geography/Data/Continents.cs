namespace G3.Geography.Data;

/// <summary>
/// Continent names from UN M49 groups (country-coder lists them per feature). The Americas are
/// split the usual seven-continent way: South America (005) versus the rest (North America,
/// Central America and the Caribbean).
/// </summary>
internal static class Continents
{
    public const string Africa = "Africa";
    public const string Antarctica = "Antarctica";
    public const string Asia = "Asia";
    public const string Europe = "Europe";
    public const string NorthAmerica = "North America";
    public const string Oceania = "Oceania";
    public const string SouthAmerica = "South America";

    public static string? FromGroups(IReadOnlyList<string> groups, string? iso2)
    {
        if (iso2 == "AQ") return Antarctica;
        if (groups.Contains("005")) return SouthAmerica;
        if (groups.Contains("019")) return NorthAmerica;
        if (groups.Contains("150")) return Europe;
        if (groups.Contains("142")) return Asia;
        if (groups.Contains("002")) return Africa;
        if (groups.Contains("009")) return Oceania;
        if (groups.Contains("010")) return Antarctica;
        return null;
    }
}
