using G3.Host.Apis;
using G3.Host.Security;

namespace G3.Host.Hosting;

/// <summary>The composition root of the HTTP service: configuration, services, endpoints.</summary>
internal static class ServiceHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits beside the binary (copied from the repository root).
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Settings can come from G3_-prefixed environment variables (G3_Section__Key).
        builder.Configuration.AddEnvironmentVariables(prefix: "G3_");
        builder.Configuration.AddCommandLine(args);

        builder.AddG3Security();
        // On SIGTERM/Ctrl-C Kestrel stops accepting and in-flight requests get this long to finish.
        builder.Services.Configure<HostOptions>(o =>
            o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Hosting:ShutdownTimeoutSeconds", 30.0)));
        // The native API's OpenAPI document, served at /openapi/v1.json.
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton<RuntimeState>();
        builder.Services.AddSingleton(sp => new G3.Host.Security.ImageFetcher(
            builder.Configuration.GetSection("Images").Get<G3.Alignment.Imaging.ImageLimits>() ?? G3.Alignment.Imaging.ImageLimits.Default,
            TimeSpan.FromSeconds(builder.Configuration.GetValue("Images:UrlTimeoutSeconds", 10.0))));
        builder.Services.AddSingleton(new G3.Host.Conversations.ResultCache(builder.Configuration.GetValue("Conversations:MaxResults", 1024)));
        builder.Services.AddHostedService<RuntimeLoader>();

        var app = builder.Build();
        G3.Host.Telemetry.OtlpExport.Configure(app);
        app.UseG3Security();
        G3.Host.Web.ChatPage.UseChatPage(app);
        app.MapOpenApi();
        app.MapHealthApi();
        app.MapReadinessApi();
        app.MapGeolocateApi();
        app.MapChatCompletionsApi();
        return app;
    }
}
