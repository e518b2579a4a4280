using G3.Alignment.Imaging;
using G3.Core.Options;
using G3.Diversification.Providers;
using G3.Retrieval;
using Microsoft.Extensions.Options;

namespace G3.Host.Composition;

/// <summary>
/// The project's options, bound from configuration and validated when the host starts (<c>ValidateOnStart</c>):
/// a key no options class binds, or a value out of range, stops the start with a message naming it.
/// </summary>
public static class G3OptionsExtensions
{
    public static IServiceCollection AddG3Options(this IServiceCollection services, IConfiguration configuration)
    {
        // Registered once: a second call (the CLI composes on top of the host's registrations) would add every validator twice.
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<ModelSettings>))) return services;
        Add<ModelSettings>(services, configuration, ModelSettings.SectionName, m => m.Validate());
        Add<PipelineSettings>(services, configuration, PipelineSettings.SectionName, p => p.Validate());
        Add<LmmOptions>(services, configuration, "Lmm", l => LmmOptionsValidator.Validate(l));
        Add<SecuritySettings>(services, configuration, SecuritySettings.SectionName, _ => []);
        Add<RateLimitSettings>(services, configuration, RateLimitSettings.SectionName,
            r => r.PermitsPerMinute < 0 ? [$"RateLimits:PermitsPerMinute must not be negative (got {r.PermitsPerMinute})."] : []);
        Add<ConversationSettings>(services, configuration, ConversationSettings.SectionName, c => c.Validate());
        Add<TelemetrySettings>(services, configuration, TelemetrySettings.SectionName, t => t.Validate());
        Add<CacheSettings>(services, configuration, CacheSettings.SectionName,
            c => c.Validate(configuration.GetSection(ConnectionStringSettings.SectionName)[nameof(ConnectionStringSettings.Cache)]));
        Add<ConnectionStringSettings>(services, configuration, ConnectionStringSettings.SectionName, _ => []);
        Add<ImageLimits>(services, configuration, "Images", l => l.Validate().Select(e => "Images: " + e));
        Add<ImageFetchSettings>(services, configuration, ImageFetchSettings.SectionName, f => f.Validate());
        Add<FirstStartSettings>(services, configuration, FirstStartSettings.SectionName, f => f.Validate());
        Add<StoreSettings>(services, configuration, StoreSettings.SectionName, s => s.Validate());
        Add<HostingSettings>(services, configuration, HostingSettings.SectionName, h => h.Validate());
        Add<DependencySettings>(services, configuration, DependencySettings.SectionName, d => d.Validate());
        Add<RequestLimitSettings>(services, configuration, RequestLimitSettings.SectionName, r => r.Validate());
        return services;
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/>: first the schema check (every key under the section must
    /// be bound by one of its classes), then the binder with <c>ErrorOnUnknownConfiguration</c> where one class owns the
    /// section, then <paramref name="validate"/>; all run on start.
    /// </summary>
    private static void Add<T>(IServiceCollection services, IConfiguration configuration, string section, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        var soleOwner = ConfigurationSchema.Sections[section].Length == 1;
        services.AddOptions<T>()
            .Configure(options =>
            {
                var unknown = ConfigurationSchema.UnknownKeys(configuration, section);
                if (unknown.Count > 0) throw new OptionsValidationException(section, typeof(T), unknown);
                try
                {
                    configuration.GetSection(section).Bind(options, b => b.ErrorOnUnknownConfiguration = soleOwner);
                }
                catch (InvalidOperationException e)
                {
                    // A value of the wrong type ("abc" for a number): the binder's message names the key and the type.
                    throw new OptionsValidationException(section, typeof(T), [$"{section}: {e.Message}"]);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ListValidator<T>(validate));
    }

    /// <summary>Reports every problem an options object has, not only the first.</summary>
    private sealed class ListValidator<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = validate(options).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>Settings bound and validated exactly as the service binds them, for code that runs without a host (the CLI, tests).</summary>
public static class G3Settings
{
    /// <summary>Section <typeparamref name="T"/> of <paramref name="configuration"/>, checked; <see cref="G3OptionsException"/> lists every problem.</summary>
    public static T Load<T>(IConfiguration configuration) where T : class
    {
        using var services = new ServiceCollection().AddG3Options(configuration).BuildServiceProvider();
        return Value<T>(services);
    }

    /// <summary>The options <typeparamref name="T"/> from <paramref name="services"/>, with a failed check as <see cref="G3OptionsException"/>.</summary>
    public static T Value<T>(IServiceProvider services) where T : class
    {
        try
        {
            return services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new G3OptionsException(e.Failures.ToList());
        }
    }

    /// <summary>Every section checked at once (what ValidateOnStart does for a host), with every problem in one <see cref="G3OptionsException"/>.</summary>
    public static void ValidateAll(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            throw new G3OptionsException(e.Failures.ToList());
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            throw new G3OptionsException(e.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures).ToList());
        }
    }
}
