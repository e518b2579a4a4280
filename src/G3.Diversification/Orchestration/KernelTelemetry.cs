using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace G3.Diversification.Orchestration;

/// <summary>
/// Traces and metrics of the Semantic Kernel prompt functions ("G3.Diversification" source and meter, so the host's
/// OpenTelemetry export picks them up). Static like an ActivitySource should be: one per process.
/// </summary>
internal static class KernelTelemetry
{
    public const string Name = "G3.Diversification";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter s_meter = new(Name + ".Prompts");

    /// <summary>Seconds per prompt-function invocation (render + LMM call), tagged prompt, provider and outcome.</summary>
    public static readonly Histogram<double> InvocationDuration =
        s_meter.CreateHistogram<double>("g3.lmm.prompt.duration", "s", "Duration of one G3 prompt-function invocation, tagged prompt, provider and outcome.");

    /// <summary>Characters of rendered prompt text (the image excluded), tagged prompt.</summary>
    public static readonly Histogram<long> RenderedLength =
        s_meter.CreateHistogram<long>("g3.lmm.prompt.rendered_chars", "{char}", "Length of a rendered G3 prompt without its image, tagged prompt.");
}
