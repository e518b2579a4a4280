namespace G3.Host.Tests;

/// <summary>A fact that needs the geography data (answers per level come from the reverse geocoder).</summary>
internal sealed class FactRequiringGeoDataAttribute : FactAttribute
{
    public FactRequiringGeoDataAttribute()
    {
        if (!File.Exists(TestPaths.InRepo(".deps", "geodata", "cities.pbf")))
            Skip = "needs the geography data in .deps/geodata: run scripts/bootstrap.sh";
    }
}
