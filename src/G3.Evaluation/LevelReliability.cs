namespace G3.Evaluation;

/// <summary>One confidence bin of a level: how many answers fell in it, their mean confidence and how often they were right.</summary>
public sealed record LevelBin(double Low, double High, int Count, double MeanConfidence, double HitRate);

/// <summary>
/// A level's confidence against whether its answer was right: equal-width bins over 0..1 (the last
/// one closed) and the expected calibration error, ECE = Σ_b (n_b / N)·|hit rate_b − mean confidence_b|.
/// A well-calibrated confidence has hit rates close to the bins' mean confidences and an ECE near 0.
/// </summary>
public sealed record LevelReliability(IReadOnlyList<LevelBin> Bins, int Total, double ExpectedCalibrationError)
{
    public static LevelReliability Build(IReadOnlyList<(double Confidence, bool Right)> answers, int bins = 10)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin");
        if (answers.Any(a => !double.IsFinite(a.Confidence) || a.Confidence is < 0 or > 1))
            throw new ArgumentException("confidences must lie in 0..1", nameof(answers));
        var result = new List<LevelBin>(bins);
        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            double lo = (double)b / bins, hi = (double)(b + 1) / bins;
            var members = answers.Where(a => a.Confidence >= lo && (a.Confidence < hi || b == bins - 1)).ToList();
            var n = members.Count;
            var mean = n == 0 ? 0 : members.Average(a => a.Confidence);
            var hit = n == 0 ? 0 : members.Count(a => a.Right) / (double)n;
            result.Add(new LevelBin(lo, hi, n, mean, hit));
            if (n > 0) ece += n * Math.Abs(hit - mean);
        }
        return new LevelReliability(result, answers.Count, answers.Count == 0 ? 0 : ece / answers.Count);
    }
}
