using G3.Alignment.Onnx;

namespace G3.Alignment.Models;

/// <summary>
/// Checks, at load, that an ONNX session declares what its manifest says: names, float32, shapes.
/// A model dimension of -1 (dynamic) accepts the manifest's value; a fixed one must equal it, so a
/// model exported with batch 1 is caught here rather than at the first batched request.
/// </summary>
public static class ManifestModelCheck
{
    public static void CheckLocation(ModelManifest manifest, OnnxSession session)
    {
        var spec = manifest.RequireLocation();
        var problems = new List<string>();
        CheckTensor(session.Inputs, "location model input", spec.InputName, [-1, 2], problems);
        CheckTensor(session.Outputs, "location model output", spec.OutputName, [-1, spec.Dimension], problems);
        if (problems.Count > 0) throw new ModelManifestException(manifest.SourcePath, problems);
    }

    public static void CheckImage(ModelManifest manifest, OnnxSession session)
    {
        var spec = manifest.RequireImage();
        var problems = new List<string>();
        CheckTensor(session.Inputs, "image model input", spec.InputName, [.. spec.InputShape], problems);
        CheckTensor(session.Outputs, "image model output", spec.Retrieval.OutputName, [-1, spec.Retrieval.Dimension], problems);
        CheckTensor(session.Outputs, "image model output", spec.Gps.OutputName, [-1, spec.Gps.Dimension], problems);
        CheckPrecision(spec.Precision, session, problems);
        if (problems.Count > 0) throw new ModelManifestException(manifest.SourcePath, problems);
    }

    public static void CheckText(ModelManifest manifest, OnnxSession session)
    {
        var spec = manifest.RequireText();
        var problems = new List<string>();
        var input = session.Inputs.FirstOrDefault(t => t.Name == spec.InputName);
        if (input is null)
            problems.Add($"text model input '{spec.InputName}' is not in the ONNX model (it has: {string.Join(", ", session.Inputs.Select(t => "'" + t.Name + "'"))})");
        else if (!input.IsTensor || input.ElementType != OnnxElementType.Int64)
            problems.Add($"text model input '{spec.InputName}' is {(input.IsTensor ? input.ElementType.ToString() : "not a tensor")}; int64 token ids expected");
        else if (!Compatible(input.Shape, [-1, spec.ContextLength]))
            problems.Add($"text model input '{spec.InputName}' has shape {input.ShapeText}; manifest says {OnnxTensorInfo.FormatShape([-1, spec.ContextLength])}");
        CheckTensor(session.Outputs, "text model output", spec.Retrieval.OutputName, [-1, spec.Retrieval.Dimension], problems);
        CheckTensor(session.Outputs, "text model output", spec.Gps.OutputName, [-1, spec.Gps.Dimension], problems);
        if (problems.Count > 0) throw new ModelManifestException(manifest.SourcePath, problems);
    }

    /// <summary>The metadata key tools/export writes into a model whose weights are not float32.</summary>
    public const string PrecisionMetadataKey = "g3.precision";

    /// <summary>
    /// A float16 export keeps float32 inputs and outputs, so the tensor checks cannot tell it from a float32
    /// one; the file's own metadata can. A manifest that misstates it would publish wrong agreement figures.
    /// </summary>
    private static void CheckPrecision(ModelPrecision declared, OnnxSession session, List<string> problems)
    {
        var inFile = session.CustomMetadata.TryGetValue(PrecisionMetadataKey, out var p) ? p : "float32";
        var manifest = declared == ModelPrecision.Float16 ? "float16" : "float32";
        if (!string.Equals(inFile, manifest, StringComparison.Ordinal))
            problems.Add($"image.precision is {manifest} but the ONNX file's metadata says {PrecisionMetadataKey}={inFile}");
    }

    private static void CheckTensor(IReadOnlyList<OnnxTensorInfo> declared, string what, string name, long[] expected, List<string> problems)
    {
        var tensor = declared.FirstOrDefault(t => t.Name == name);
        if (tensor is null)
        {
            problems.Add($"{what} '{name}' is not in the ONNX model (it has: {string.Join(", ", declared.Select(t => "'" + t.Name + "'"))})");
            return;
        }
        if (!tensor.IsTensor || tensor.ElementType != OnnxElementType.Float)
        {
            problems.Add($"{what} '{name}' is {(tensor.IsTensor ? tensor.ElementType.ToString() : "not a tensor")}; float32 expected");
            return;
        }
        if (!Compatible(tensor.Shape, expected))
            problems.Add($"{what} '{name}' has shape {tensor.ShapeText}; manifest says {OnnxTensorInfo.FormatShape(expected)}");
    }

    private static bool Compatible(IReadOnlyList<long> model, long[] manifest)
    {
        if (model.Count != manifest.Length) return false;
        for (var i = 0; i < manifest.Length; i++)
            if (model[i] != -1 && model[i] != manifest[i]) return false;
        return true;
    }
}
