namespace G3.Alignment.Models;

// The manifest as written in JSON (camelCase), every field optional so that validation, not the
// deserialiser, reports what is missing. ModelManifestLoader turns it into the validated records.

internal sealed class ManifestDocument
{
    public int? FormatVersion { get; set; }
    public string? Id { get; set; }
    public string? ModelCard { get; set; }
    public VerificationDocument? Verification { get; set; }
    public ImageDocument? Image { get; set; }
    public PreprocessingDocument? Preprocessing { get; set; }
    public LocationDocument? Location { get; set; }
    public OutOfDistributionDocument? OutOfDistribution { get; set; }
    public ViewAgreementDocument? ViewAgreement { get; set; }
    public TextDocument? Text { get; set; }
}

internal sealed class ViewAgreementDocument
{
    public string? Score { get; set; }
    public double? Threshold { get; set; }
    public int? Pairs { get; set; }
    public string? MeasuredOn { get; set; }
}

internal sealed class VerificationDocument
{
    public string? Metric { get; set; }
    public double? LogitScale { get; set; }
    public double? Temperature { get; set; }
    public CalibrationDocument? Calibration { get; set; }
    public ConsensusDocument? Consensus { get; set; }
    public LevelCalibrationDocument? LevelCalibration { get; set; }
}

internal sealed class LevelCalibrationDocument
{
    public string? Method { get; set; }
    public IsotonicPointsDocument? Country { get; set; }
    public IsotonicPointsDocument? Region { get; set; }
    public IsotonicPointsDocument? City { get; set; }
    public string? FittedOn { get; set; }
}

internal sealed class IsotonicPointsDocument
{
    public double[]? Raw { get; set; }
    public double[]? Calibrated { get; set; }
}

internal sealed class ConsensusDocument
{
    public double? GpsScale { get; set; }
    public double? RetrievalScale { get; set; }
    public double? SupportKm { get; set; }
    public double? Floor { get; set; }
    public double? RadiusKm { get; set; }
    public string? FittedOn { get; set; }
}

internal sealed class CalibrationDocument
{
    public string? Method { get; set; }
    public double? RadiusKm { get; set; }
    public double[]? Raw { get; set; }
    public double[]? Calibrated { get; set; }
    public string? FittedOn { get; set; }
}

internal sealed class OutOfDistributionDocument
{
    public string? Score { get; set; }
    public int? TopK { get; set; }
    public double? Threshold { get; set; }
    public double[]? Weights { get; set; }
    public double? Bias { get; set; }
    public string? FittedOn { get; set; }
    public string? MeasuredOn { get; set; }
}

internal sealed class ImageDocument
{
    public string? File { get; set; }
    public string? Input { get; set; }
    public long[]? InputShape { get; set; }
    public OutputDocument? Retrieval { get; set; }
    public OutputDocument? Gps { get; set; }
    public string? Precision { get; set; }
    public bool? AllowTf32 { get; set; }
}

internal sealed class OutputDocument
{
    public string? Output { get; set; }
    public int? Dim { get; set; }
    public bool? Normalize { get; set; }
}

internal sealed class PreprocessingDocument
{
    public int? InputSize { get; set; }
    public string? Resize { get; set; }
    public string? Crop { get; set; }
    public float[]? Mean { get; set; }
    public float[]? Std { get; set; }
}

internal sealed class LocationDocument
{
    public string? File { get; set; }
    public string? Input { get; set; }
    public string? Output { get; set; }
    public int? Dim { get; set; }
    public string? Projection { get; set; }
    public bool? Normalize { get; set; }
    public bool? AllowTf32 { get; set; }
}

internal sealed class TextDocument
{
    public string? File { get; set; }
    public string? Input { get; set; }
    public int? ContextLength { get; set; }
    public TokenizerDocument? Tokenizer { get; set; }
    public OutputDocument? Retrieval { get; set; }
    public OutputDocument? Gps { get; set; }
    public double? LogitScale { get; set; }
}

internal sealed class TokenizerDocument
{
    public string? Kind { get; set; }
    public string? Vocab { get; set; }
    public string? Merges { get; set; }
}
