using System.Text.Json.Nodes;
using G3.Alignment.Encoders;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace G3.Host.Tests;

/// <summary>
/// The real host, in process, on a small real model and store: the fixture image and location models
/// joined in one manifest, and an embedded store of the fixture photos placed at known cities.
/// </summary>
public sealed class ServiceFixture : WebApplicationFactory<Program>
{
    public static readonly (string File, double Lat, double Lon)[] Photos =
    [
        ("landscape.jpg", 48.8566, 2.3522), ("progressive.jpg", 45.764, 4.8357), ("lossy.webp", -33.8688, 151.2093),
        ("rgba.png", 35.68, 139.69), ("cmyk.jpg", 40.4168, -3.7038), ("gray.jpg", 52.52, 13.405),
        ("portrait.png", 41.9028, 12.4964), ("palette_trns.png", 51.5074, -0.1278),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("g3-service").FullName;

    public string ManifestPath => Path.Combine(_dir, "model", "manifest.json");
    public string StorePath => Path.Combine(_dir, "store");

    public ServiceFixture()
    {
        var model = Path.Combine(_dir, "model");
        Directory.CreateDirectory(model);
        File.Copy(TestPaths.Fixture("onnx", "image-fixture", "image.onnx"), Path.Combine(model, "image.onnx"));
        File.Copy(TestPaths.Fixture("onnx", "location-fixture", "location.onnx"), Path.Combine(model, "location.onnx"));
        var manifest = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("onnx", "image-fixture", "manifest.json")))!.AsObject();
        var location = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("onnx", "location-fixture", "manifest.mercator.json")))!["location"]!;
        manifest["id"] = "g3-test";
        manifest["location"] = location.DeepClone();
        manifest.Remove("modelCard");
        File.WriteAllText(ManifestPath, manifest.ToJsonString());

        using var encoder = ImageEncoder.Open(ManifestPath);
        using var store = EmbeddedReferenceStore.Create(StorePath, encoder.Model.Spec.Retrieval.Dimension, "g3-test");
        var images = Photos.Select(p => new QueryImage(File.ReadAllBytes(TestPaths.Fixture("images", p.File)))).ToList();
        var embeddings = encoder.EncodeBatchAsync(images, default).GetAwaiter().GetResult();
        store.UpsertAsync(Photos.Select((p, i) => new ReferenceRecord(p.File, embeddings[i].Retrieval, new GeoPoint(p.Lat, p.Lon))).ToList(), default)
            .GetAwaiter().GetResult();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Model:Manifest", ManifestPath);
        builder.UseSetting("Store:Kind", "embedded");
        builder.UseSetting("Store:Embedded:Directory", StorePath);
        builder.UseSetting("FirstStart:BuildEmbeddedStore", "false");
        builder.UseSetting("Cache:Mode", "Off");
        builder.UseSetting("Pipeline:RetrievedCandidates", "5");
    }

    /// <summary>A client once /readyz says ready (the runtime loads in the background).</summary>
    public Task<HttpClient> ReadyClientAsync() => CreateClient().WhenReadyAsync();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }
    }
}
