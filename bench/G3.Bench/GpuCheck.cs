using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using G3.Alignment.Encoders;
using G3.Alignment.Onnx;
using G3.Core.Pipeline;
using G3.Core.Geo;

namespace G3.Bench;

/// <summary>
/// <c>gpu-check</c>: what bench/gpu/check.sh runs for each model on a CUDA machine. Prints max |CPU − CUDA|
/// for the location and image outputs (TF32 off, TF32 on, float16 where an export exists), model-only
/// images/s at the given batch sizes per precision, and end-to-end images/s (read + decode + preprocess +
/// encode through <see cref="BatchImageEncoder"/>) beside decode-only images/s, so the limiting stage shows.
/// Refuses to run (exit 3) where CUDA is unavailable: it measures nothing on the CPU alone.
/// </summary>
internal static class GpuCheck
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var manifest = Path.GetFullPath(Require(options, "manifest"));
        var fp16 = options.TryGetValue("fp16-manifest", out var m16) ? Path.GetFullPath(m16) : null;
        var batches = (options.GetValueOrDefault("batches") ?? "1,32,128").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();
        var seconds = double.Parse(options.GetValueOrDefault("seconds") ?? "3", CultureInfo.InvariantCulture);
        var images = options.GetValueOrDefault("images");

        // A plumbing run on a machine without a GPU: every "CUDA" session is a CPU session, and the output says so.
        var plumbing = options.GetValueOrDefault("plumbing-on-cpu") == "true";
        Console.WriteLine($"# gpu-check {Path.GetFileName(Path.GetDirectoryName(manifest))}: {OnnxRuntimeBuild.Describe()}");
        if (plumbing)
            Console.WriteLine("# PLUMBING RUN ON THE CPU: the 'CUDA' sessions below are CPU sessions; no figure here is a GPU figure");
        else if (OnnxRuntimeBuild.CudaUnavailableReason is { } why)
        {
            Console.Error.WriteLine($"gpu-check: CUDA is unavailable: {why}");
            return 3;
        }
        // TF32 variants need the manifest's permission: a copy that grants it, used for measurement only.
        var tf32Manifest = WithTf32Allowed(manifest);
        var cpu = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu };
        var cuda = new OnnxSessionOptions
        {
            ExecutionProvider = plumbing ? OnnxExecutionProvider.Cpu : OnnxExecutionProvider.Cuda,
            CudnnConvAlgoSearch = CudnnConvAlgoSearch.Exhaustive,
        };
        var cudaTf32 = cuda with { UseTf32 = true };

        await LocationAgreementAsync(manifest, tf32Manifest, cpu, cuda, cudaTf32);

        using var cpuImage = ImageEncoder.Open(manifest, cpu);
        var variants = new List<(string Name, ImageEncoder Encoder)>
        {
            ("fp32", ImageEncoder.Open(manifest, cuda)),
            ("tf32", ImageEncoder.Open(tf32Manifest, cudaTf32)),
        };
        if (fp16 is not null) variants.Add(("fp16", ImageEncoder.Open(fp16, cuda)));
        try
        {
            Console.WriteLine($"image encoder on CUDA: {variants[0].Encoder.Model.Session.ExecutionProviderDescription}");
            var pixels = Pixels(8, cpuImage.TensorLength);
            var reference = await cpuImage.EncodeTensorAsync(pixels, 8, CancellationToken.None);
            foreach (var (name, encoder) in variants)
            {
                var got = await encoder.EncodeTensorAsync(pixels, 8, CancellationToken.None);
                double diff = 0;
                for (var i = 0; i < 8; i++)
                    diff = Math.Max(diff, Math.Max(MaxAbsDiff(reference[i].Retrieval, got[i].Retrieval), MaxAbsDiff(reference[i].Gps, got[i].Gps)));
                Console.WriteLine($"image max |CPU fp32 - CUDA {name}| = {diff:E2} (8 images, both heads, normalised)");
            }

            Console.WriteLine("model-only images/s (CUDA; input already preprocessed in host memory, copied to the GPU each run):");
            Console.WriteLine("| precision | " + string.Join(" | ", batches.Select(b => $"batch {b}")) + " |");
            Console.WriteLine("|---|" + string.Concat(batches.Select(_ => "---:|")));
            foreach (var (name, encoder) in variants)
            {
                var cells = new List<string>();
                foreach (var b in batches) cells.Add((await ModelOnlyRateAsync(encoder, b, seconds)).ToString("F1", CultureInfo.InvariantCulture));
                Console.WriteLine($"| {name} | {string.Join(" | ", cells)} |");
            }

            if (images is not null)
                foreach (var (name, encoder) in variants)
                    await EndToEndAsync(encoder, name, images, batches.Max());
        }
        finally
        {
            foreach (var (_, encoder) in variants) encoder.Dispose();
        }
        return 0;
    }

    private static async Task LocationAgreementAsync(string manifest, string tf32Manifest, OnnxSessionOptions cpu, OnnxSessionOptions cuda, OnnxSessionOptions cudaTf32)
    {
        var random = new Random(13);
        var points = Enumerable.Range(0, 1024).Select(_ => new GeoPoint(random.NextDouble() * 170 - 85, random.NextDouble() * 360 - 180)).ToArray();
        using var onCpu = OnnxLocationEncoder.Open(manifest, cpu);
        using var onCuda = OnnxLocationEncoder.Open(manifest, cuda);
        using var onCudaTf32 = OnnxLocationEncoder.Open(tf32Manifest, cudaTf32);
        var want = (await onCpu.EncodeAsync(points, CancellationToken.None)).Data;
        var off = (await onCuda.EncodeAsync(points, CancellationToken.None)).Data;
        var on = (await onCudaTf32.EncodeAsync(points, CancellationToken.None)).Data;
        Console.WriteLine($"location encoder on CUDA: {onCuda.Session.ExecutionProviderDescription}");
        Console.WriteLine($"location max |CPU - CUDA| = {MaxAbsDiff(want, off):E2} with TF32 off (the default), {MaxAbsDiff(want, on):E2} with TF32 on (1024 points, dim {onCpu.Dimension})");
    }

    private static async Task<double> ModelOnlyRateAsync(ImageEncoder encoder, int batch, double seconds)
    {
        var pixels = Pixels(batch, encoder.TensorLength);
        for (var i = 0; i < 3; i++) await encoder.EncodeTensorAsync(pixels, batch, CancellationToken.None); // warm-up, cuDNN search
        var clock = Stopwatch.StartNew();
        var runs = 0;
        while (clock.Elapsed.TotalSeconds < seconds || runs < 3)
        {
            await encoder.EncodeTensorAsync(pixels, batch, CancellationToken.None);
            runs++;
        }
        return batch * runs / clock.Elapsed.TotalSeconds;
    }

    private static async Task EndToEndAsync(ImageEncoder encoder, string name, string folder, int batch)
    {
        var files = Directory.EnumerateFiles(folder, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            Console.WriteLine($"end-to-end: no .jpg under {folder}");
            return;
        }
        // Enough items for several full batches: the list is repeated (the page cache then serves the reads).
        var count = Math.Max(files.Length, 16 * batch);
        var bytes = files.Take(64).Select(File.ReadAllBytes).ToArray();
        var tensor = new float[encoder.TensorLength];
        var decodeClock = Stopwatch.StartNew();
        var decoded = 0;
        Parallel.For(0, Math.Max(bytes.Length, 4 * Environment.ProcessorCount), () => new float[encoder.TensorLength], (i, _, local) =>
        {
            encoder.Preprocess(bytes[i % bytes.Length], local);
            Interlocked.Increment(ref decoded);
            return local;
        }, _ => { });
        var decodeRate = decoded / decodeClock.Elapsed.TotalSeconds;

        var pipeline = new BatchImageEncoder(encoder, new BatchEncodingOptions(batch, 0, 4 * batch));
        var clock = Stopwatch.StartNew();
        long ok = 0, failed = 0;
        await foreach (var results in pipeline.EncodeAsync(Sources(files, count), CancellationToken.None))
            foreach (var r in results)
                if (r.Succeeded) ok++; else failed++;
        var rate = ok / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"end-to-end {name}, batch {batch}, {Environment.ProcessorCount} decode workers: {rate:F1} images/s " +
                          $"({ok} images from {files.Length} files under {folder}, {failed} failed); decode + preprocess alone on all cores: {decodeRate:F1} images/s");
    }

    private static async IAsyncEnumerable<ImageSource<int>> Sources(string[] files, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var path = files[i % files.Length];
            yield return new ImageSource<int>(i, ct => new ValueTask<byte[]>(File.ReadAllBytesAsync(path, ct)));
            if (i % 1024 == 0) await Task.Yield();
        }
    }

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
        var dir = Directory.CreateTempSubdirectory("g3-gpu-check-").FullName;
        var path = Path.Combine(dir, "manifest.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static float[] Pixels(int batch, int length)
    {
        var data = new float[batch * length];
        for (var i = 0; i < data.Length; i++) data[i] = (float)((i * 7919L % 255) / 127.5 - 1.0);
        return data;
    }

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }

    private static string Require(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var v) ? v : throw new ArgumentException($"gpu-check: --{name} is required");

    private static Dictionary<string, string> Parse(string[] args)
    {
        string[] known = ["manifest", "fp16-manifest", "batches", "seconds", "images", "plumbing-on-cpu"];
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
            if (!known.Contains(name) || i + 1 >= args.Length)
                throw new ArgumentException($"gpu-check: unknown or incomplete option '{args[i]}' (known: {string.Join(", ", known.Select(k => "--" + k))})");
            result[name] = args[++i];
        }
        return result;
    }
}
