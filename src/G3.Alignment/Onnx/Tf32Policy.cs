namespace G3.Alignment.Onnx;

/// <summary>
/// Decides TF32 for one model from the configuration's request and the manifest's permission. The
/// manifest is the authority on how much numeric drift a model tolerates: a request for TF32 on a model
/// whose manifest does not allow it is an error, not a silent downgrade.
/// </summary>
internal static class Tf32Policy
{
    public static OnnxSessionOptions Apply(OnnxSessionOptions? options, bool allowedByManifest, string what, string manifestPath)
    {
        options ??= new OnnxSessionOptions();
        if (options.UseTf32 == true && !allowedByManifest)
            throw new OnnxRuntimeException(
                $"TF32 was requested for the {what} of '{manifestPath}', but its manifest does not allow it (\"allowTf32\": true); " +
                "TF32 changes its embeddings beyond the CPU's, so turn it off in the configuration or allow it in the manifest after measuring");
        return options with { UseTf32 = options.UseTf32 ?? allowedByManifest };
    }
}
