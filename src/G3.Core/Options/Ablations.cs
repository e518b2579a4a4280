namespace G3.Core.Options;

/// <summary>
/// The paper's ablation switches (Table 2), as this service interprets them:
/// <list type="bullet">
/// <item><b>AlignmentOff</b> (w/o Geo-A): nothing is retrieved, so prompts list no references and no
/// retrieved candidates are added; only the LMM's zero-shot knowledge is verified.</item>
/// <item><b>DiversificationOff</b> (w/o Geo-D): one prompt (the variant with the most references),
/// one sample; plus the S retrieved candidates.</item>
/// <item><b>VerificationOff</b> (w/o Geo-V): no verifier; the answer is the first valid LMM answer
/// (in variant, then sample order), falling back to the top retrieved photo.</item>
/// </list>
/// </summary>
public sealed record Ablations(bool AlignmentOff = false, bool DiversificationOff = false, bool VerificationOff = false)
{
    public static Ablations None { get; } = new();
}
