namespace G3.Evaluation.Tests.OutOfDistribution;

/// <summary>A fact that needs the real non-place images, which an opt-in script fetches (they are not committed).</summary>
internal sealed class FactRequiringRealImagesAttribute : FactAttribute
{
    public FactRequiringRealImagesAttribute()
    {
        if (!Directory.Exists(TestPaths.InRepo("data", "ood-real", "images")))
            Skip = "needs the real non-place images in data/ood-real/images: run scripts/fetch-ood-images.sh";
    }
}
