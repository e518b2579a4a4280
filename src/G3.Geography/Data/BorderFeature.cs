namespace G3.Geography.Data;

/// <summary>
/// One feature of country-coder's borders.json. Rings hold interleaved lon,lat pairs; features
/// without geometry (e.g. "France", made of Metropolitan France and its territories) have none.
/// </summary>
internal sealed record BorderFeature(
    string Name,
    string? Iso2,
    string? Iso3,
    string? ParentCountry,
    string? IsoStatus,
    IReadOnlyList<string> Groups,
    IReadOnlyList<double[]> Rings)
{
    /// <summary>
    /// The ISO code that names the point's country: the feature's own code when it is officially
    /// assigned (Puerto Rico → PR, as GeoNames does), otherwise its sovereign's (England and
    /// Metropolitan France, whose FX is only "exceptionally reserved", → GB, FR).
    /// </summary>
    public string? CountryCode =>
        Iso2 is not null && IsoStatus is null or "official" ? Iso2 : ParentCountry ?? Iso2;
}
