using G3.Diversification.Parsing;

namespace G3.Diversification.Generation;

/// <summary>What one provider of a chain gave for the samples it was asked: a text per sample that came, and why the others did not.</summary>
internal sealed class ProviderAnswers(ProviderRequest request)
{
    private readonly Dictionary<int, string> _texts = [];
    private readonly Dictionary<int, string> _failures = [];
    private readonly Lock _gate = new();

    public ProviderRequest Request { get; } = request;

    public IReadOnlyDictionary<int, string> Texts => _texts;

    /// <summary>True when at least one answer holds a valid coordinate: such answers win the chain's race.</summary>
    public bool HasValid { get; private set; }

    public void Add(int sampleIndex, string text)
    {
        var valid = CoordinateParser.Parse(text).Point is not null;
        lock (_gate)
        {
            _texts[sampleIndex] = text;
            HasValid |= valid;
        }
    }

    public void Fail(IEnumerable<int> sampleIndices, string why)
    {
        lock (_gate)
            foreach (var i in sampleIndices)
                _failures[i] = why;
    }

    /// <summary>Why sample <paramref name="sampleIndex"/> has no text (null when it has one).</summary>
    public string? FailureOf(int sampleIndex) =>
        _texts.ContainsKey(sampleIndex) ? null : _failures.GetValueOrDefault(sampleIndex) ?? $"LMM provider '{Request.Provider.Name}' gave no answer";
}
