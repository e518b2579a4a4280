namespace G3.Host.Hosting;

/// <summary>
/// A server the service needs, seen from readiness: one call that succeeds only when the server answers and is usable.
/// <see cref="ServerProbes"/> lists those the configuration requires; <see cref="ServerWaits"/> waits for them.
/// </summary>
internal interface IServerProbe
{
    /// <summary>The server as /readyz and the log name it ("Qdrant at http://host:6334").</summary>
    string Server { get; }

    /// <summary>Cheap enough to repeat while the service runs (every <c>Dependencies:ProbeInterval</c>); false for a probe that costs (an LMM call).</summary>
    bool WhileRunning { get; }

    /// <summary>Throws when the server cannot be reached (an outage, <see cref="ServerOutage"/>) or answers wrongly (final at start).</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
