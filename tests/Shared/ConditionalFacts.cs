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
