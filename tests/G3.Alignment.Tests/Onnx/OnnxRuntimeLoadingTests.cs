using G3.Alignment.Onnx;
using Xunit.Abstractions;

namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// The library loads and the function table is read at the right slots: version and build strings come
/// from different parts of the API (OrtApiBase vs the OrtApi table), the provider list needs a correct
/// GetAvailableProviders/ReleaseAvailableProviders pair.
/// </summary>
public sealed class OnnxRuntimeLoadingTests(ITestOutputHelper output)
{
    [FactRequiringPath(OnnxFixtures.Library, OnnxFixtures.NeedsOrt)]
    public void Loads_the_bootstrap_library_and_reads_version_build_and_providers()
    {
        var runtime = OnnxRuntime.Load();
        output.WriteLine($"{runtime.LibraryPath}\n{runtime.Version}\n{runtime.BuildInfo}\n{string.Join(", ", runtime.AvailableProviders)}");

        Assert.Equal("1.30.0", runtime.Version);
        Assert.EndsWith(OnnxFixtures.Library.Replace('/', Path.DirectorySeparatorChar), runtime.LibraryPath);
        Assert.StartsWith("ORT Build Info", runtime.BuildInfo);
        Assert.Contains("CPUExecutionProvider", runtime.AvailableProviders);
        Assert.Same(runtime, OnnxRuntime.Load());
    }

    [Fact]
    public void A_configured_library_that_does_not_exist_is_named_in_the_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "libonnxruntime.so.1");

        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntime.Load(missing));

        Assert.Contains(missing, e.Message);
        Assert.Contains("configured", e.Message);
    }

    [Fact]
    public void A_configured_file_that_is_not_a_library_fails_cleanly()
    {
        var bogus = OnnxFixtures.WriteTemp("not an ELF file", "libonnxruntime.so.1");

        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntime.Load(bogus));

        Assert.Contains("could not be loaded", e.Message);
    }
}
