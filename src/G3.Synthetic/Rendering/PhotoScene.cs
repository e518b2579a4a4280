namespace G3.Synthetic.Rendering;

/// <summary>
/// Everything a photo shows, decided before drawing: the place's climate, the country's
/// architecture, the city's regional street look, a landmark when the photo is taken at one (with
/// how close the photographer stands, 0 far .. 1 near), how built-up the spot is, and whether the
/// photo is an uninformative indoor/portrait shot.
/// </summary>
public sealed record PhotoScene(ClimateStyle Climate, ArchitectureStyle Architecture, CityStyle City, Landmark? Landmark, double LandmarkCloseness,
    double Urban, bool Indoor);
