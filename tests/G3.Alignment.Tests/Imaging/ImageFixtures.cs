using System.Text.Json;
using System.Text.Json.Serialization;

namespace G3.Alignment.Tests.Imaging;

/// <summary>The fixtures written by tools/imaging/make_fixtures.py and their index.json.</summary>
internal static class ImageFixtures
{
    private static readonly Lazy<FixtureIndex> Index = new(() =>
        JsonSerializer.Deserialize<FixtureIndex>(File.ReadAllText(Path("index.json")))
        ?? throw new InvalidOperationException("index.json is empty"));

    public static string Path(string name) => TestPaths.Fixture("images", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));

    public static IReadOnlyList<FixtureReference> References => Index.Value.References;

    public static FixtureReference Reference(string image) => References.Single(r => r.Image == image);

    /// <summary>Every decodable fixture's file name, for [MemberData].</summary>
    public static TheoryData<string> DecodableImages()
    {
        var data = new TheoryData<string>();
        foreach (var r in References)
            data.Add(r.Image);
        return data;
    }

    /// <summary>A reference tensor: little-endian float32 [3, S, S].</summary>
    public static float[] Tensor(FixtureReference reference)
    {
        var bytes = Bytes(reference.ReferenceFile);
        var floats = new float[bytes.Length / 4];
        for (var i = 0; i < floats.Length; i++)
            floats[i] = BitConverter.ToSingle(bytes, i * 4);
        Assert.Equal(3 * reference.InputSize * reference.InputSize, floats.Length);
        return floats;
    }
}

internal sealed record FixtureIndex(
    [property: JsonPropertyName("references")] IReadOnlyList<FixtureReference> References);

internal sealed record FixtureReference(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("reference")] string ReferenceFile,
    [property: JsonPropertyName("inputSize")] int InputSize,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("channelMeans")] IReadOnlyList<double> ChannelMeans,
    [property: JsonPropertyName("samples")] IReadOnlyList<int[]> Samples);

/// <summary>Max and mean absolute difference between two tensors.</summary>
internal readonly record struct TensorError(double Max, double Mean)
{
    public static TensorError Between(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0, sum = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = Math.Abs(expected[i] - (double)actual[i]);
            max = Math.Max(max, d);
            sum += d;
        }
        return new TensorError(max, sum / expected.Length);
    }

    public override string ToString() => $"max {Max:0.######}, mean {Mean:0.########}";
}
