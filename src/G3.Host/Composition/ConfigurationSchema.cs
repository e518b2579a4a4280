using System.Collections;
using System.ComponentModel;
using System.Reflection;
using G3.Alignment.Imaging;
using G3.Diversification.Providers;
using G3.Retrieval;

namespace G3.Host.Composition;

/// <summary>
/// Which options classes bind each of the project's configuration sections, so that a key no class binds
/// (a typo such as Store:Embeded:Directory) is refused at start, naming the key, instead of being ignored.
/// The check walks the classes by reflection, so a property added to an options class is accepted without
/// touching this file; a new section is added to <see cref="Sections"/>.
/// </summary>
public static class ConfigurationSchema
{
    /// <summary>The project's sections and the classes that bind them (a section may be shared by several).</summary>
    public static IReadOnlyDictionary<string, Type[]> Sections { get; } = new Dictionary<string, Type[]>(StringComparer.OrdinalIgnoreCase)
    {
        [ModelSettings.SectionName] = [typeof(ModelSettings)],
        [PipelineSettings.SectionName] = [typeof(PipelineSettings)],
        ["Lmm"] = [typeof(LmmOptions)],
        [SecuritySettings.SectionName] = [typeof(SecuritySettings)],
        [RateLimitSettings.SectionName] = [typeof(RateLimitSettings)],
        [ConversationSettings.SectionName] = [typeof(ConversationSettings)],
        [TelemetrySettings.SectionName] = [typeof(TelemetrySettings)],
        [CacheSettings.SectionName] = [typeof(CacheSettings)],
        [ConnectionStringSettings.SectionName] = [typeof(ConnectionStringSettings)],
        ["Images"] = [typeof(ImageLimits), typeof(ImageFetchSettings)],
        [RequestLimitSettings.SectionName] = [typeof(RequestLimitSettings)],
        [FirstStartSettings.SectionName] = [typeof(FirstStartSettings)],
        [StoreSettings.SectionName] = [typeof(StoreSettings)],
        [HostingSettings.SectionName] = [typeof(HostingSettings)],
        [DependencySettings.SectionName] = [typeof(DependencySettings)],
    };

