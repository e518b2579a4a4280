namespace G3.Host.Apis;

/// <summary>
/// Endpoint metadata: the handler takes the pipeline's ports. Until the start-up has loaded them, the readiness gate
/// (Hosting/ReadinessGate.cs) answers such a request 503 before its parameters are bound.
/// </summary>
internal sealed class NeedsPipeline;
