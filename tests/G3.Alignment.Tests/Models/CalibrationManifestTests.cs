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

    private static string WithLogistic(int weightCount, string score = "logistic", bool bias = true) =>
        OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, json =>
        {
            var ood = new JsonObject
            {
                ["score"] = score, ["topK"] = 5, ["threshold"] = 0.4,
                ["weights"] = new JsonArray(Enumerable.Range(0, weightCount).Select(i => (JsonNode)(i * 0.01)).ToArray()),
            };
            if (bias) ood["bias"] = -0.5;
            json["outOfDistribution"] = ood;
        });

    private static int LogisticFeatures()
    {
        var image = ModelManifestLoader.Load(OnnxFixtures.ImageManifest).RequireImage();
        return image.Retrieval.Dimension + image.Gps.Dimension + 1;
    }

    [Fact]
    public void A_logistic_check_is_read_with_one_weight_per_feature()
    {
        var n = LogisticFeatures();
        var ood = ModelManifestLoader.Load(WithLogistic(n)).OutOfDistribution!;

        Assert.Equal(OutOfDistributionScore.Logistic, ood.Score);
        Assert.Equal(n, ood.Weights.Count);
        Assert.Equal(0.01, ood.Weights[1], 10);
        Assert.Equal((-0.5, 0.4), (ood.Bias, ood.Threshold));
    }

    [Fact]
    public void A_logistic_check_of_the_wrong_size_or_without_its_bias_is_refused_by_name()
    {
        var n = LogisticFeatures();
        Assert.Contains($"needs {n}", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithLogistic(n - 1))).Message);
        Assert.Contains("outOfDistribution.bias", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithLogistic(n, bias: false))).Message);
        Assert.Contains("logistic score only", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithLogistic(n, "mean-top-k-similarity"))).Message);
        Assert.Contains("not supported", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithLogistic(n, "mahalanobis"))).Message);
    }

    [Fact]
    public void The_bundled_model_carries_a_logistic_check_that_fits_its_image_model()
    {
        var manifest = ModelManifestLoader.Load(TestPaths.InRepo("models", "g3-mini", "manifest.json"));
        var image = manifest.RequireImage();
        Assert.Equal(OutOfDistributionScore.Logistic, manifest.OutOfDistribution!.Score);
        Assert.Equal(image.Retrieval.Dimension + image.Gps.Dimension + 1, manifest.OutOfDistribution.Weights.Count);
        Assert.InRange(manifest.OutOfDistribution.Threshold, 0.0, 1.0);
    }

    private static string WithConsensus(Action<JsonObject> edit) =>
        OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, json =>
        {
            var c = new JsonObject { ["gpsScale"] = 10, ["retrievalScale"] = 40, ["supportKm"] = 1, ["floor"] = 0.1, ["radiusKm"] = 200 };
            edit(c);
            json["verification"]!.AsObject()["consensus"] = c;
        });

    [Fact]
    public void A_consensus_section_is_read_and_its_mistakes_are_refused_by_name()
    {
        var consensus = ModelManifestLoader.Load(WithConsensus(_ => { })).Consensus!;
        Assert.Equal((10.0, 40.0, 1.0, 0.1, 200.0), (consensus.GpsScale, consensus.RetrievalScale, consensus.SupportKm, consensus.Floor, consensus.RadiusKm));
        Assert.Null(ModelManifestLoader.Load(OnnxFixtures.ImageManifest).Consensus);

        Assert.Contains("consensus.floor", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithConsensus(c => c["floor"] = 2))).Message);
        Assert.Contains("consensus.supportKm", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithConsensus(c => c.Remove("supportKm")))).Message);
        Assert.Contains("consensus.gpsScale", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithConsensus(c => c["gpsScale"] = -1))).Message);
        // A typo is an unknown key, refused rather than ignored.
        Assert.ThrowsAny<Exception>(() => ModelManifestLoader.Load(WithConsensus(c => c["radiusKmm"] = 5)));
    }

    private static string WithLevels(Action<JsonObject> edit) =>
        OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, json =>
        {
            static JsonObject Knots(double a, double b) => new()
            {
                ["raw"] = new JsonArray((JsonNode)0.1, (JsonNode)0.9),
                ["calibrated"] = new JsonArray((JsonNode)a, (JsonNode)b),
            };
            var c = new JsonObject { ["method"] = "isotonic", ["country"] = Knots(0.2, 0.95), ["region"] = Knots(0.1, 0.8), ["city"] = Knots(0.05, 0.6) };
            edit(c);
            json["verification"]!.AsObject()["levelCalibration"] = c;
        });

    [Fact]
    public void A_level_calibration_is_read_per_level_and_its_mistakes_are_refused_by_name()
    {
        var levels = ModelManifestLoader.Load(WithLevels(_ => { })).LevelCalibration!;
        Assert.Equal([0.2, 0.95], levels.Country.Calibrated);
        Assert.Equal([0.1, 0.8], levels.Region.Calibrated);
        Assert.Equal([0.05, 0.6], levels.City.Calibrated);
        Assert.Equal([0.1, 0.9], levels.City.Raw);
        Assert.Null(ModelManifestLoader.Load(OnnxFixtures.ImageManifest).LevelCalibration);

        Assert.Contains("levelCalibration.city is required", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithLevels(c => c.Remove("city")))).Message);
        Assert.Contains("levelCalibration.region points must be non-decreasing",
            Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithLevels(c => c["region"]!["calibrated"] = new JsonArray((JsonNode)0.9, (JsonNode)0.1)))).Message);
        Assert.Contains("levelCalibration.country needs",
            Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithLevels(c => c["country"]!["raw"] = new JsonArray((JsonNode)0.1)))).Message);
        Assert.Contains("levelCalibration.method", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(WithLevels(c => c["method"] = "platt"))).Message);
    }
}
