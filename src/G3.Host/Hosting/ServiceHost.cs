using G3.Host.Apis;
using G3.Host.Composition;
using G3.Host.Security;
using Microsoft.Extensions.Options;

namespace G3.Host.Hosting;

/// <summary>The composition root of the HTTP service: configuration, services, endpoints.</summary>
internal static class ServiceHost
{
    /// <param name="args">Host settings and --Section:Key=value settings.</param>
    /// <param name="addPorts">
    /// Registers what the executable supplies to the service (the first start's <see cref="IFirstStartWorld"/>);
    /// none for a host that only serves an existing store.
    /// </param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? addPorts = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits beside the binary (copied from the repository root, whose copy CLI verbs read;
            // relative paths in it resolve from that root, see G3Paths). wwwroot is found here too.
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Settings can come from G3_-prefixed environment variables (G3_Section__Key); a section no one knows is a typo
        // (keys under known sections are checked with the options, below).
        if (ConfigurationSchema.UnknownEnvironmentSections() is { Count: > 0 } typos) throw new G3.Core.Options.G3OptionsException(typos);
        builder.Configuration.AddEnvironmentVariables(prefix: "G3_");
        builder.Configuration.AddCommandLine(args);

        // A start that fails (a port in use, invalid options) is reported by `g3 serve` in one line; the host's own
        // log of it is a stack trace. The host logs nothing else above Information that the service relies on.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        // Every port of the pipeline, and every options class (unknown keys refused, validated when the host starts).
        builder.Services.AddG3(builder.Configuration);
        builder.AddG3Security();
        builder.AddG3Apis();
        // On SIGTERM/Ctrl-C Kestrel stops accepting and in-flight requests get this long to finish.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<HostingSettings>>((o, hosting) =>
            o.ShutdownTimeout = TimeSpan.FromSeconds(hosting.Value.ShutdownTimeoutSeconds));
        // The native API's OpenAPI document, served at /openapi/v1.json.
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton<StartupStatus>();
        builder.Services.AddHealthChecks().AddCheck<StartupHealthCheck>(StartupHealthCheck.Name, tags: [G3.Host.Apis.ReadinessApi.ReadyTag]);
        builder.Services.AddHostedService<G3Startup>();
        addPorts?.Invoke(builder.Services);

        var app = builder.Build();
        G3.Host.Telemetry.OtlpExport.Configure(app);
        app.UseG3ErrorAnswers();
        app.UseG3Security();
        app.UseReadinessGate();
        G3.Host.Web.ChatPage.UseChatPage(app);
        app.MapOpenApi();
        app.MapG3Apis();
        return app;
    }
}
