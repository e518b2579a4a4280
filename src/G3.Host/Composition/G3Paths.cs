namespace G3.Host.Composition;

/// <summary>
/// The one folder relative paths are resolved from, whatever the working directory: the folder holding the
/// appsettings.json the program reads. Inside a checkout that is the repository root (the folder holding
/// G3.sln and appsettings.json, found above the binary), so <c>dotnet run --project src/G3.Cli</c>,
/// scripts/run.sh and a test run all read and write the same models/, data/ and runs/. A published binary
/// outside a checkout uses its own folder, where appsettings.json is copied beside it.
/// </summary>
/// <remarks>
/// Paths in configuration (Model:Manifest, Store:Embedded:Directory, Cache:Directory, ...) and the CLI's
/// built-in defaults (synth's output, eval's run folder) resolve from here. Paths typed as command-line
/// arguments (a photo, --metadata, --out) resolve from the working directory, as in every shell tool.
/// </remarks>
public static class G3Paths
{
    private static readonly Lazy<string> RootFolder = new(() => FindRoot(AppContext.BaseDirectory));

    /// <summary>The folder holding the appsettings.json in use.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>The appsettings.json in use.</summary>
    public static string Settings => Path.Combine(Root, "appsettings.json");

    /// <summary><paramref name="path"/> made absolute against <see cref="Root"/> (absolute paths are kept).</summary>
    public static string Resolve(string path) => Path.GetFullPath(path, Root);

    /// <summary>The nearest folder at or above <paramref name="start"/> holding G3.sln and appsettings.json; else <paramref name="start"/>.</summary>
    internal static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "G3.sln")) && File.Exists(Path.Combine(dir.FullName, "appsettings.json")))
                return dir.FullName;
        }
        return Path.GetFullPath(start);
    }
}
