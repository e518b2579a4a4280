namespace G3.Synthetic;

/// <summary>Settings of <c>g3 synth</c>. The same settings and seed give the same bytes.</summary>
public sealed record SyntheticWorldOptions
{
    public long Seed { get; init; } = 1;

    /// <summary>Photos in the database split (the MP16-Pro stand-in).</summary>
    public int DatabaseCount { get; init; } = 20_000;

    /// <summary>Photos in the held-out query split (IM2GPS3K's format).</summary>
    public int QueryCount { get; init; } = 1_000;

    /// <summary>Width and height of every photo, pixels.</summary>
    public int ImageSize { get; init; } = 256;

    /// <summary>Share of photos taken away from towns (5–80 km from a place).</summary>
    public double RuralFraction { get; init; } = 0.15;

    /// <summary>Share of uninformative indoor/portrait-like photos.</summary>
    public double IndoorFraction { get; init; } = 0.1;

    /// <summary>Share of photos near a city of ≥ 1M people that are taken at one of its landmarks.</summary>
    public double LandmarkFraction { get; init; } = 0.5;

    /// <summary>Also place photos on open water (a ship, a beach seen from the sea). Off by default.</summary>
    public bool AllowOcean { get; init; }

    /// <summary>Worker threads for rendering (output does not depend on it).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public void Validate()
    {
        if (DatabaseCount is < 1 or > 10_000_000) throw new SyntheticWorldException($"--database must be 1..10000000 photos (got {DatabaseCount})");
        if (QueryCount is < 0 or > 1_000_000) throw new SyntheticWorldException($"--queries must be 0..1000000 photos (got {QueryCount})");
        if (ImageSize is < 32 or > 1024) throw new SyntheticWorldException($"--size must be 32..1024 pixels (got {ImageSize})");
        foreach (var (name, v) in new[] { ("rural fraction", RuralFraction), ("indoor fraction", IndoorFraction), ("landmark fraction", LandmarkFraction) })
            if (!(v is >= 0 and <= 1)) throw new SyntheticWorldException($"{name} must be within 0..1 (got {v})");
        if (Parallelism < 1) throw new SyntheticWorldException($"parallelism must be at least 1 (got {Parallelism})");
    }
}
