namespace G3.Evaluation.Statistics;

/// <summary>
/// The Wilson score interval of a proportion (k of n). A flag rate on a few dozen images is often 0 % or
/// 100 %, where the textbook normal interval collapses to a point; Wilson's stays honest at the ends.
/// </summary>
public static class ProportionInterval
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static (double Low, double High) Wilson(int successes, int trials, double z = Z95)
    {
        if (trials <= 0) throw new ArgumentOutOfRangeException(nameof(trials), trials, "an interval needs at least one trial");
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes), successes, $"successes must lie in 0..{trials}");
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At k = 0 or k = n the bound is exactly 0 or 1; rounding must not leave it a hair inside.
        return (successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }
}
