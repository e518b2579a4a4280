using G3.Core.Ports;

namespace G3.Core.Views;

/// <summary>Two photos of one query and the cosine similarity of their retrieval embeddings.</summary>
/// <param name="Disagree">The similarity is below the model's same-place threshold.</param>
public sealed record ViewPair(int First, int Second, double Similarity, bool Disagree);

/// <summary>
/// How the photos of a several-photo query relate: how many were encoded and averaged, with which (normalised)
/// weights, every pair's similarity, and which photos disagree with the others. The threshold is the model's
/// (manifest "viewAgreement": a low quantile of same-place pair similarities); without one, pairs are listed but
/// none is judged.
/// </summary>
public sealed record ViewAgreement(int Count, IReadOnlyList<double> Weights, IReadOnlyList<ViewPair> Pairs, double? Threshold, IReadOnlyList<int> Outliers)
{
    /// <summary>Some photos look like different places: the averaged answer mixes them.</summary>
    public bool Disagree => Pairs.Any(p => p.Disagree);

    /// <summary>
    /// Judges every pair against <paramref name="threshold"/>. A photo is an outlier when most of its pairs disagree
    /// (with two photos that disagree, both are: nothing says which one is the odd one out).
    /// </summary>
    public static ViewAgreement Assess(IReadOnlyList<ImageEmbedding> views, IReadOnlyList<double> weights, double? threshold)
    {
        var pairs = new List<ViewPair>();
        for (var i = 0; i < views.Count; i++)
            for (var j = i + 1; j < views.Count; j++)
            {
                var s = ViewCombiner.Cosine(views[i].Retrieval, views[j].Retrieval);
                pairs.Add(new ViewPair(i, j, s, threshold is { } t && s < t));
            }
        var outliers = Enumerable.Range(0, views.Count)
            .Where(i =>
            {
                var mine = pairs.Where(p => p.First == i || p.Second == i).ToList();
                var disagree = mine.Count(p => p.Disagree);
                return disagree > 0 && (2 * disagree > mine.Count || mine.Count == 1);
            })
            .ToList();
        return new ViewAgreement(views.Count, weights, pairs, threshold, outliers);
    }
}
