namespace G3.Host.Composition;

/// <summary>"Did you mean …?": the known name closest to a mistyped one, by edit distance.</summary>
public static class NearestName
{
    /// <summary>The candidate nearest to <paramref name="typed"/> (case-insensitive), or null when none is close.</summary>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var known = candidates.ToList();
        foreach (var candidate in known)
        {
            var d = Distance(typed.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        // Close enough to be a typo: a third of the name, and at least two edits for short names.
        if (best is not null && bestDistance <= Math.Max(2, typed.Length / 3)) return best;
        // Or a name cut short (UrlTimeout for UrlTimeoutSeconds): the shortest known name it begins.
        return typed.Length < 3 ? null : known.Where(c => c.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).MinBy(c => c.Length);
    }

    /// <summary>" (did you mean 'x'?)" or empty.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) =>
        Find(typed, candidates) is { } near ? $" (did you mean '{near}'?)" : "";

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
