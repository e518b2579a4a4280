namespace G3.Synthetic;

/// <summary>
/// A small deterministic generator (SplitMix64). Our own, not System.Random, so a seed gives the
/// same world on every .NET version; per-item streams come from <see cref="Derive"/>, so items can
/// be generated in any order or in parallel with identical results.
/// </summary>
public struct SplitMix
{
    private ulong _state;

    public SplitMix(ulong seed) => _state = seed;

    /// <summary>An independent stream for item <paramref name="index"/> of stream <paramref name="stream"/>.</summary>
    public static SplitMix Derive(long seed, int stream, long index) =>
        new(Mix(Mix(Mix((ulong)seed) ^ (ulong)stream * 0x9E3779B97F4A7C15UL) ^ (ulong)index * 0xC2B2AE3D27D4EB4FUL));

    /// <summary>A well-mixed hash of a value (the SplitMix64 finaliser).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stable hash of a string (for per-country and per-city style perturbations).</summary>
    public static ulong Hash(string s)
    {
        ulong h = 1469598103934665603UL;
        foreach (var c in s) h = (h ^ c) * 1099511628211UL;
        return Mix(h);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => (int)(NextDouble() * n);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u = 1.0 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
