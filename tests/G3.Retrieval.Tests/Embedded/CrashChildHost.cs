namespace G3.Retrieval.Tests.Embedded;

/// <summary>How the crash tests start G3.StoreCrashChild.dll.</summary>
internal static class CrashChildHost
{
    public static string Dotnet()
    {
        // `dotnet test` tells child processes where its host is; otherwise the test host itself is dotnet.
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
