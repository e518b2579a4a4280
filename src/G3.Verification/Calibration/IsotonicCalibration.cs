namespace G3.Verification.Calibration;

/// <summary>
/// A monotone map from the verifier's raw confidence to a probability of being right, fitted by
/// isotonic regression (pool-adjacent-violators) on held-out photos: raw scores and whether each
/// pick was within the radius of the truth. Stored as (raw, calibrated) points, each block's mean
/// raw score and hit rate; applied by linear interpolation between them, flat beyond the ends.
/// </summary>
public sealed class IsotonicCalibration
{
    public IsotonicCalibration(IReadOnlyList<double> raw, IReadOnlyList<double> calibrated)
    {
        if (raw.Count == 0 || raw.Count != calibrated.Count)
            throw new ArgumentException("isotonic calibration needs the same non-zero number of raw and calibrated points");
        for (var i = 1; i < raw.Count; i++)
            if (raw[i] < raw[i - 1] || calibrated[i] < calibrated[i - 1])
                throw new ArgumentException($"isotonic calibration points must be non-decreasing (point {i})");
        Raw = raw;
        Calibrated = calibrated;
    }

    public IReadOnlyList<double> Raw { get; }
    public IReadOnlyList<double> Calibrated { get; }

    /// <summary>Fits on (raw score, hit) pairs. Blocks with fewer than <paramref name="minBlock"/> samples are merged into a neighbour, so no point rests on a handful of photos.</summary>
    public static IsotonicCalibration Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> hits, int minBlock = 20)
    {
        if (scores.Count == 0 || scores.Count != hits.Count)
            throw new ArgumentException("fitting needs the same non-zero number of scores and outcomes");
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        // Blocks: (sum of x, sum of y, count); merged while they violate monotonicity or are too small.
        var blocks = new List<(double X, double Y, int N)>();
        foreach (var i in order)
        {
            blocks.Add((scores[i], hits[i] ? 1 : 0, 1));
            while (blocks.Count > 1)
            {
                var (x1, y1, n1) = blocks[^2];
                var (x2, y2, n2) = blocks[^1];
                if (y1 / n1 < y2 / n2 && n1 >= minBlock) break;
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = (x1 + x2, y1 + y2, n1 + n2);
            }
        }
        // The last block may be small: merge it backwards while it is (keeping monotonicity, as merging only averages).
        while (blocks.Count > 1 && blocks[^1].N < minBlock)
        {
            var (x2, y2, n2) = blocks[^1];
            blocks.RemoveAt(blocks.Count - 1);
            var (x1, y1, n1) = blocks[^1];
            blocks[^1] = (x1 + x2, y1 + y2, n1 + n2);
        }
        var raw = blocks.Select(b => b.X / b.N).ToArray();
        var cal = blocks.Select(b => b.Y / b.N).ToArray();
        for (var i = 1; i < cal.Length; i++) cal[i] = Math.Max(cal[i], cal[i - 1]); // exact ties after merging
        return new IsotonicCalibration(raw, cal);
    }

    public double Apply(double raw)
    {
        if (raw <= Raw[0]) return Calibrated[0];
        if (raw >= Raw[^1]) return Calibrated[^1];
        var hi = 1;
        while (Raw[hi] < raw) hi++;
        var lo = hi - 1;
        var span = Raw[hi] - Raw[lo];
        return span <= 0 ? Calibrated[hi] : Calibrated[lo] + (Calibrated[hi] - Calibrated[lo]) * (raw - Raw[lo]) / span;
    }
}
