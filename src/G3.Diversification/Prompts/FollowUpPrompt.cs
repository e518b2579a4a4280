using System.Runtime.CompilerServices;
using G3.Diversification.Orchestration;
using G3.Diversification.Providers;
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
    public static async Task<string?> AskAsync(ILmmProvider provider, string context, string question, CancellationToken cancellationToken)
    {
        var kernel = s_kernels.GetValue(provider, static p => LmmKernel.Create([(p.Info.Name, p.Client)]));
        var settings = Function.ExecutionSettings![PromptExecutionSettings.DefaultServiceId].Clone();
        settings.ServiceId = provider.Info.Name;
        settings.ModelId = provider.Info.Model;
        var arguments = new KernelArguments(settings) { ["context"] = context, ["question"] = question };
        var result = await kernel.InvokeAsync(Function, arguments, cancellationToken).ConfigureAwait(false);
        var text = result.GetValue<Microsoft.Extensions.AI.ChatResponse>()?.Text;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

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
