namespace G3.Geography.Tests;

/// <summary>A fact that needs the geography data scripts/bootstrap.sh fetches into .deps/geodata.</summary>
internal sealed class FactRequiringGeoDataAttribute : FactAttribute
{
    public FactRequiringGeoDataAttribute()
    {
        if (!File.Exists(TestPaths.InRepo(".deps", "geodata", "cities.pbf")))
            Skip = "needs the geography data in .deps/geodata: run scripts/bootstrap.sh";
    }
}

/// <summary>A theory that needs the same data: every row is reported as skipped, with the reason, when it is absent.</summary>
internal sealed class TheoryRequiringGeoDataAttribute : TheoryAttribute
{
    public TheoryRequiringGeoDataAttribute()
    {
        if (!File.Exists(TestPaths.InRepo(".deps", "geodata", "cities.pbf")))
            Skip = "needs the geography data in .deps/geodata: run scripts/bootstrap.sh";
    }
}
