namespace G3.Tests.Shared;

/// <summary>
/// A fact that needs an environment variable (a Qdrant URL, an API key). Without it the test is
/// reported as skipped, with the reason, never as passed.
/// </summary>
internal sealed class FactRequiringEnvAttribute : FactAttribute
{
    public FactRequiringEnvAttribute(string variable, string what)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)))
            Skip = $"needs {what}: set {variable} to run it";
    }
}

/// <summary>A fact that needs a file or folder that may be absent (e.g. ../shared/specs).</summary>
internal sealed class FactRequiringPathAttribute : FactAttribute
{
    public FactRequiringPathAttribute(string relativeToRepo, string what)
    {
        var path = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, relativeToRepo));
        if (!File.Exists(path) && !Directory.Exists(path))
            Skip = $"needs {what} at {relativeToRepo}, which is absent";
    }
}
