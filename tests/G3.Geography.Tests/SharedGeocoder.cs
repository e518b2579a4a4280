namespace G3.Geography.Tests;

/// <summary>One geocoder for the whole test run (loading takes about a second).</summary>
internal static class SharedGeocoder
{
    private static readonly Lazy<ReverseGeocoder> Instance =
        new(() => ReverseGeocoder.Load(TestPaths.InRepo(".deps", "geodata")));

    public static ReverseGeocoder Value => Instance.Value;
}
