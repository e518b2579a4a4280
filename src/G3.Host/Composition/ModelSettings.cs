using G3.Alignment.Onnx;

namespace G3.Host.Composition;

/// <summary>Section <c>Model</c>: which G3 model (image + location encoders) the service runs.</summary>
public sealed class ModelSettings
{
    public const string SectionName = "Model";

    /// <summary>The model manifest; a relative path is taken from the folder holding appsettings.json (<see cref="G3Paths"/>).</summary>
    public string Manifest { get; set; } = "models/g3-mini/manifest.json";

    /// <summary>cpu, cuda or auto (CUDA when the ONNX Runtime build and the machine can use it).</summary>
    public string ExecutionProvider { get; set; } = "auto";

    /// <summary>How the image encoder's session runs (section Model:Image).</summary>
    public EncoderRuntimeSettings Image { get; set; } = new();

    /// <summary>How the location encoder's session runs (section Model:Location).</summary>
    public EncoderRuntimeSettings Location { get; set; } = new();

    /// <summary>Every problem with these settings, one message each.</summary>
    public IEnumerable<string> Validate()
    {
        string? providerError = null;
        try
        {
            OnnxSessionOptions.ParseProvider(ExecutionProvider);
        }
        catch (ArgumentException e)
        {
            providerError = $"Model:ExecutionProvider: {e.Message.Split(" (Parameter", 2)[0]}";
        }
        if (providerError is not null) yield return providerError;
        foreach (var p in Image.Validate("Model:Image")) yield return p;
        foreach (var p in Location.Validate("Model:Location")) yield return p;
    }

    /// <summary>Session options for the image encoder.</summary>
    public OnnxSessionOptions ImageSession() => Image.ToSessionOptions(OnnxSessionOptions.ParseProvider(ExecutionProvider));

    /// <summary>Session options for the location encoder.</summary>
    public OnnxSessionOptions LocationSession() => Location.ToSessionOptions(OnnxSessionOptions.ParseProvider(ExecutionProvider));
}
