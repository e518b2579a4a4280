using G3.Core.Candidates;

namespace G3.Synthetic.World;

/// <summary>One generated photo: its id (file name under the split's images/), position and place text.</summary>
public sealed record PhotoRecord(string ImageId, double Latitude, double Longitude, Place Place, string? Ocean, string? LandmarkCity, bool Indoor);
