using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using G3.Cli;

namespace G3.Host.Tests;

public class EncodeCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await G3Cli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Encode_location_prints_the_PyTorch_reference_embedding_for_Paris()
    {
        var manifest = TestPaths.Fixture("onnx", "location-fixture", "manifest.mercator.json");
        var (exit, output, error) = await Run("encode-location", "--manifest", manifest, "48.8566", "2.3522");
        Assert.True(exit == 0, error);

        using var reference = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("onnx", "location-fixture", "reference.mercator.json")));
        var points = reference.RootElement.GetProperty("points").EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
        var index = points.FindIndex(p => Math.Abs(p.Item1 - 48.8566) < 1e-9 && Math.Abs(p.Item2 - 2.3522) < 1e-9);
        Assert.True(index >= 0, "the fixture's reference includes Paris");
        var expected = reference.RootElement.GetProperty("embeddings")[index].EnumerateArray().Select(e => e.GetDouble()).ToArray();

        var line = output.Split('\n').Single(l => l.StartsWith("(48.8566, 2.3522)", StringComparison.Ordinal));
        var printed = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.LastIndexOf(']')]
            .Split(", ").Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, printed.Length);
        Assert.All(expected.Zip(printed), p => Assert.Equal(p.First, p.Second, 1e-4));
    }

    [Fact]
    public async Task Encode_image_prints_both_embeddings_and_refuses_a_non_image_clearly()
    {
        var manifest = TestPaths.Fixture("onnx", "image-fixture", "manifest.json");
        var (exit, output, _) = await Run("encode-image", "--manifest", manifest, TestPaths.Fixture("images", "landscape.jpg"));
        Assert.Equal(0, exit);
        Assert.Contains("landscape.jpg\tretrieval\t[", output, StringComparison.Ordinal);
        Assert.Contains("landscape.jpg\tgps\t[", output, StringComparison.Ordinal);

        var (badExit, _, badError) = await Run("encode-image", "--manifest", manifest, TestPaths.Fixture("images", "text.txt"));
        Assert.Equal(1, badExit);
        Assert.Contains("unsupported image format", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encode_location_rejects_an_odd_number_of_coordinates()
    {
        var manifest = TestPaths.Fixture("onnx", "location-fixture", "manifest.mercator.json");
        var (exit, _, error) = await Run("encode-location", "--manifest", manifest, "48.8566");
        Assert.NotEqual(0, exit);
        Assert.Contains("pairs", error, StringComparison.Ordinal);
    }

    [FactRequiringCpuOnlyBuild]
    public async Task Provider_cuda_on_a_build_without_cuda_stops_with_the_reason()
    {
        var manifest = TestPaths.Fixture("onnx", "location-fixture", "manifest.mercator.json");

        var (exit, output, error) = await Run("encode-location", "--manifest", manifest, "--provider", "cuda", "48.8566", "2.3522");

        Assert.Equal(1, exit);
        Assert.DoesNotContain("(48.8566, 2.3522)", output, StringComparison.Ordinal);
        Assert.Contains("execution provider 'cuda' was requested", error, StringComparison.Ordinal);
        Assert.Contains("-p:G3Gpu=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_removed_onnxruntime_option_is_refused()
    {
        var manifest = TestPaths.Fixture("onnx", "location-fixture", "manifest.mercator.json");

        var (exit, _, error) = await Run("encode-location", "--manifest", manifest, "--onnxruntime", "/tmp/lib.so", "0", "0");

        Assert.NotEqual(0, exit);
        Assert.Contains("--onnxruntime", error, StringComparison.Ordinal);
    }
}

/// <summary>A fact about the CPU-only build (the default); skipped, with the reason, in a -p:G3Gpu=true build.</summary>
internal sealed class FactRequiringCpuOnlyBuildAttribute : FactAttribute
{
    public FactRequiringCpuOnlyBuildAttribute()
    {
        if (G3.Alignment.Onnx.OnnxRuntimeBuild.CudaUnavailableReason is null)
            Skip = "this is a CUDA build of ONNX Runtime: the CPU-only build's refusal cannot be observed here";
    }
}
