using System.Runtime.CompilerServices;
using G3.Core.Usage;
using G3.Diversification.Orchestration;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Prompts;

/// <summary>
/// Follow-up questions about a geolocated photo as a Semantic Kernel prompt function (<c>Prompts/Chat/follow_up</c>,
/// embedded like the G3 prompts): the result goes in as <c>{{$context}}</c>, the user's words as <c>{{$question}}</c>
/// (HTML-encoded by Semantic Kernel, so a question cannot add messages). It runs in a kernel around the provider's
/// chain client (its own pipeline, then its fallbacks), made once per provider.
/// </summary>
public static class FollowUpPrompt
{
    public const string Name = "follow_up";

    private static readonly ConditionalWeakTable<ILmmProvider, Kernel> s_kernels = new();

    /// <summary>The function (exposed for tests and for listing).</summary>
    public static KernelFunction Function { get; } = KernelFunctionFactory.CreateFromPrompt(Config());

    /// <summary>The provider's answer, or null when it gave only white space. Provider failures throw (the caller degrades).</summary>
    public static Task<string?> AskAsync(ILmmProvider provider, string context, string question, CancellationToken cancellationToken) =>
        AskAsync(provider, context, question, null, cancellationToken);

    /// <summary>As above, recording the call and the tokens it reported in <paramref name="calls"/> (as the provider that answered it).</summary>
    public static async Task<string?> AskAsync(ILmmProvider provider, string context, string question, LmmCallLog? calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var kernel = s_kernels.GetValue(provider, static p => LmmKernel.Create([(p.Info.Name, p.Client)]));
        var settings = Function.ExecutionSettings![PromptExecutionSettings.DefaultServiceId].Clone();
        settings.ServiceId = provider.Info.Name;
        settings.ModelId = provider.Info.Model;
        var arguments = new KernelArguments(settings) { ["context"] = context, ["question"] = question };
        var result = await kernel.InvokeAsync(Function, arguments, cancellationToken).ConfigureAwait(false);
        var response = result.GetValue<ChatResponse>();
        if (response is not null)
            calls?.Record(new LmmCall(Stamp(response, LmmResponseProperties.Provider) ?? provider.Info.Name, Stamp(response, LmmResponseProperties.Model) ?? provider.Info.Model,
                false, 1, ReportedUsage.Of(response)));
        var text = response?.Text;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>Which provider and model answered: a fallback's answer is stamped with its own.</summary>
    private static string? Stamp(ChatResponse response, string key) => response.AdditionalProperties?.GetValueOrDefault(key) as string;

    private static PromptTemplateConfig Config()
    {
        var config = PromptTemplateConfig.FromJson(Read("config.json"));
        config.Name = Name;
        config.Template = Read("skprompt.txt");
        ExecutionSettingsReader.Convert(Name, config);
        return config;
    }

    private static string Read(string file)
    {
        var assembly = typeof(FollowUpPrompt).Assembly;
        using var stream = assembly.GetManifestResourceStream($"G3.ChatPrompts.{Name}/{file}")
            ?? throw new InvalidOperationException($"embedded prompt file {Name}/{file} is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
