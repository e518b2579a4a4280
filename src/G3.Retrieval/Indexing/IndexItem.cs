using G3.Core.Candidates;
using G3.Core.Geo;

namespace G3.Retrieval.Indexing;

/// <summary>One database photo to index: its id, location, place text and image file.</summary>
public sealed record IndexItem(string Id, GeoPoint Point, Place? Place, string ImagePath);

/// <summary>Knobs of an indexing run.</summary>
/// <param name="BatchSize">Images per model run and per store upsert.</param>
/// <param name="DecodeWorkers">Parallel readers/decoders (default: one per core).</param>
/// <param name="ChannelCapacity">Items buffered between stages; bounds memory.</param>
public sealed record IndexOptions(int BatchSize = 32, int DecodeWorkers = 0, int ChannelCapacity = 256)
{
    public int Workers => DecodeWorkers > 0 ? DecodeWorkers : Environment.ProcessorCount;

    public void EnsureValid()
    {
        if (BatchSize is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be between 1 and 4096");
        if (DecodeWorkers < 0) throw new ArgumentOutOfRangeException(nameof(DecodeWorkers), DecodeWorkers, "DecodeWorkers must be 0 (one per core) or more");
        if (ChannelCapacity < 1) throw new ArgumentOutOfRangeException(nameof(ChannelCapacity), ChannelCapacity, "ChannelCapacity must be positive");
    }
}

/// <summary>Running totals, reported as the job goes.</summary>
public sealed record IndexProgress(long Seen, long Skipped, long Indexed, long Failed, TimeSpan Elapsed)
{
    public double Rate => Elapsed.TotalSeconds > 0 ? Indexed / Elapsed.TotalSeconds : 0;
}

/// <summary>What a finished (or interrupted) run did.</summary>
public sealed record IndexSummary(long Seen, long Skipped, long Indexed, long Failed, TimeSpan Elapsed, bool Cancelled, string? ReportPath);

/// <summary>An image that could not be indexed, and why.</summary>
public sealed record IndexFailure(string Id, string ImagePath, string Reason);
