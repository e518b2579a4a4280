namespace G3.Synthetic;

/// <summary>Settings of the multi-view query split: how many places, and how many photos of each.</summary>
public sealed record MultiViewOptions(int Places, int Views = 4)
{
    public const int MaxViews = 8;

    public void Validate()
    {
        if (Places is < 1 or > 100_000) throw new SyntheticWorldException($"--multiview must be 1..100000 places (got {Places})");
        if (Views is < 2 or > MaxViews) throw new SyntheticWorldException($"--views must be 2..{MaxViews} photos per place (got {Views})");
    }
}
