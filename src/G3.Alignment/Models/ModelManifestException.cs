using G3.Core.Errors;

namespace G3.Alignment.Models;

/// <summary>
/// A model manifest that is missing, malformed, or disagrees with its ONNX files. The message names
/// the manifest and lists every problem found, so one fix-and-retry cycle covers them all.
/// </summary>
public sealed class ModelManifestException : G3Exception
{
    public ModelManifestException() { }

    public ModelManifestException(string message) : base(message) { }

    public ModelManifestException(string message, Exception innerException) : base(message, innerException) { }

    public ModelManifestException(string manifestPath, IReadOnlyList<string> problems, Exception? innerException = null)
        : base(Format(manifestPath, problems), innerException!)
    {
        ManifestPath = manifestPath;
        Problems = problems;
    }

    public string ManifestPath { get; } = "";

    public IReadOnlyList<string> Problems { get; } = [];

    private static string Format(string path, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"model manifest '{path}': {problems[0]}"
            : $"model manifest '{path}' has {problems.Count} problems:\n  - " + string.Join("\n  - ", problems);
}
