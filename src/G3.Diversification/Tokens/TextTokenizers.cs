using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace G3.Diversification.Tokens;

/// <summary>
/// The tiktoken vocabularies text is counted with, loaded once each from their NuGet data packages (offline; nothing is
/// downloaded).
/// </summary>
public static class TextTokenizers
{
    public const string O200kBase = "o200k_base";
    public const string Cl100kBase = "cl100k_base";

    public static IReadOnlyList<string> All { get; } = [O200kBase, Cl100kBase];

    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> s_loaded = new(StringComparer.Ordinal);

    /// <summary>The vocabulary <paramref name="encoding"/> (one of <see cref="All"/>).</summary>
    public static Tokenizer Get(string encoding) =>
        All.Contains(encoding)
            ? s_loaded.GetOrAdd(encoding, e => new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding(e))).Value
            : throw new ArgumentException($"unknown token encoding '{encoding}'; use one of {string.Join(", ", All)}", nameof(encoding));

    /// <summary>
    /// The vocabulary of an OpenAI model by its name: cl100k_base for gpt-4 / gpt-4-turbo / gpt-3.5 (GPT-4V included),
    /// o200k_base for the rest (gpt-4o, gpt-4.1, o-series, and any model this list does not know).
    /// </summary>
    public static string DefaultEncoding(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var m = model.ToLowerInvariant();
        var older = (m.StartsWith("gpt-4", StringComparison.Ordinal) && !m.StartsWith("gpt-4o", StringComparison.Ordinal) && !m.StartsWith("gpt-4.", StringComparison.Ordinal))
            || m.StartsWith("gpt-3.5", StringComparison.Ordinal) || m.StartsWith("gpt-35", StringComparison.Ordinal);
        return older ? Cl100kBase : O200kBase;
    }
}
