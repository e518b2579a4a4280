using System.Text.Json.Nodes;
using G3.Alignment.Models;
using G3.Alignment.Tests.Onnx;

namespace G3.Alignment.Tests.Models;

/// <summary>The manifest's confidence calibration and out-of-distribution sections: read when valid, refused by name when not.</summary>
public sealed class CalibrationManifestTests
{
    private static string With(double[] raw, double[] calibrated, double? threshold, int topK = 5, string method = "isotonic") =>
        OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, json =>
        {
            json["verification"]!.AsObject()["calibration"] = new JsonObject
            {
                ["method"] = method, ["radiusKm"] = 200,
                ["raw"] = new JsonArray(raw.Select(x => (JsonNode)x).ToArray()),
                ["calibrated"] = new JsonArray(calibrated.Select(x => (JsonNode)x).ToArray()),
            };
            json["outOfDistribution"] = new JsonObject { ["score"] = "mean-top-k-similarity", ["topK"] = topK, ["threshold"] = threshold };
        });

    [Fact]
    public void Valid_sections_are_read()
    {
        var manifest = ModelManifestLoader.Load(With([0.1, 0.5, 0.9], [0.05, 0.4, 0.95], 0.62));

        Assert.Equal(200, manifest.Calibration!.RadiusKm);
        Assert.Equal([0.1, 0.5, 0.9], manifest.Calibration.Raw);
        Assert.Equal([0.05, 0.4, 0.95], manifest.Calibration.Calibrated);
        Assert.Equal((5, 0.62), (manifest.OutOfDistribution!.TopK, manifest.OutOfDistribution.Threshold));
    }

    [Fact]
    public void Without_the_sections_there_is_no_calibration_and_no_check()
    {
        var manifest = ModelManifestLoader.Load(OnnxFixtures.ImageManifest);
        Assert.Null(manifest.Calibration);
        Assert.Null(manifest.OutOfDistribution);
    }

    [Fact]
    public void Mistakes_are_reported_by_name()
    {
        Assert.Contains("non-decreasing", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(With([0.5, 0.1], [0.1, 0.2], 0.6))).Message);
        Assert.Contains("same non-zero length", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(With([0.1, 0.5], [0.1], 0.6))).Message);
        Assert.Contains("method", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(With([0.1], [0.1], 0.6, method: "platt"))).Message);
        Assert.Contains("outOfDistribution.topK", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(With([0.1], [0.1], 0.6, topK: 0))).Message);
        Assert.Contains("outOfDistribution.threshold", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(With([0.1], [0.1], null))).Message);
    }
}