    /// <summary>Keys that existed once, refused with what took their place rather than as a mere typo.</summary>
    private static readonly Dictionary<string, string> Removed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Model:OnnxRuntimePath"] = "Model:OnnxRuntimePath was removed: ONNX Runtime comes from its NuGet package; build with -p:G3Gpu=true for CUDA, see docs/gpu.md",
        ["Pipeline:Verifier"] = "Pipeline:Verifier was renamed Pipeline:Selector (the same names: consensus or argmax)",
        ["Conversations:MaxResults"] = "Conversations:MaxResults was removed: results live in the cache, bounded by Cache:Local:SizeLimitBytes in process and by Conversations:ResultLifetime",
    };

    /// <summary>Top-level keys ASP.NET Core and .NET themselves read, accepted beside the project's sections.</summary>
    private static readonly string[] FrameworkKeys =
    [
        "Logging", "Kestrel", "AllowedHosts", "Urls", "Environment", "ApplicationName", "ContentRoot",
        "Http_Ports", "Https_Ports", "PreferHostingUrls", "SuppressStatusMessages", "DetailedErrors", "HostFiltering",
    ];

    /// <summary>
    /// Every key under the project's sections that no options class binds, as one message each
    /// ("unknown configuration key 'Store:Embeded' (did you mean 'Store:Embedded'?)"); empty when all are known.
    /// </summary>
    public static IReadOnlyList<string> UnknownKeys(IConfiguration configuration) =>
        Sections.Keys.SelectMany(name => UnknownKeys(configuration, name)).ToList();

    /// <summary>The unknown keys under one of the project's sections.</summary>
    public static IReadOnlyList<string> UnknownKeys(IConfiguration configuration, string sectionName)
    {
        var errors = new List<string>();
        var section = configuration.GetSection(sectionName);
        if (section.Exists()) CheckObject(section, Sections[sectionName], errors);
        return errors;
    }

    /// <summary>
    /// The top-level sections of settings given on the command line (--Section:Key=value) that neither the project,
    /// nor appsettings.json, nor ASP.NET Core knows: a mistyped section would otherwise be ignored whole.
    /// </summary>
    public static IReadOnlyList<string> UnknownSections(IEnumerable<string> keys, IConfiguration shipped)
    {
        var known = KnownSections(shipped);
        return keys.Select(k => k.Split(':')[0]).Where(s => !known.Contains(s)).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(s => $"unknown configuration section '{s}'{NearestName.Hint(s, Sections.Keys)}").ToList();
    }

    /// <summary>The prefix of the environment variables that configure G3: G3_Section__Key sets Section:Key.</summary>
    public const string EnvironmentPrefix = "G3_";

    /// <summary>
    /// The G3_Section__Key variables of this process's environment whose section neither the project, nor the
    /// appsettings.json in use (<see cref="G3Paths.Settings"/>), nor ASP.NET Core knows (G3_Pipline__Verifier), one
    /// message each. A host calls it at start beside <see cref="UnknownKeys(IConfiguration)"/>, which covers the keys
    /// under known sections (G3_Pipeline__Verfier) but cannot see a section it does not know.
    /// </summary>
    public static IReadOnlyList<string> UnknownEnvironmentSections() =>
        UnknownEnvironmentSections(Environment.GetEnvironmentVariables().Keys.Cast<string>(),
            new ConfigurationBuilder().AddJsonFile(G3Paths.Settings, optional: true).Build());

    /// <summary>
    /// The same, for the environment variable names <paramref name="variables"/> and the settings file's
    /// <paramref name="shipped"/> sections. Only names with a section (a "__" after the prefix) are checked: a bare
    /// G3_NAME is one top-level value, and the repository's tools and tests read their own such variables
    /// (G3_GEODATA, G3_QDRANT_URL), which configuration ignores.
    /// </summary>
    public static IReadOnlyList<string> UnknownEnvironmentSections(IEnumerable<string> variables, IConfiguration shipped)
    {
        var known = KnownSections(shipped);
        return variables
            .Where(v => v.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(v => (Variable: v, Parts: v[EnvironmentPrefix.Length..].Split("__")))
            .Where(v => v.Parts.Length > 1 && !known.Contains(v.Parts[0]))
            .OrderBy(v => v.Variable, StringComparer.Ordinal)
            .Select(v => $"unknown configuration section '{v.Parts[0]}' in environment variable {v.Variable}" +
                (NearestName.Find(v.Parts[0], Sections.Keys) is { } near
                    ? $" (did you mean {EnvironmentPrefix}{near}__{string.Join("__", v.Parts.Skip(1))}?)"
                    : ""))
            .ToList();
    }

    private static HashSet<string> KnownSections(IConfiguration shipped) =>
        Sections.Keys.Concat(FrameworkKeys).Concat(shipped.GetChildren().Select(c => c.Key)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static void CheckObject(IConfigurationSection section, Type[] types, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            var property = types.Select(t => Find(t, child.Key)).FirstOrDefault(p => p is not null);
            if (property is null)
            {
                var names = types.SelectMany(Bindable).Select(p => KeyName(p));
                var near = NearestName.Find(child.Key, names);
                var why = Removed.TryGetValue(child.Path, out var removed) ? $" ({removed})"
                    : near is null ? "" : $" (did you mean '{section.Path}:{near}'?)";
                errors.Add($"unknown configuration key '{child.Path}'{why}");
                continue;
            }
            CheckValue(child, property.PropertyType, errors);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(object)) return;
        if (IsScalar(type))
        {
            // A value given sub-keys (Model:Manifest:Path) binds nothing.
            if (section.GetChildren().FirstOrDefault() is { } extra)
                errors.Add($"unknown configuration key '{extra.Path}' ('{section.Path}' is a single value)");
            return;
        }
        if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var entry in section.GetChildren()) CheckValue(entry, valueType, errors);
            return;
        }
        if (ElementType(type) is { } elementType)
        {
            foreach (var item in section.GetChildren()) CheckValue(item, elementType, errors);
            return;
        }
        CheckObject(section, [type], errors);
    }

    private static IEnumerable<PropertyInfo> Bindable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.CanRead);

    private static PropertyInfo? Find(Type type, string key) =>
        Bindable(type).FirstOrDefault(p => string.Equals(KeyName(p), key, StringComparison.OrdinalIgnoreCase));

    private static string KeyName(PropertyInfo p) => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name;

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var g
            && (g == typeof(Dictionary<,>) || g == typeof(IDictionary<,>) || g == typeof(IReadOnlyDictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[1];
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!typeof(IEnumerable).IsAssignableFrom(type)) return null;
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
