using G3.Alignment.Onnx;
using G3.Core.Geo;

namespace G3.Alignment.Tests.Onnx;

/// <summary>One session shared by concurrent callers gives each caller exactly its own answer.</summary>
public sealed class OnnxSessionConcurrencyTests
{
    [Fact]
    public async Task Concurrent_callers_get_the_same_rows_as_sequential_calls()
    {
        using var encoder = OnnxLocationEncoder.Open(OnnxFixtures.MercatorManifest);
        var random = new Random(5);
        var batches = Enumerable.Range(0, 16)
            .Select(_ => Enumerable.Range(0, random.Next(1, 40))
                .Select(_ => new GeoPoint(random.NextDouble() * 180 - 90, random.NextDouble() * 360 - 180)).ToArray())
            .ToArray();
        var expected = new List<float[]>();
        foreach (var batch in batches)
            expected.Add((await encoder.EncodeAsync(batch, CancellationToken.None)).Data);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var mismatches = 0;
            for (var round = 0; round < 25; round++)
            {
                var b = (worker * 7 + round) % batches.Length;
                var got = await encoder.EncodeAsync(batches[b], CancellationToken.None);
                if (!got.Data.AsSpan().SequenceEqual(expected[b])) mismatches++;
            }
            return mismatches;
        })));

        Assert.All(results, m => Assert.Equal(0, m));
    }
}
