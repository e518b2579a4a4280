using G3.Core.Errors;

namespace G3.Alignment.Onnx;

/// <summary>ONNX Runtime's error codes (<c>OrtErrorCode</c> in the C API), as ORT reports them (the managed API's <c>ErrorCode</c>).</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
}

/// <summary>
/// ONNX Runtime refused an operation. Carries ORT's own error code and message, prefixed with what G3
/// was doing, so "load model x.onnx: [NoSuchFile] ..." reads as one actionable line.
/// </summary>
public sealed class OnnxRuntimeException : G3Exception
{
    public OnnxRuntimeException() { }

    public OnnxRuntimeException(string message) : base(message) { }

    public OnnxRuntimeException(string message, Exception innerException) : base(message, innerException) { }

    public OnnxRuntimeException(OrtErrorCode code, string operation, string ortMessage)
        : base($"ONNX Runtime: {operation} failed [{code}]: {ortMessage}")
    {
        ErrorCode = code;
        OrtMessage = ortMessage;
    }

    public OnnxRuntimeException(OrtErrorCode code, string operation, string ortMessage, Exception innerException)
        : base($"ONNX Runtime: {operation} failed [{code}]: {ortMessage}", innerException)
    {
        ErrorCode = code;
        OrtMessage = ortMessage;
    }

    /// <summary>ORT's error code; <see cref="OrtErrorCode.Fail"/> for errors raised by G3 around ORT.</summary>
    public OrtErrorCode ErrorCode { get; } = OrtErrorCode.Fail;

    /// <summary>ORT's message, verbatim (empty for errors raised by G3 itself).</summary>
    public string OrtMessage { get; } = "";
}
