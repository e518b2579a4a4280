using BenchmarkDotNet.Attributes;
using G3.Alignment.Onnx;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Bench;

// The encoders through G3's ONNX Runtime binding: the numbers tools/onnx/bench_torch.py compares with
// PyTorch on the same weights (bench/README.md, "Encoders"). One intra-op thread by default so both
// sides do the same work on a shared machine; G3_BENCH_THREADS changes it for both.

/// <summary>Location encoder, 64 candidates in one run (one verification step's worth).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class OnnxLocationEncoderBenchmarks
{
    private OnnxLocationEncoder? _encoder;
    private GeoPoint[] _points = [];

    /// <summary>fixture: the committed test model (3×2·64→128→128→64); geoclip: GeoCLIP-sized (3×2·256→1024→1024→1024→512).</summary>
    [Params("fixture", "geoclip")]
    public string Model { get; set; } = "fixture";

    [GlobalSetup]
    public void Setup()
    {
        _encoder = OnnxLocationEncoder.Open(Model == "geoclip"
            ? BenchPaths.Require("bench/artifacts/geoclip-location/manifest.json", "run /usr/bin/python3 tools/onnx/make_bench_models.py")
            : BenchPaths.Require("tests/fixtures/onnx/location-fixture/manifest.mercator.json", "the fixture is committed"),
            BenchPaths.SessionOptions());
        var random = new Random(42);
        _points = [.. Enumerable.Range(0, 64).Select(_ => new GeoPoint(random.NextDouble() * 180 - 90, random.NextDouble() * 360 - 180))];
    }

    [GlobalCleanup]
    public void Cleanup() => _encoder?.Dispose();

    [Benchmark]
    public Task<EmbeddingMatrix> LocationBatch64() => _encoder!.EncodeAsync(_points, CancellationToken.None);
}

/// <summary>The image model (fixture) on a preprocessed batch; decoding and preprocessing not included.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class OnnxImageModelBenchmarks
{
    private OnnxImageModel? _model;
    private float[] _pixels = [];

    [Params(1, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = OnnxImageModel.Open(BenchPaths.Require("tests/fixtures/onnx/image-fixture/manifest.json", "the fixture is committed"),
            BenchPaths.SessionOptions());
        var random = new Random(42);
        _pixels = [.. Enumerable.Range(0, Batch * _model.ImageSize).Select(_ => (float)(random.NextDouble() * 4 - 2))];
    }

    [GlobalCleanup]
    public void Cleanup() => _model?.Dispose();

    [Benchmark]
    public Task<IReadOnlyList<ImageEmbedding>> ImageModel() => _model!.EncodeAsync(_pixels, Batch, CancellationToken.None);
}
