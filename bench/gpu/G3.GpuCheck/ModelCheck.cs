using System.Text.Json.Nodes;
using G3.Alignment.Encoders;
using G3.Alignment.Onnx;
using G3.Core.Geo;

namespace G3.GpuCheck;

/// <summary>
/// The rows for one model: max |CPU − CUDA| of the location and image outputs (TF32 off, TF32 on, and
/// float16 where a <c>manifest.fp16.json</c> lies beside the manifest), the <c>use_tf32</c> that ONNX
/// Runtime holds for the CUDA sessions, then images/s per batch size. Without CUDA every CUDA row says
/// why and only the CPU rows carry figures.
/// </summary>
internal sealed class ModelCheck(string name, string manifest, CheckOptions options, string? cudaUnavailable, Report report)
{
    private static readonly OnnxSessionOptions Cpu = new() { ExecutionProvider = OnnxExecutionProvider.Cpu };
    private static readonly OnnxSessionOptions Cuda = new() { ExecutionProvider = OnnxExecutionProvider.Cuda, CudnnConvAlgoSearch = CudnnConvAlgoSearch.Exhaustive };
    private static readonly OnnxSessionOptions CudaTf32 = Cuda with { UseTf32 = true };

    /// <summary>The CUDA options string ORT gave back for this model's first CUDA session (null without CUDA).</summary>
    public string? CudaProviderOptions { get; private set; }

    /// <param name="cpuThroughput">Also time the CPU (the bundled model; a ViT-L/14 at batch 128 on the CPU would take minutes).</param>
    public async Task RunAsync(bool cpuThroughput)
    {
        var fp16 = Path.Combine(Path.GetDirectoryName(manifest)!, "manifest.fp16.json");
        var tf32Manifest = WithTf32Allowed(manifest);
        await LocationAgreementAsync(tf32Manifest);

        using var cpuImage = ImageEncoder.Open(manifest, Cpu);
        var variants = new List<(string Precision, string Manifest, OnnxSessionOptions Options)>
        {
            ("fp32", manifest, Cuda),
            ("tf32", tf32Manifest, CudaTf32),
        };
        if (File.Exists(fp16)) variants.Add(("fp16", fp16, Cuda));

        var pixels = Throughput.Pixels(8, cpuImage.TensorLength);
        var reference = await cpuImage.EncodeTensorAsync(pixels, 8, CancellationToken.None);
        var encoders = new List<(string Precision, ImageEncoder Encoder)>();
        try
        {
            foreach (var (precision, path, sessionOptions) in variants)
            {
                if (cudaUnavailable is not null)
                {
                    report.Add(Unavailable("image max |CPU fp32 − CUDA| (8 images, both heads)", precision, null, "max abs diff"));
                    continue;
                }
                var encoder = ImageEncoder.Open(path, sessionOptions);
                encoders.Add((precision, encoder));
                ReportTf32("image", precision, encoder.Model.Session);
                var got = await encoder.EncodeTensorAsync(pixels, 8, CancellationToken.None);
                double diff = 0;
                for (var i = 0; i < 8; i++)
                    diff = Math.Max(diff, Math.Max(MaxAbsDiff(reference[i].Retrieval, got[i].Retrieval), MaxAbsDiff(reference[i].Gps, got[i].Gps)));
                report.Add(new Row(name, "image max |CPU fp32 − CUDA| (8 images, both heads)", "CUDA", precision, null, diff, "max abs diff"));
            }

            const string rate = "model-only images/s (input preprocessed in host memory)";
            foreach (var batch in options.Batches)
            {
                if (cpuThroughput)
                    report.Add(new Row(name, rate, "CPU", "fp32", batch, await Throughput.ModelOnlyAsync(cpuImage, batch, options.Seconds), "images/s"));
                if (cudaUnavailable is not null)
                    foreach (var (precision, _, _) in variants) report.Add(Unavailable(rate, precision, batch, "images/s"));
                foreach (var (precision, encoder) in encoders)
                    report.Add(new Row(name, rate, "CUDA", precision, batch, await Throughput.ModelOnlyAsync(encoder, batch, options.Seconds), "images/s"));
            }

            if (options.Images is { } folder)
            {
                var batch = options.Batches.Max();
                report.Add(new Row(name, "decode + preprocess images/s, all cores", "CPU", "", null, Throughput.DecodeOnly(cpuImage, folder), "images/s"));
                foreach (var (precision, encoder) in encoders)
                    report.Add(new Row(name, "end-to-end images/s (read, decode, preprocess, encode)", "CUDA", precision, batch,
                        await Throughput.EndToEndAsync(encoder, folder, batch), "images/s"));
            }
        }
        finally
        {
            foreach (var (_, encoder) in encoders) encoder.Dispose();
            Directory.Delete(Path.GetDirectoryName(tf32Manifest)!, recursive: true);
        }
    }

    private async Task LocationAgreementAsync(string tf32Manifest)
    {
        const string measure = "location max |CPU − CUDA| (1024 points)";
        if (cudaUnavailable is not null)
        {
            report.Add(Unavailable(measure, "fp32", null, "max abs diff"));
            report.Add(Unavailable(measure, "tf32", null, "max abs diff"));
            return;
        }
        var random = new Random(13);
        var points = Enumerable.Range(0, 1024).Select(_ => new GeoPoint(random.NextDouble() * 170 - 85, random.NextDouble() * 360 - 180)).ToArray();
        using var onCpu = OnnxLocationEncoder.Open(manifest, Cpu);
        var want = (await onCpu.EncodeAsync(points, CancellationToken.None)).Data;
        foreach (var (precision, path, sessionOptions) in new[] { ("fp32", manifest, Cuda), ("tf32", tf32Manifest, CudaTf32) })
        {
            using var onCuda = OnnxLocationEncoder.Open(path, sessionOptions);
            ReportTf32("location", precision, onCuda.Session);
            var got = (await onCuda.EncodeAsync(points, CancellationToken.None)).Data;
            report.Add(new Row(name, measure, "CUDA", precision, null, MaxAbsDiff(want, got), "max abs diff"));
        }
    }

    /// <summary>What ORT itself holds for use_tf32 (its options string, read back), not what G3 asked for.</summary>
    private void ReportTf32(string encoder, string precision, OnnxSession session)
    {
        var readBack = session.CudaProviderOptions ?? throw new InvalidOperationException($"the {encoder} session runs on {session.ExecutionProvider}, not CUDA");
        CudaProviderOptions ??= readBack;
        report.Add(new Row(name, $"{encoder}: use_tf32 read back from ONNX Runtime", "CUDA", precision, null,
            CudaOptionsReadBack.Tf32(readBack) ? 1 : 0, ""));
    }

    private Row Unavailable(string measure, string precision, int? batch, string unit) =>
        new(name, measure, "CUDA", precision, batch, null, unit, "CUDA provider unavailable: " + cudaUnavailable);

    /// <summary>TF32 variants need the manifest's permission: a temporary copy that grants it, for measurement only.</summary>
    private static string WithTf32Allowed(string manifest)
    {
        var json = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        var folder = Path.GetDirectoryName(manifest)!;
        foreach (var section in new[] { "image", "location" })
            if (json[section] is JsonObject s)
            {
                s["allowTf32"] = true;
                if (s["file"] is JsonValue f) s["file"] = Path.Combine(folder, f.GetValue<string>());
            }
        json.Remove("modelCard");
        var path = Path.Combine(Directory.CreateTempSubdirectory("g3-gpu-check-").FullName, "manifest.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
