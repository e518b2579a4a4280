namespace G3.Core.Geo;

/// <summary>
/// How a location encoder turns (lat, lon) into the two numbers its Fourier features see.
/// Declared by a model's manifest and applied in exactly one place: <see cref="ProjectionMath.ToModelInput"/>.
/// </summary>
public enum LocationProjection
{
    /// <summary>Raw (latitude, longitude) in degrees.</summary>
    None,

    /// <summary>G3: spherical (web) Mercator, EPSG:3857, as (northing, easting) divided by πR.</summary>
    Mercator,

    /// <summary>GeoCLIP: Equal Earth, as (easting, northing) on the unit sphere scaled by 66.50336/180.</summary>
    EqualEarth,
}
