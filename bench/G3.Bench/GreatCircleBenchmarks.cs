using BenchmarkDotNet.Attributes;
using G3.Core.Geo;

namespace G3.Bench;

/// <summary>Distance computations dominate evaluation scoring (every candidate vs the truth).</summary>
[MemoryDiagnoser]
public class GreatCircleBenchmarks
{
    private GeoPoint[] _points = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _points = Enumerable.Range(0, 4096)
            .Select(_ => new GeoPoint(random.NextDouble() * 180 - 90, random.NextDouble() * 360 - 180))
            .ToArray();
    }

    [Benchmark]
    public double Haversine4096()
    {
        var sum = 0.0;
        for (var i = 1; i < _points.Length; i++)
            sum += GreatCircle.DistanceKm(_points[i - 1], _points[i]);
        return sum;
    }
}
