using System.Reflection;

namespace G3.Diversification.Prompts;

/// <summary>
/// The two prompt templates G3 uses: zero-shot (no references) and RAG (similar and dissimilar
/// reference coordinates). Shipped defaults are embedded in the assembly; an experiment may point at a
/// folder holding its own <c>zero-shot.txt</c> and/or <c>rag.txt</c> (a missing file keeps the default).
/// Placeholders: <c>{{similar}}</c>, <c>{{dissimilar}}</c>, <c>{{count}}</c> (references per list).
/// </summary>
public sealed record PromptTemplates(string ZeroShot, string Rag)
{
    public const string ZeroShotFile = "zero-shot.txt", RagFile = "rag.txt";

    public static PromptTemplates Default { get; } = new(ReadEmbedded(ZeroShotFile), ReadEmbedded(RagFile));

    /// <summary>Defaults overridden by whichever template files <paramref name="directory"/> holds.</summary>
    public static PromptTemplates FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"prompt template folder '{directory}' does not exist");
        var zero = Path.Combine(directory, ZeroShotFile);
        var rag = Path.Combine(directory, RagFile);
        var templates = new PromptTemplates(
            File.Exists(zero) ? File.ReadAllText(zero) : Default.ZeroShot,
            File.Exists(rag) ? File.ReadAllText(rag) : Default.Rag);
        templates.EnsureValid();
        return templates;
    }

    /// <summary>A RAG template that never shows the references would silently ablate retrieval.</summary>
    public void EnsureValid()
    {
        if (string.IsNullOrWhiteSpace(ZeroShot))
            throw new ArgumentException("the zero-shot prompt template is empty");
        if (!Rag.Contains("{{similar}}", StringComparison.Ordinal))
            throw new ArgumentException("the RAG prompt template must contain {{similar}} (where the reference coordinates go)");
    }

    private static string ReadEmbedded(string name)
    {
        var assembly = typeof(PromptTemplates).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
