using System.Text.Json.Nodes;
using G3.Alignment.Models;
using G3.Alignment.Tests.Onnx;
using G3.Core.Geo;

namespace G3.Alignment.Tests.Models;

/// <summary>Manifests load into validated records, and every kind of mistake is reported by name.</summary>
public sealed class ModelManifestLoaderTests
{
    [Fact]
    public void Loads_the_location_fixture_manifest()
    {
        var manifest = ModelManifestLoader.Load(OnnxFixtures.MercatorManifest);

        Assert.Equal("g3-fixture-location-mercator", manifest.Id);
        Assert.Null(manifest.Image);
        var location = manifest.RequireLocation();
        Assert.Equal(OnnxFixtures.LocationModel, location.ModelPath);
        Assert.Equal(("coords", "embedding", 64), (location.InputName, location.OutputName, location.Dimension));
        Assert.Equal(LocationProjection.Mercator, location.Projection);
        Assert.True(location.Normalize);
        Assert.Equal(VerificationMetric.Cosine, manifest.Verification.Metric);
        Assert.Equal(Path.Combine(OnnxFixtures.LocationDir, "MODEL_CARD.md"), manifest.ModelCardPath);
        Assert.Contains("image model", Assert.Throws<ModelManifestException>(manifest.RequireImage).Message);
    }

    [Fact]
    public void Loads_the_image_fixture_manifest_with_preprocessing()
    {
        var manifest = ModelManifestLoader.Load(OnnxFixtures.ImageManifest);

        var image = manifest.RequireImage();
        Assert.Equal([-1L, 3, 224, 224], image.InputShape);
        Assert.Equal(("image_embedding", 48), (image.Retrieval.OutputName, image.Retrieval.Dimension));
        Assert.Equal(("gps_embedding", 64), (image.Gps.OutputName, image.Gps.Dimension));
        var pre = manifest.Preprocessing!;
        Assert.Equal((224, ResizeMode.ShortestSideBicubic, CropMode.Center), (pre.InputSize, pre.Resize, pre.Crop));
        Assert.Equal(PreprocessingSpec.ClipMean, pre.Mean);
        Assert.Equal(100.0, manifest.Verification.LogitScale);
    }

    [Fact]
    public void Mean_and_std_default_to_clip_and_temperature_becomes_a_logit_scale()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, json =>
        {
            var pre = json["preprocessing"]!.AsObject();
            pre.Remove("mean");
            pre.Remove("std");
            json["verification"] = new JsonObject { ["metric"] = "dot", ["temperature"] = 0.07 };
        });

        var manifest = ModelManifestLoader.Load(path);

        Assert.Equal(PreprocessingSpec.ClipStd, manifest.Preprocessing!.Std);
        Assert.Equal(VerificationMetric.Dot, manifest.Verification.Metric);
        Assert.Equal(1 / 0.07, manifest.Verification.LogitScale!.Value, 9);
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.MercatorManifest, json =>
        {
            json.Remove("id");
            var location = json["location"]!.AsObject();
            location["projection"] = "robinson";
            location["dim"] = 0;
            location.Remove("output");
        });

        var e = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));

        Assert.Equal(path, e.ManifestPath);
        Assert.Equal(4, e.Problems.Count);
        Assert.Contains("id is required", e.Message);
        Assert.Contains("location.projection 'robinson' is not one of mercator, equal-earth, none", e.Message);
        Assert.Contains("location.dim must be a positive integer", e.Message);
        Assert.Contains("location.output is required", e.Message);
    }

    [Fact]
    public void Missing_onnx_file_and_model_card_are_named()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.MercatorManifest, json =>
        {
            json["location"]!["file"] = "missing.onnx";
            json["modelCard"] = "NOPE.md";
        });

        var e = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));

        Assert.Contains("location.file 'missing.onnx' does not exist beside the manifest", e.Message);
        Assert.Contains("modelCard 'NOPE.md' does not exist", e.Message);
    }

    [Fact]
    public void Image_section_needs_a_valid_shape_and_matching_preprocessing()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, json =>
        {
            json["image"]!["inputShape"] = new JsonArray(-1, 1, 224, 224);
            json["preprocessing"]!["inputSize"] = 256;
            json["preprocessing"]!["resize"] = "stretch";
            json["preprocessing"]!["std"] = new JsonArray(0.2, 0, 0.2);
        });

        var e = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));

        Assert.Contains("image.inputShape [-1,1,224,224] is not [N,3,H,W]", e.Message);
        Assert.Contains("preprocessing.resize 'stretch' is not supported", e.Message);
        Assert.Contains("preprocessing.std values must be positive", e.Message);
    }

    [Fact]
    public void Gps_and_location_dimensions_must_agree_when_both_are_declared()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, json =>
        {
            json["location"] = new JsonObject
            {
                ["file"] = OnnxFixtures.LocationModel, ["input"] = "coords", ["output"] = "embedding",
                ["dim"] = 32, ["projection"] = "mercator",
            };
        });

        var e = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));

        Assert.Contains("image.gps.dim (64) must equal location.dim (32)", e.Message);
    }

    [Fact]
    public void Unknown_properties_and_bad_json_are_errors_with_a_location()
    {
        var typo = OnnxFixtures.EditedManifest(OnnxFixtures.MercatorManifest, json => json["location"]!["projecton"] = "mercator");
        var broken = OnnxFixtures.WriteTemp("{ \"id\": \"x\", ");

        var unknown = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(typo));
        var malformed = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(broken));

        Assert.Contains("projecton", unknown.Message);
        Assert.Contains("not valid manifest JSON", malformed.Message);
    }

    [Theory]
    [InlineData("sourcePath")]
    [InlineData("consensus")]
    [InlineData("location.modelPath")]
    [InlineData("location.dimension")]
    public void Names_the_records_use_in_code_are_not_manifest_keys(string key)
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.MercatorManifest, json =>
        {
            var parts = key.Split('.');
            var node = parts.Length == 1 ? json : json[parts[0]]!.AsObject();
            node[parts[^1]] = "x";
        });

        Assert.Contains(key.Split('.')[^1], Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path)).Message);
    }

    [Fact]
    public void A_null_where_a_value_is_needed_is_an_error_with_its_place()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.MercatorManifest, json => json["location"]!["input"] = null);

        Assert.Contains("$.location.input", Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path)).Message);
    }

    [Fact]
    public void A_missing_manifest_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "g3-no-such-manifest.json");

        var e = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));

        Assert.Equal($"model manifest '{path}': the file does not exist", e.Message);
    }

    [Fact]
    public void A_manifest_needs_at_least_one_model()
    {
        var path = OnnxFixtures.WriteTemp("{ \"id\": \"empty\" }");

        Assert.Contains("neither an \"image\" nor a \"location\" model",
            Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path)).Message);
    }
}
