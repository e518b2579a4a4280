using Microsoft.Extensions.Options;

namespace G3.Host.Hosting;

/// <summary>Reads why the host refused to start on invalid options (one validation failure, or several aggregated).</summary>
internal static class StartFailure
{
    /// <summary>Every options failure in <paramref name="e"/>, or null when it is not (only) about options.</summary>
    public static IReadOnlyList<string>? Messages(Exception e) => e switch
    {
        OptionsValidationException o => [.. o.Failures],
        G3.Core.Options.G3OptionsException g => g.Errors,
        AggregateException a when a.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. a.InnerExceptions.Cast<OptionsValidationException>().SelectMany(o => o.Failures)],
        _ => null,
    };
}
