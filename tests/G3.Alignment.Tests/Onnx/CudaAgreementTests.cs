using G3.Alignment.Encoders;
using G3.Alignment.Onnx;
using G3.Core.Geo;
using Xunit.Abstractions;

namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// On a GPU, the encoders give the CPU's numbers: location embeddings within 1e-4 per element (TF32 off,
/// the location encoders' default) and image embeddings within 1e-3 in float32. Skipped, with the reason,
/// where there is no CUDA; bench/gpu/check.sh prints the same differences for the bundled and a ViT-L/14-sized model.
/// </summary>
public sealed class CudaAgreementTests(ITestOutputHelper output)
{
    private static readonly string BundledManifest = TestPaths.InRepo("models", "g3-mini", "manifest.json");
    private static readonly OnnxSessionOptions Cpu = new() { ExecutionProvider = OnnxExecutionProvider.Cpu };
    private static readonly OnnxSessionOptions Cuda = new() { ExecutionProvider = OnnxExecutionProvider.Cuda };

    [FactRequiringCuda]
    public async Task Location_embeddings_on_cuda_match_the_cpu_within_1e4()
    {
        var random = new Random(13);
        var points = Enumerable.Range(0, 256)
            .Select(_ => new GeoPoint(random.NextDouble() * 170 - 85, random.NextDouble() * 360 - 180)).ToArray();
        foreach (var manifest in new[] { BundledManifest, OnnxFixtures.MercatorManifest, OnnxFixtures.EqualEarthManifest })
        {
            using var cpu = OnnxLocationEncoder.Open(manifest, Cpu);
            using var gpu = OnnxLocationEncoder.Open(manifest, Cuda);
            output.WriteLine(gpu.Session.ExecutionProviderDescription);
            Assert.Equal("CUDA", gpu.Session.ExecutionProvider);
            Assert.False(gpu.Session.Tf32Enabled);
            // What ORT itself holds, read back from the options object the session was given.
            Assert.Equal("0", CudaOptionsReadBack.Parse(gpu.Session.CudaProviderOptions!)["use_tf32"]);

            var onCpu = (await cpu.EncodeAsync(points, CancellationToken.None)).Data;
            var onGpu = (await gpu.EncodeAsync(points, CancellationToken.None)).Data;
            var diff = OnnxFixtures.MaxAbsDiff(onCpu, onGpu);
            output.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(manifest))}: max |CPU - CUDA| = {diff:E2}");
            Assert.True(diff <= 1e-4, $"{manifest}: location max |CPU - CUDA| = {diff:E2} > 1e-4");
        }
    }

    [FactRequiringCuda]
    public async Task Image_embeddings_on_cuda_match_the_cpu_within_1e3()
    {
        using var cpu = ImageEncoder.Open(BundledManifest, Cpu);
        using var gpu = ImageEncoder.Open(BundledManifest, Cuda);
        var pixels = OnnxFixtures.DeterministicPixels(8);

        var a = await cpu.EncodeTensorAsync(pixels, 8, CancellationToken.None);
        var b = await gpu.EncodeTensorAsync(pixels, 8, CancellationToken.None);

        double diff = 0;
        for (var i = 0; i < 8; i++)
            diff = Math.Max(diff, Math.Max(OnnxFixtures.MaxAbsDiff(a[i].Retrieval, b[i].Retrieval), OnnxFixtures.MaxAbsDiff(a[i].Gps, b[i].Gps)));
        output.WriteLine($"g3-mini image: max |CPU - CUDA| = {diff:E2}");
        Assert.True(diff <= 1e-3, $"image max |CPU - CUDA| = {diff:E2} > 1e-3");
    }
}
