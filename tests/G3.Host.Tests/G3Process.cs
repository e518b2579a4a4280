using System.Diagnostics;

namespace G3.Host.Tests;

/// <summary>Runs the built g3 executable as a separate process, for what only a real process shows (working directory, exit, console).</summary>
internal static class G3Process
{
    /// <summary>The g3.dll built beside this test assembly (an executable's project reference copies it with its runtimeconfig).</summary>
    private static string Dll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "g3.dll");
            if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "g3.runtimeconfig.json")))
                throw new InvalidOperationException("g3.runtimeconfig.json is not beside the tests: cannot start g3.dll as a process");
            return dll;
        }
    }

    public static Task<(int Exit, string Out, string Err)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunAsync(workingDirectory, timeout, new Dictionary<string, string>(), args);

    /// <summary>The same, with <paramref name="environment"/> added to the inherited environment variables.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(
        string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"g3 {string.Join(' ', args)} did not exit within {timeout}: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
