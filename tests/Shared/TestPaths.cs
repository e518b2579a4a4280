namespace G3.Tests.Shared;

/// <summary>Locates the repository (the folder holding G3.sln) and its fixtures from a test's output folder.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "G3.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("G3.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    /// <summary>A path under tests/fixtures/.</summary>
    public static string Fixture(params string[] parts) => Path.Combine([RepoRoot, "tests", "fixtures", .. parts]);

    /// <summary>A path under the repository root.</summary>
    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);
}
