using G3.Core.Candidates;
using G3.Core.Geo;

namespace G3.Retrieval.Mp16;

/// <summary>One MP16-Pro photo's metadata: id (its image path), position, reverse-geocoded place (null when none given).</summary>
public sealed record Mp16Record(string Id, GeoPoint Point, Place? Place, long Line);

/// <summary>A row the reader skipped: the physical line it starts on (1-based, header = line 1) and why.</summary>
public sealed record Mp16RowError(long Line, string Reason);

/// <summary>The file cannot be read as MP16-Pro metadata at all (no header, required columns missing).</summary>
public sealed class Mp16FormatException : G3.Core.Errors.G3Exception
{
    public Mp16FormatException() { }

    public Mp16FormatException(string message) : base(message) { }

    public Mp16FormatException(string message, Exception innerException) : base(message, innerException) { }
}
