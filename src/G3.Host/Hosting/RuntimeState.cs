using G3.Host.Composition;

namespace G3.Host.Hosting;

/// <summary>
/// Where the service is in its start-up: loading (models, store, first-start indexing), ready (warm-up
/// done), or failed (with the reason). Requests are served only when ready.
/// </summary>
public sealed class RuntimeState
{
    private volatile G3Runtime? _runtime;
    private volatile string _status = "starting";
    private volatile string? _error;

    public G3Runtime? Runtime => _runtime;
    public bool IsReady => _runtime is not null;
    public string Status => _status;
    public string? Error => _error;

    public void Report(string status) => _status = status;

    public void Ready(G3Runtime runtime)
    {
        _runtime = runtime;
        _status = "ready";
    }

    public void Fail(string error)
    {
        _error = error;
        _status = "failed";
    }
}
