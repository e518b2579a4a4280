using System.Text.Json.Nodes;
using G3.Alignment.Onnx;
using G3.GpuCheck;

// gpu-check: the GPU figures in one command (docs/gpu.md, "Checking a GPU"). For the bundled model, then a
// ViT-L/14-shaped export when present: CPU-vs-CUDA agreement, the TF32 setting ONNX Runtime holds, and
// images/s per batch size. Prints one table and writes one JSON file.
// Exit: 0 every row measured; 3 CUDA unavailable (its rows say why; the CPU rows are still measured);
// 2 bad command line; 1 anything else failed.
CheckOptions options;
try
{
    options = CheckOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"gpu-check: {e.Message}");
    return 2;
}

try
{
    if (!File.Exists(options.Model))
        throw new FileNotFoundException($"no model manifest at {Path.GetFullPath(options.Model)} (--model)");
    Console.WriteLine($"# gpu-check: {OnnxRuntimeBuild.Describe()}");
    var cudaUnavailable = CudaProbe.WhyNot(options.Model);
    Console.WriteLine(cudaUnavailable is null ? "# CUDA provider: usable" : $"# CUDA provider unavailable: {cudaUnavailable}");

    var report = new Report();
    var bundled = new ModelCheck(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(options.Model)))!, options.Model, options, cudaUnavailable, report);
    await bundled.RunAsync(cpuThroughput: true);
    string? vitlOptions = null;
    if (File.Exists(options.Vitl))
    {
        var vitl = new ModelCheck("vitl14", options.Vitl, options, cudaUnavailable, report);
        await vitl.RunAsync(cpuThroughput: false);
        vitlOptions = vitl.CudaProviderOptions;
    }
    else
        report.Add(new Row("vitl14", "ViT-L/14-shaped export", "", "", null, null, "",
            $"absent: no {Path.GetFullPath(options.Vitl)} (--vitl; docs/gpu.md says how to export it)"));

    report.PrintTable(Console.Out);
    var header = new JsonObject
    {
        ["tool"] = "gpu-check",
        ["utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["host"] = Environment.MachineName,
        ["cpuCores"] = Environment.ProcessorCount,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["onnxRuntime"] = OnnxRuntimeBuild.Describe(),
        ["cudaUnavailable"] = cudaUnavailable,
        ["cudaProviderOptions"] = bundled.CudaProviderOptions ?? vitlOptions,
        ["secondsPerCell"] = options.Seconds,
    };
    report.WriteJson(options.Out, header);
    Console.WriteLine($"# written: {Path.GetFullPath(options.Out)}");
    return cudaUnavailable is null ? 0 : 3;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or G3.Core.Errors.G3Exception)
{
    Console.Error.WriteLine($"gpu-check: {e.Message}");
    return 1;
}
