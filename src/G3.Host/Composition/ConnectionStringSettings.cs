namespace G3.Host.Composition;

/// <summary>
/// Section <c>ConnectionStrings</c>, .NET's usual place for them, so a deployment sets the environment variable
/// <c>ConnectionStrings__Cache</c> (or <c>G3_ConnectionStrings__Cache</c>) and nothing secret lands in a file. Only
/// <see cref="Cache"/> is known; any other name is refused like every other typo.
/// </summary>
public sealed class ConnectionStringSettings
{
    public const string SectionName = "ConnectionStrings";

    /// <summary>The Redis-protocol server of <c>Cache:Distributed:Kind</c> redis, in StackExchange.Redis's form ("host:port,password=…").</summary>
    public string? Cache { get; set; }
}
