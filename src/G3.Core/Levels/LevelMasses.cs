namespace G3.Core.Levels;

/// <summary>
/// Sums candidate probabilities per country, region and city, and picks the answer at each level
/// top-down: the country with the most mass, then the region with the most mass inside it, then the
/// city with the most mass inside that region. Candidates with no unit at a level (open water, no
/// admin-1 name, no town near) compete as one "none" bucket, so a spread of ocean candidates
/// answers "open water" rather than naming a country that holds little mass.
/// </summary>
public static class LevelMasses
{
    /// <param name="units">The units of each candidate, in ranked order (best first: ties go to the better-ranked candidate).</param>
    /// <param name="probabilities">Each candidate's probability, same order; normalised here, so float error cannot break the sums.</param>
    /// <param name="uncertainBelow">A level whose answer's confidence is below this is marked uncertain (0..1).</param>
    /// <param name="calibrate">
    /// Optional: maps (level, the answered unit's mass) to the probability that the answer is right, as fitted on
    /// held-out photos. The answers are still chosen by mass; only their confidence (and so "uncertain") changes.
    /// The per-unit masses (<see cref="LevelAnswer.Units"/>) stay raw.
    /// </param>
    public static PlaceLevels Compute(IReadOnlyList<PointUnits> units, IReadOnlyList<double> probabilities, double uncertainBelow,
        Func<PlaceLevel, double, double>? calibrate = null)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (units.Count != probabilities.Count)
            throw new ArgumentException($"one probability per candidate is needed ({units.Count} candidates, {probabilities.Count} probabilities)", nameof(probabilities));
        if (units.Count == 0)
            throw new ArgumentException("at least one candidate is needed", nameof(units));
        if (!double.IsFinite(uncertainBelow) || uncertainBelow is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(uncertainBelow), uncertainBelow, "the uncertainty threshold must be between 0 and 1");
        if (probabilities.Any(p => !double.IsFinite(p) || p < 0))
            throw new ArgumentException("probabilities must be finite and non-negative", nameof(probabilities));
        var total = probabilities.Sum();
        if (total <= 0)
            throw new ArgumentException("the probabilities sum to zero", nameof(probabilities));
        var p = probabilities.Select(x => x / total).ToArray();

        var all = Enumerable.Range(0, units.Count).ToList();
        var country = Answer(PlaceLevel.Country, all, units, p, uncertainBelow, calibrate, 1.0);
        var inCountry = all.Where(i => SameUnit(units[i].Country, country.Unit)).ToList();
        var region = Answer(PlaceLevel.Region, inCountry, units, p, uncertainBelow, calibrate, country.Confidence);
        var inRegion = inCountry.Where(i => SameUnit(units[i].Region, region.Unit)).ToList();
        var city = Answer(PlaceLevel.City, inRegion, units, p, uncertainBelow, calibrate, region.Confidence);
        return new PlaceLevels(country, region, city, uncertainBelow) { Calibrated = calibrate is not null };
    }

    /// <param name="parentConfidence">
    /// The answer above's confidence: a calibrated answer never claims more than it, since the region being
    /// right implies the country is (raw masses nest by construction; three separate fits need not).
    /// </param>
    private static LevelAnswer Answer(PlaceLevel level, List<int> members, IReadOnlyList<PointUnits> units, double[] p, double uncertainBelow,
        Func<PlaceLevel, double, double>? calibrate, double parentConfidence)
    {
        // The answer: among the parent answer's candidates, the bucket (a unit, or none) with the most mass.
        PlaceUnit? best = null;
        var bestMass = -1.0;
        foreach (var group in Buckets(members, i => units[i].At(level), p))
        {
            if (group.Mass > bestMass)
            {
                bestMass = group.Mass;
                best = group.Unit;
            }
        }

        // Every unit at this level over all candidates, for clients that show the alternatives.
        var everyone = Enumerable.Range(0, units.Count).ToList();
        var buckets = Buckets(everyone, i => units[i].At(level), p);
        var list = buckets.Where(b => b.Unit is not null)
            .Select((b, order) => (b, order))
            .OrderByDescending(t => t.b.Mass).ThenBy(t => t.order)
            .Select(t => new UnitMass(t.b.Unit!, t.b.Mass)).ToList();
        var unplaced = buckets.Where(b => b.Unit is null).Sum(b => b.Mass);
        var confidence = calibrate is null ? bestMass : Math.Min(Math.Clamp(calibrate(level, bestMass), 0, 1), parentConfidence);
        return new LevelAnswer(level, best, confidence, confidence < uncertainBelow, list, unplaced);
    }

    /// <summary>Mass per unit key (null key: no unit), in the order each bucket first appears among <paramref name="members"/>.</summary>
    private static List<(PlaceUnit? Unit, double Mass)> Buckets(List<int> members, Func<int, PlaceUnit?> unitOf, double[] p)
    {
        var buckets = new List<(PlaceUnit? Unit, double Mass)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        const string none = "\0none";
        foreach (var i in members)
        {
            var unit = unitOf(i);
            var key = unit?.Key ?? none;
            if (index.TryGetValue(key, out var at))
                buckets[at] = (buckets[at].Unit, buckets[at].Mass + p[i]);
            else
            {
                index[key] = buckets.Count;
                buckets.Add((unit, p[i]));
            }
        }
        // Summing normalised probabilities can overshoot 1 by a rounding step; a mass is a probability.
        return buckets.Select(b => (b.Unit, Math.Min(1.0, b.Mass))).ToList();
    }

    private static bool SameUnit(PlaceUnit? a, PlaceUnit? b) => string.Equals(a?.Key, b?.Key, StringComparison.Ordinal);
}
