using Microsoft.Extensions.FileProviders;

namespace G3.Host.Web;

/// <summary>
/// The chat page at GET /: static files from wwwroot (copied beside the binary) and, under /vendor/, the
/// pinned map libraries and world data that scripts/bootstrap.sh fetches into .deps/web. The page talks
/// to the service only through the public /v1 API, like any other client.
/// </summary>
internal static class ChatPage
{
    /// <summary>The folder scripts/bootstrap.sh fills; found like the geography data (.deps/geodata).</summary>
    public const string VendorRelativeDirectory = ".deps/web";

    // The page's own files change with the build: browsers revalidate every time (a cheap 304 by ETag).
    private const string RevalidateAlways = "no-cache";

    // Vendor paths carry the package version (d3-geo@3.1.1/...), so a file at a path never changes.
    private const string Immutable = "public, max-age=31536000, immutable";

    // Everything the page needs comes from this host; the image preview uses data: and blob: URLs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    public static void UseChatPage(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("chat page: {Root} is missing, so GET / serves nothing (the build copies wwwroot beside the binary)", root);
            return;
        }
        var pageFiles = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pageFiles });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = pageFiles,
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.CacheControl = RevalidateAlways;
                c.Context.Response.Headers.XContentTypeOptions = "nosniff";
                if (c.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    c.Context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    c.Context.Response.Headers["Referrer-Policy"] = "no-referrer";
                }
            },
        });

        var vendor = ResolveVendorDirectory();
        if (vendor is null)
        {
            app.Logger.LogWarning("chat page: {Folder} is missing, so the map cannot be drawn; run scripts/bootstrap.sh", VendorRelativeDirectory);
            return;
        }
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/vendor",
            FileProvider = new PhysicalFileProvider(vendor),
            // The packages' LICENSE files have no extension: the page links them, so serve them as text.
            ServeUnknownFileTypes = true,
            DefaultContentType = "text/plain; charset=utf-8",
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.CacheControl = Immutable;
                c.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
    }

    /// <summary>$G3_WEBDEPS if set, else .deps/web in the first folder at or above the working directory or the app's folder.</summary>
    internal static string? ResolveVendorDirectory()
    {
        var env = Environment.GetEnvironmentVariable("G3_WEBDEPS");
        if (!string.IsNullOrWhiteSpace(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, VendorRelativeDirectory);
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
