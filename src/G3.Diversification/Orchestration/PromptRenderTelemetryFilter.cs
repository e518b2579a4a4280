using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Orchestration;

/// <summary>
/// Semantic Kernel prompt-render filter: records how long the rendered prompt is and logs it at Debug, with the inline
/// image replaced by its size so neither logs nor traces carry photo bytes.
/// </summary>
public sealed partial class PromptRenderTelemetryFilter(ILoggerFactory? loggerFactory = null) : IPromptRenderFilter
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PromptRenderTelemetryFilter>();

    public async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        await next(context);
        if (context.RenderedPrompt is not { } rendered)
            return;
        var text = InlineImage().Replace(rendered, m => $"<image>(data URI, {m.Length} chars)</image>");
        KernelTelemetry.RenderedLength.Record(text.Length, new KeyValuePair<string, object?>("prompt", context.Function.Name));
        System.Diagnostics.Activity.Current?.AddEvent(new("g3.prompt.rendered", tags: new() { ["prompt"] = context.Function.Name, ["chars"] = text.Length }));
        if (_logger.IsEnabled(LogLevel.Debug))
            _logger.LogDebug("Rendered prompt {Prompt}: {Text}", context.Function.Name, text);
    }

    [GeneratedRegex("<image>data:[^<]*</image>", RegexOptions.CultureInvariant)]
    private static partial Regex InlineImage();
}
