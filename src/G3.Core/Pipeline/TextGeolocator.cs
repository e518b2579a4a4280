using System.Diagnostics;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Core.Pipeline;

/// <summary>One candidate location of a text query: a reference photo's position, its score and its share of the distribution.</summary>
public sealed record TextLocationCandidate(GeoPoint Point, double Score, double Probability, ReferencePhoto Reference);

/// <summary>
/// A text query's answer: a probability distribution over candidate locations (best first), the best
/// point, and how the text was read (ids used, ids cut at the model's context).
/// </summary>
public sealed record TextGeolocation(string Text, GeoPoint Point, IReadOnlyList<TextLocationCandidate> Candidates, int Tokens, int TruncatedTokens,
    TimeSpan Encode, TimeSpan Retrieve, TimeSpan Score, TimeSpan Total);

/// <summary>
/// Geolocates a description, as GeoCLIP's text query does through CLIP's shared space: the text tower's
/// retrieval embedding searches the reference collection (top <see cref="CandidateCount"/> photos), those
/// photos' coordinates are the gallery of candidate locations, the location encoder embeds them, and
/// the text tower's GPS embedding scores them; a softmax at the model's logit scale turns the scores into
/// probabilities. The best point is the most probable candidate. With no LMM involved, this is G3's
/// retrieval and verification stages with text in place of the photo.
/// </summary>
public sealed class TextGeolocator
{
    /// <summary>Longest description accepted, in characters (a paragraph; the model reads its first tokens only).</summary>
    public const int MaxTextLength = 2000;

    private readonly ITextEncoder _encoder;
    private readonly IReferenceStore _store;
    private readonly ILocationEncoder _locations;

    public TextGeolocator(ITextEncoder encoder, IReferenceStore store, ILocationEncoder locations, double logitScale, int candidateCount = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(candidateCount, 1);
        if (!(logitScale > 0) || !double.IsFinite(logitScale)) throw new ArgumentOutOfRangeException(nameof(logitScale), "must be a positive number");
        if (store.Dimension != encoder.RetrievalDimension)
            throw new ArgumentException($"the reference store holds {store.Dimension}-dimensional vectors but the text tower's retrieval output has {encoder.RetrievalDimension}", nameof(store));
        if (locations.Dimension != encoder.GpsDimension)
            throw new ArgumentException($"the location encoder gives {locations.Dimension}-dimensional embeddings but the text tower's GPS output has {encoder.GpsDimension}", nameof(locations));
        _encoder = encoder;
        _store = store;
        _locations = locations;
        LogitScale = logitScale;
        CandidateCount = candidateCount;
    }

    public double LogitScale { get; }

    public int CandidateCount { get; }

    /// <summary>Geolocates <paramref name="text"/> (non-empty, at most <see cref="MaxTextLength"/> characters; callers check).</summary>
    public async Task<TextGeolocation> LocateAsync(string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("the text is empty", nameof(text));
        if (text.Length > MaxTextLength) throw new ArgumentException($"the text has {text.Length} characters; at most {MaxTextLength}", nameof(text));
        var total = Stopwatch.StartNew();
        var embedding = await _encoder.EncodeAsync(text, cancellationToken).ConfigureAwait(false);
        var encode = total.Elapsed;
        var references = await _store.SearchAsync(embedding.Retrieval, CandidateCount, cancellationToken).ConfigureAwait(false);
        if (references.Count == 0)
            throw new InvalidOperationException("the reference collection is empty: a text query needs indexed reference photos (g3 index)");
        var retrieve = total.Elapsed;
        var gallery = await _locations.EncodeAsync([.. references.Select(r => r.Point)], cancellationToken).ConfigureAwait(false);
        var scores = new double[references.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            var row = gallery.Row(i);
            double dot = 0;
            for (var d = 0; d < row.Length; d++) dot += row[d] * embedding.Gps[d];
            scores[i] = dot;
        }
        var probabilities = Softmax(scores, LogitScale);
        // Best first; equal probabilities keep retrieval order (OrderBy is stable).
        var candidates = Enumerable.Range(0, scores.Length)
            .Select(i => new TextLocationCandidate(references[i].Point, scores[i], probabilities[i], references[i]))
            .OrderByDescending(c => c.Probability)
            .ToList();
        var scored = total.Elapsed;
        return new TextGeolocation(text, candidates[0].Point, candidates, embedding.Tokens, embedding.TruncatedTokens,
            encode, retrieve - encode, scored - retrieve, scored);
    }

    private static double[] Softmax(double[] scores, double scale)
    {
        var max = scores.Max();
        var p = scores.Select(s => Math.Exp(scale * (s - max))).ToArray();
        var sum = p.Sum();
        for (var i = 0; i < p.Length; i++) p[i] /= sum;
        return p;
    }
}
