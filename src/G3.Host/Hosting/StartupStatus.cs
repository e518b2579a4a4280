namespace G3.Host.Hosting;

/// <summary>A server the service waits for: which, since when, when it is tried next, and why the last try failed.</summary>
public sealed record ServerWait(string Server, DateTimeOffset Since, DateTimeOffset NextAttempt, string Reason);

/// <summary>
/// Where the service is: a start-up step in progress (first-start indexing, loading models and store, warm-up), ready
/// (with the model it serves), failed for good (with the reason), or waiting for a server it needs (at start, or while
/// running when the server went away). Written by <see cref="G3Startup"/> and <see cref="ServerWaits"/>; read by the
/// readiness check and the gate in front of the API.
/// </summary>
public sealed class StartupStatus
{
    private volatile string _step = "starting";
    private volatile string? _error;
    private volatile string? _model;
    private volatile ServerWait? _waiting;

    /// <summary>The current step, "waiting for …" while a server is waited for, "ready", or "failed".</summary>
    public string Step => _error is null && _waiting is { } w ? "waiting for " + w.Server : _step;

    /// <summary>The start-up is done: every port is loaded, so requests may reach the handlers.</summary>
    public bool IsStarted => _model is not null;

    /// <summary>Started, and no server it needs is being waited for.</summary>
    public bool IsReady => _model is not null && _waiting is null;

    /// <summary>Why the start failed; null while it has not.</summary>
    public string? Error => _error;

    /// <summary>The model served once ready.</summary>
    public string? Model => _model;

    /// <summary>The server waited for, or null.</summary>
    public ServerWait? Waiting => _waiting;

    public void Report(string step) => _step = step;

    public void Ready(string modelId)
    {
        _model = modelId;
        _step = "ready";
    }

    public void Fail(string error)
    {
        _waiting = null;
        _error = error;
        _step = "failed";
    }

    /// <summary>A try to reach <paramref name="server"/> failed; the next is due at <paramref name="nextAttempt"/>. Keeps the first failure's time.</summary>
    public void Wait(string server, DateTimeOffset now, DateTimeOffset nextAttempt, string reason)
    {
        var since = _waiting is { } w && w.Server == server ? w.Since : now;
        _waiting = new ServerWait(server, since, nextAttempt, reason);
    }

    /// <summary>The server waited for answered.</summary>
    public void Answered() => _waiting = null;
}
