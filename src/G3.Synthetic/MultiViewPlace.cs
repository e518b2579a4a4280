using G3.Synthetic.World;

namespace G3.Synthetic;

/// <summary>What the multi-view split holds: one row per place (its landmark's position) and its photos, in view order.</summary>
public sealed record MultiViewPlace(string PlaceId, double Latitude, double Longitude, string LandmarkId, string City, IReadOnlyList<PhotoRecord> Views);
