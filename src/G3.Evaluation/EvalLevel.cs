namespace G3.Evaluation;

/// <summary>
/// One level's answer for one image, as recorded in a run: the answered unit's key (null: "none at this
/// level", e.g. open water or no city nearby) and mass, and the truth's unit by the same geocoder.
/// Right when the keys match (both null counts: the truth has no unit there and the answer says so).
/// </summary>
public sealed record EvalLevel(string Level, string? PredictedKey, string? PredictedName, double Confidence, bool Uncertain,
    string? TrueKey, string? TrueName)
{
    public bool Right => string.Equals(PredictedKey, TrueKey, StringComparison.Ordinal);
}
