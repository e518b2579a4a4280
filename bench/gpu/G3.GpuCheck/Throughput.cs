using System.Diagnostics;
using G3.Alignment.Encoders;
using G3.Core.Pipeline;

namespace G3.GpuCheck;

/// <summary>Images/s: the model alone, decoding alone, and the whole path through <see cref="BatchImageEncoder"/>.</summary>
internal static class Throughput
{
    /// <summary>Model-only rate at one batch size: three warm-up runs (cuDNN's algorithm search), then timed runs for the given seconds, at least three.</summary>
    public static async Task<double> ModelOnlyAsync(ImageEncoder encoder, int batch, double seconds)
    {
        var pixels = Pixels(batch, encoder.TensorLength);
        for (var i = 0; i < 3; i++) await encoder.EncodeTensorAsync(pixels, batch, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var runs = 0;
        while (clock.Elapsed.TotalSeconds < seconds || runs < 3)
        {
            await encoder.EncodeTensorAsync(pixels, batch, CancellationToken.None);
            runs++;
        }
        return batch * runs / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Decode + CLIP preprocessing alone on every core, over (up to 64 of) the folder's .jpg files held in memory.</summary>
    public static double DecodeOnly(ImageEncoder encoder, string folder)
    {
        var bytes = Jpegs(folder).Take(64).Select(File.ReadAllBytes).ToArray();
        var clock = Stopwatch.StartNew();
        var decoded = 0;
        Parallel.For(0, Math.Max(bytes.Length, 4 * Environment.ProcessorCount), () => new float[encoder.TensorLength], (i, _, local) =>
        {
            encoder.Preprocess(bytes[i % bytes.Length], local);
            Interlocked.Increment(ref decoded);
            return local;
        }, _ => { });
        return decoded / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Read + decode + preprocess + encode through the batch pipeline, with enough items for several full batches.</summary>
    public static async Task<double> EndToEndAsync(ImageEncoder encoder, string folder, int batch)
    {
        var files = Jpegs(folder);
        var count = Math.Max(files.Length, 16 * batch); // the list repeats; the page cache then serves the reads
        var pipeline = new BatchImageEncoder(encoder, new BatchEncodingOptions(batch, 0, 4 * batch));
        var clock = Stopwatch.StartNew();
        long ok = 0;
        await foreach (var results in pipeline.EncodeAsync(Sources(files, count), CancellationToken.None))
            foreach (var r in results)
                if (r.Succeeded) ok++;
                else throw new InvalidOperationException($"end-to-end: an image failed to encode ({r})");
        return ok / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Deterministic pixel values in CLIP's normalised range, so every run sees the same input.</summary>
    public static float[] Pixels(int batch, int length)
    {
        var data = new float[batch * length];
        for (var i = 0; i < data.Length; i++) data[i] = (float)((i * 7919L % 255) / 127.5 - 1.0);
        return data;
    }

    private static string[] Jpegs(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        return files.Length > 0 ? files : throw new ArgumentException($"--images: no .jpg under {folder}");
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
}
