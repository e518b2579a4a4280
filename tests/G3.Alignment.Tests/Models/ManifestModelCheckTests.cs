using System.Text.Json.Nodes;
using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Alignment.Tests.Onnx;

namespace G3.Alignment.Tests.Models;

/// <summary>At load, the ONNX model's declared tensors are checked against the manifest.</summary>
public sealed class ManifestModelCheckTests
{
    [Fact]
    public void Location_output_width_mismatch_names_both_shapes()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.MercatorManifest, json => json["location"]!["dim"] = 32);

        var e = Assert.Throws<ModelManifestException>(() => OnnxLocationEncoder.Open(path));

        Assert.Contains("location model output 'embedding' has shape [-1,64]; manifest says [-1,32]", e.Message);
    }

    [Fact]
    public void Location_input_name_mismatch_lists_the_model_inputs()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.MercatorManifest, json => json["location"]!["input"] = "latlon");

        var e = Assert.Throws<ModelManifestException>(() => OnnxLocationEncoder.Open(path));

        Assert.Contains("location model input 'latlon' is not in the ONNX model (it has: 'coords')", e.Message);
    }

    [Fact]
    public void A_location_manifest_pointing_at_an_image_model_is_caught()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.MercatorManifest, json =>
        {
            json["location"]!["file"] = OnnxFixtures.ImageModel;
            json["location"]!["input"] = "pixels";
            json["location"]!["output"] = "gps_embedding";
        });

        var e = Assert.Throws<ModelManifestException>(() => OnnxLocationEncoder.Open(path));

        Assert.Equal(
            $"model manifest '{path}': location model input 'pixels' has shape [-1,3,224,224]; manifest says [-1,2]", e.Message);
    }

    [Fact]
    public void Image_input_size_mismatch_is_caught()
    {
        var path = OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, json =>
        {
            json["image"]!["inputShape"] = new JsonArray(-1, 3, 256, 256);
            json["preprocessing"]!["inputSize"] = 256;
            json["image"]!["retrieval"]!["dim"] = 512;
        });

        var e = Assert.Throws<ModelManifestException>(() => OnnxImageModel.Open(path));

        Assert.Contains("image model input 'pixels' has shape [-1,3,224,224]; manifest says [-1,3,256,256]", e.Message);
        Assert.Contains("image model output 'image_embedding' has shape [-1,48]; manifest says [-1,512]", e.Message);
    }

    [Fact]
    public void Matching_models_pass()
    {
        using var session = OnnxSession.Open(OnnxFixtures.LocationModel);

        ManifestModelCheck.CheckLocation(ModelManifestLoader.Load(OnnxFixtures.EqualEarthManifest), session);
    }
}
