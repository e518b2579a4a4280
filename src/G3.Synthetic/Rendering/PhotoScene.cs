namespace G3.Synthetic.Rendering;

/// <summary>
/// Everything a photo shows, decided before drawing: the place's climate and architecture, a
/// landmark when the photo is near a big city and faces it, how built-up the spot is, and whether
/// the photo is an uninformative indoor/portrait shot.
/// </summary>
public sealed record PhotoScene(ClimateStyle Climate, ArchitectureStyle Architecture, Landmark? Landmark, double Urban, bool Indoor);
