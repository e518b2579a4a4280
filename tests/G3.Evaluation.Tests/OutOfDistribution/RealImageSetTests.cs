using System.Globalization;
using G3.Alignment.Encoders;
using G3.Alignment.Models;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Evaluation.OutOfDistribution;
using G3.Verification.OutOfDistribution;

namespace G3.Evaluation.Tests.OutOfDistribution;

/// <summary>
/// The real non-place image set (data/ood-real): its manifest names where every image comes from, the fetched
/// images match their checksums, and the shipped OOD check, run on them, reproduces the committed per-image results
/// (experiments/results/ood/real-images.csv) from the images alone.
/// </summary>
public sealed class RealImageSetTests
{
    private static readonly string ManifestPath = TestPaths.InRepo("data", "ood-real", "manifest.csv");

    [Fact]
    public void The_manifest_gives_every_image_a_kind_a_checksum_and_its_provenance()
    {
        var set = RealImageSet.Load(ManifestPath);

        Assert.Equal(["document", "icon", "photo-object", "photo-scene", "screenshot"], set.Images.Select(i => i.Kind).Distinct().Order(StringComparer.Ordinal));
        Assert.All(set.Images, i =>
        {
            Assert.Matches("^[0-9a-f]{64}$", i.Sha256);
            Assert.StartsWith("/usr/", i.PackagePath, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(i.Licence));
        });
    }

    [Fact]
    public void A_malformed_manifest_is_refused_with_its_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["file,kind,sha256,package,version,path,licence", "a.png,icon,abc,pkg,1,/usr/a.png,MIT"]);
            var error = Assert.Throws<InvalidDataException>(() => RealImageSet.Load(path));
            Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    [FactRequiringRealImages]
    public async Task The_images_match_their_checksums_and_the_shipped_check_reproduces_the_committed_scores()
    {
        var set = RealImageSet.Load(ManifestPath);
        Assert.Empty(set.Problems());

        var manifestPath = TestPaths.InRepo("models", "g3-mini", "manifest.json");
        var spec = ModelManifestLoader.Load(manifestPath).OutOfDistribution!;
        var check = new EmbeddingOutOfDistributionCheck(spec.Weights, spec.Bias, spec.TopK, spec.Threshold);
        var committed = File.ReadAllLines(TestPaths.InRepo("experiments", "results", "ood", "real-images.csv")).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(f => f[0], f => (Similarity: double.Parse(f[3], CultureInfo.InvariantCulture),
                Score: double.Parse(f[4], CultureInfo.InvariantCulture), Flagged: bool.Parse(f[5])));
        Assert.Equal(set.Images.Select(i => i.File).Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));

        using var encoder = ImageEncoder.Open(manifestPath);
        foreach (var image in set.Images)
        {
            var embedding = (await encoder.EncodeBatchAsync([new QueryImage(await File.ReadAllBytesAsync(set.PathOf(image)))], default))[0];
            // The store is not here: the references stand in with the mean top-K similarity the committed run measured.
            var expected = committed[image.File];
            var references = Enumerable.Range(0, spec.TopK).Select(i => new ReferencePhoto($"r{i}", new GeoPoint(0, 0), expected.Similarity)).ToList();
            var verdict = check.Assess(embedding, references)!;
            Assert.True(Math.Abs(expected.Score - verdict.Score) < 1e-4, $"{image.File}: score {verdict.Score}, committed {expected.Score}");
            Assert.Equal(expected.Flagged, verdict.Flagged);
        }
    }
}
