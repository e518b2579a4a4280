using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.StoreCrashChild;

/// <summary>What the child writes, derivable from the row number alone so the test can check every row read back.</summary>
public static class CrashChildData
{
    public const string ModelId = "crash-test-model";
    public const int Dimension = 48;
    public const int BatchSize = 250;

    public static string IdOf(int row) => $"crash/{row / 1000:D3}/{row}.jpg";

    public static float[] VectorOf(int row)
    {
        var random = new Random(row * 7919 + 13);
        var vector = new float[Dimension];
        for (var i = 0; i < vector.Length; i++) vector[i] = (float)(random.NextDouble() * 2 - 1);
        return vector;
    }

    public static ReferenceRecord RecordOf(int row) =>
        new(IdOf(row), VectorOf(row), new GeoPoint(row % 180 - 89.5, row % 360 - 179.5), new Place(City: $"city {row}"));
}
