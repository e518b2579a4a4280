using G3.Core.Geo;

namespace G3.Core.Candidates;

/// <summary>A retrieved database photo: its id, where it was taken, how similar it is to the query.</summary>
public sealed record ReferencePhoto(string Id, GeoPoint Point, double Similarity, Place? Place = null);
