using System.Reflection;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Prompts;

/// <summary>
/// G3's prompts as Semantic Kernel prompt functions, in SK's prompt-directory layout: one folder per prompt holding
/// <c>skprompt.txt</c> (the template, a chat prompt with the photo in an <c>&lt;image&gt;</c> tag) and <c>config.json</c>
/// (input variables, and execution settings keyed by profile: "default", "gpt4v", "llava"). The shipped set
/// (<c>zero_shot</c>, <c>rag</c>) is embedded in the assembly; an experiment may point at a folder whose sub-folders
/// replace a shipped prompt of the same name or add new ones, chosen later by name.
/// </summary>
public sealed class PromptTemplates
{
    /// <summary>The prompt with the photo alone (no reference coordinates).</summary>
    public const string ZeroShot = "zero_shot";

    /// <summary>The retrieval-augmented prompt: similar and dissimilar reference coordinates.</summary>
    public const string Rag = "rag";

    /// <summary>The plugin name the prompts are registered under in a kernel.</summary>
    public const string PluginName = "G3";

    public const string TemplateFile = "skprompt.txt", ConfigFile = "config.json";

    /// <summary>Where the photos go: the generator fills it with one data URI per photo (see <see cref="ImageTags"/>).</summary>
    public const string ImageSlot = "<image>{{$image}}</image>";

    /// <summary>
    /// The value of <c>{{$image}}</c> that makes <see cref="ImageSlot"/> render as one &lt;image&gt; element per photo:
    /// the data URIs joined by "&lt;/image&gt;&lt;image&gt;". Data URIs hold only a media type and base64, so nothing
    /// a user sends can add markup (the generator builds them from the bytes).
    /// </summary>
    public static string ImageTags(IEnumerable<string> dataUris) => string.Join("</image><image>", dataUris);

    private readonly Dictionary<string, KernelFunction> _functions;

    private PromptTemplates(Dictionary<string, PromptTemplateConfig> configs)
    {
        Configs = configs;
        _functions = configs.ToDictionary(kv => kv.Key, kv => KernelFunctionFactory.CreateFromPrompt(kv.Value), StringComparer.Ordinal);
    }

    public static PromptTemplates Default { get; } = new(ReadEmbedded());

    /// <summary>Template configurations by prompt name.</summary>
    public IReadOnlyDictionary<string, PromptTemplateConfig> Configs { get; }

    /// <summary>The prompt names this set holds.</summary>
    public IReadOnlyCollection<string> Names => [.. Configs.Keys];

    /// <summary>The named prompt function; the error lists the names there are.</summary>
    public KernelFunction Function(string name) =>
        _functions.TryGetValue(name, out var function)
            ? function
            : throw new ArgumentException($"No prompt named '{name}'; prompts: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Every prompt as one kernel plugin ("G3"), for kernels that list their functions.</summary>
    public KernelPlugin AsPlugin() => KernelPluginFactory.CreateFromFunctions(PluginName, _functions.Values);

    /// <summary>
    /// The shipped prompts, overridden or extended by the prompt folders in <paramref name="directory"/>. A folder with
    /// only skprompt.txt keeps the shipped prompt's config.json (same name) or gets the default settings (new name).
    /// </summary>
    public static PromptTemplates FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"prompt folder '{directory}' does not exist");
        var configs = new Dictionary<string, PromptTemplateConfig>(Default.Configs, StringComparer.Ordinal);
        var found = 0;
        foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var template = Path.Combine(folder, TemplateFile);
            if (!File.Exists(template))
                continue;
            var name = Path.GetFileName(folder);
            var configPath = Path.Combine(folder, ConfigFile);
            var baseConfig = configs.GetValueOrDefault(name) ?? configs[ZeroShot];
            var json = File.Exists(configPath) ? File.ReadAllText(configPath) : null;
            configs[name] = Build(name, File.ReadAllText(template), json, baseConfig);
            found++;
        }
        if (found == 0)
            throw new ArgumentException($"prompt folder '{directory}' holds no prompt (a sub-folder with {TemplateFile}, e.g. {Rag}/{TemplateFile})");
        return new PromptTemplates(configs);
    }

    private static PromptTemplateConfig Build(string name, string template, string? configJson, PromptTemplateConfig? inherit)
    {
        PromptTemplateConfig config;
        if (configJson is not null)
            config = PromptTemplateConfig.FromJson(configJson);
        else if (inherit is not null)
        {
            config = new PromptTemplateConfig { Description = inherit.Description, TemplateFormat = inherit.TemplateFormat };
            config.InputVariables.AddRange(inherit.InputVariables);
            foreach (var (profile, settings) in inherit.ExecutionSettings)
                config.ExecutionSettings[profile] = settings;
        }
        else
            throw new ArgumentException($"prompt '{name}' has no {ConfigFile}");
        config.Name = name;
        config.Template = template;
        AllowImageTags(config);
        EnsureValid(name, config);
        ExecutionSettingsReader.Convert(name, config);
        return config;
    }

    /// <summary>
    /// Several photos go into the one image slot as consecutive &lt;image&gt; elements, so the image variable's value
    /// must reach the chat prompt parser unescaped (Semantic Kernel HTML-encodes variables unless told otherwise).
    /// </summary>
    private static void AllowImageTags(PromptTemplateConfig config)
    {
        var variable = config.InputVariables.FirstOrDefault(v => v.Name == "image");
        if (variable is null)
            config.InputVariables.Add(variable = new InputVariable { Name = "image", Description = "The query photos as data URIs.", IsRequired = true });
        variable.AllowDangerouslySetContent = true;
    }

    /// <summary>A prompt that never shows the photo, or a RAG prompt that never shows the references, silently ablates a stage.</summary>
    private static void EnsureValid(string name, PromptTemplateConfig config)
    {
        if (!config.Template.Contains(ImageSlot, StringComparison.Ordinal))
            throw new ArgumentException($"prompt '{name}' must contain <image>{{{{$image}}}}</image> (where the photos go)");
        if (name == Rag && !config.Template.Contains("{{$similar}}", StringComparison.Ordinal))
            throw new ArgumentException($"prompt '{name}' must contain {{{{$similar}}}} (where the reference coordinates go)");
        if (!config.ExecutionSettings.ContainsKey(PromptExecutionSettings.DefaultServiceId))
            throw new ArgumentException($"prompt '{name}' needs execution settings named \"default\" in its {ConfigFile}");
    }

    private static Dictionary<string, PromptTemplateConfig> ReadEmbedded()
    {
        var configs = new Dictionary<string, PromptTemplateConfig>(StringComparer.Ordinal);
        foreach (var name in new[] { ZeroShot, Rag })
            configs[name] = Build(name, ReadResource(name, TemplateFile), ReadResource(name, ConfigFile), null);
        return configs;
    }

    private static string ReadResource(string prompt, string file)
    {
        var assembly = typeof(PromptTemplates).Assembly;
        using var stream = assembly.GetManifestResourceStream($"G3.Prompts.{prompt}/{file}")
            ?? throw new InvalidOperationException($"embedded prompt file {prompt}/{file} is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
