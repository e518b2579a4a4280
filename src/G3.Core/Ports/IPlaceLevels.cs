using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Levels;

namespace G3.Core.Ports;

/// <summary>Answers per administrative level from the verifier's per-candidate probabilities (a reverse geocoder behind it).</summary>
public interface IPlaceLevels
{
    /// <param name="ranked">The verified candidates, best first (each has a point).</param>
    /// <param name="probabilities">The verifier's probability of each ranked candidate, same order, summing to 1.</param>
    PlaceLevels Estimate(IReadOnlyList<ScoredCandidate> ranked, IReadOnlyList<double> probabilities);

    /// <summary>The units <paramref name="point"/> falls in, by the same rules (the evaluation's truth).</summary>
    PointUnits UnitsAt(GeoPoint point);
}
