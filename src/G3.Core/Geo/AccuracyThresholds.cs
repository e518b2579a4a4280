namespace G3.Core.Geo;

/// <summary>
/// The distance thresholds every geolocation paper reports accuracy at:
/// street (1 km), city (25 km), region (200 km), country (750 km), continent (2500 km).
/// </summary>
public static class AccuracyThresholds
{
    public static IReadOnlyList<double> StandardKm { get; } = [1, 25, 200, 750, 2500];

    public static IReadOnlyList<string> StandardNames { get; } = ["street", "city", "region", "country", "continent"];

    /// <summary>For each threshold, the fraction (0..1) of errors at or below it.</summary>
    public static double[] FractionWithin(IReadOnlyCollection<double> errorsKm, IReadOnlyList<double> thresholdsKm)
    {
        var result = new double[thresholdsKm.Count];
        if (errorsKm.Count == 0) return result;
        for (var i = 0; i < thresholdsKm.Count; i++)
            result[i] = (double)errorsKm.Count(e => e <= thresholdsKm[i]) / errorsKm.Count;
        return result;
    }
}
