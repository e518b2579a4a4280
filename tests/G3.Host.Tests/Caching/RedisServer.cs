using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace G3.Host.Tests.Caching;

/// <summary>
/// A real redis-server (Debian's package, installed by scripts/bootstrap.sh) on a free loopback port, without
/// persistence, started and stopped by its process id. <see cref="KillAsync"/> is the outage; <see cref="RestartAsync"/>
/// brings an empty server back on the same port (what a restarted cache server without a volume looks like).
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The connection string the service is given (ConnectionStrings:Cache).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The redis-server binary on PATH, or null when it is not installed.</summary>
    public static string? Binary { get; } = FindBinary();

    /// <summary>Why the tests that need a server cannot run here; null when they can.</summary>
    public static string? Missing => Binary is null
        ? "needs redis-server on PATH (Debian package redis-server; scripts/bootstrap.sh installs it)"
        : null;

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server on <see cref="Port"/> and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        if (Binary is null) throw new InvalidOperationException(Missing);
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning" })
            start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await PingsAsync())
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}");
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Kills the server by its pid (no shutdown, no save) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>How many keys the server holds (DBSIZE), over a raw socket.</summary>
    public async Task<long> KeyCountAsync()
    {
        var reply = await CommandAsync("DBSIZE");
        return reply.StartsWith(':') ? long.Parse(reply.AsSpan(1).Trim(), System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private async Task<bool> PingsAsync()
    {
        try
        {
            return (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs a real redis-server: skipped, with the reason, when the binary is absent.</summary>
internal sealed class FactRequiringRedisAttribute : FactAttribute
{
    public FactRequiringRedisAttribute()
    {
        if (RedisServer.Missing is { } why) Skip = why;
    }
}
