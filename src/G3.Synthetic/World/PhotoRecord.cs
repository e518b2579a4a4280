using G3.Core.Candidates;

namespace G3.Synthetic.World;

/// <summary>
/// One generated photo: its id (file name under the split's images/), position and place text, and
/// the landmark it shows, if any (its city's name and the site's id "geonameid-site").
/// </summary>
public sealed record PhotoRecord(string ImageId, double Latitude, double Longitude, Place Place, string? Ocean, string? LandmarkCity, bool Indoor,
    string? LandmarkId = null);
