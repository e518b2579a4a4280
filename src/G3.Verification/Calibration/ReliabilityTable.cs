namespace G3.Verification.Calibration;

/// <summary>One confidence bin: how many answers fell in it, their mean confidence and how often they were within 25 and 200 km.</summary>
public sealed record ReliabilityBin(double Low, double High, int Count, double MeanConfidence, double HitRate25Km, double HitRate200Km);

/// <summary>
/// Confidence against outcome: equal-width bins over 0..1, the hit rates within 25 and 200 km per
/// bin, and the expected calibration error (ECE: the count-weighted mean |hit rate − mean
/// confidence| over the bins) against either hit rate.
/// </summary>
public sealed class ReliabilityTable
{
    private ReliabilityTable(IReadOnlyList<ReliabilityBin> bins, int total)
    {
        Bins = bins;
        Total = total;
    }

    public IReadOnlyList<ReliabilityBin> Bins { get; }
    public int Total { get; }

    /// <param name="confidence">Per answer, 0..1.</param>
    /// <param name="errorKm">Per answer, the distance from the truth.</param>
    public static ReliabilityTable Build(IReadOnlyList<double> confidence, IReadOnlyList<double> errorKm, int bins = 10)
    {
        if (confidence.Count != errorKm.Count) throw new ArgumentException("one error per confidence is needed");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin");
        var result = new List<ReliabilityBin>(bins);
        for (var b = 0; b < bins; b++)
        {
            double lo = (double)b / bins, hi = (double)(b + 1) / bins;
            var members = Enumerable.Range(0, confidence.Count)
                .Where(i => confidence[i] >= lo && (confidence[i] < hi || b == bins - 1 && confidence[i] <= hi)).ToList();
            var n = members.Count;
            result.Add(new ReliabilityBin(lo, hi, n,
                n == 0 ? 0 : members.Average(i => confidence[i]),
                n == 0 ? 0 : members.Count(i => errorKm[i] <= 25) / (double)n,
                n == 0 ? 0 : members.Count(i => errorKm[i] <= 200) / (double)n));
        }
        return new ReliabilityTable(result, confidence.Count);
    }

    /// <summary>Expected calibration error against the hit rate within 200 km (or 25 km).</summary>
    public double ExpectedCalibrationError(bool within25Km = false) =>
        Total == 0 ? 0 : Bins.Sum(b => b.Count * Math.Abs((within25Km ? b.HitRate25Km : b.HitRate200Km) - b.MeanConfidence)) / Total;
}
