namespace G3.Host.Hosting;

/// <summary>
/// Where the service is in its start-up: a step in progress (first-start indexing, loading models and store,
/// warm-up), ready (with the model it serves), or failed (with the reason). Written by <see cref="G3Startup"/>;
/// read by the readiness check and the gate in front of the API.
/// </summary>
public sealed class StartupStatus
{
    private volatile string _step = "starting";
    private volatile string? _error;
    private volatile string? _model;

    /// <summary>The current step, "ready", or "failed".</summary>
    public string Step => _step;

    public bool IsReady => _model is not null;

    /// <summary>Why the start failed; null while it has not.</summary>
    public string? Error => _error;

    /// <summary>The model served once ready.</summary>
    public string? Model => _model;

    public void Report(string step) => _step = step;

    public void Ready(string modelId)
    {
        _model = modelId;
        _step = "ready";
    }

    public void Fail(string error)
    {
        _error = error;
        _step = "failed";
    }
}
