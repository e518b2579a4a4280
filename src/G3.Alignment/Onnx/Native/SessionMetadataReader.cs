using G3.Alignment.Onnx;

namespace G3.Alignment.Onnx.Native;

/// <summary>Reads a session's input and output declarations (names, element types, shapes).</summary>
internal static unsafe class SessionMetadataReader
{
    public static OnnxTensorInfo[] Inputs(OnnxRuntime runtime, nint session) => Read(runtime, session, inputs: true);

    public static OnnxTensorInfo[] Outputs(OnnxRuntime runtime, nint session) => Read(runtime, session, inputs: false);

    private static OnnxTensorInfo[] Read(OnnxRuntime runtime, nint session, bool inputs)
    {
        var api = runtime.Api;
        var side = inputs ? "input" : "output";
        nuint count;
        api.Check(inputs ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count), $"count model {side}s");
        var infos = new OnnxTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            var name = ReadName(runtime, session, i, inputs);
            nint typeInfo;
            api.Check(inputs ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo),
                $"read the type of model {side} '{name}'");
            using var owned = new OrtHandle(typeInfo, api.ReleaseTypeInfo);
            infos[(int)i] = Describe(api, name, typeInfo);
        }
        return infos;
    }

    private static string ReadName(OnnxRuntime runtime, nint session, nuint index, bool inputs)
    {
        var api = runtime.Api;
        byte* name = null;
        api.Check(inputs
                ? api.SessionGetInputName(session, index, runtime.DefaultAllocator, &name)
                : api.SessionGetOutputName(session, index, runtime.DefaultAllocator, &name),
            $"read the name of model {(inputs ? "input" : "output")} {index}");
        try
        {
            return OrtApi.Utf8(name) ?? "";
        }
        finally
        {
            // The name was allocated by ORT's default allocator for us; it must go back to it.
            api.Check(api.AllocatorFree(runtime.DefaultAllocator, name), "free a tensor name");
        }
    }

    private static OnnxTensorInfo Describe(OrtApi api, string name, nint typeInfo)
    {
        int onnxType;
        api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), $"read the kind of '{name}'");
        const int onnxTypeTensor = 1; // ONNX_TYPE_TENSOR
        if (onnxType != onnxTypeTensor)
            return new OnnxTensorInfo(name, false, OnnxElementType.Undefined, []);

        // The tensor info belongs to the type info: read it, do not release it.
        nint tensorInfo;
        api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), $"read the tensor type of '{name}'");
        int elementType;
        api.Check(api.GetTensorElementType(tensorInfo, &elementType), $"read the element type of '{name}'");
        return new OnnxTensorInfo(name, true, (OnnxElementType)elementType, ReadDimensions(api, tensorInfo, name));
    }

    /// <summary>The dimensions of a tensor type/shape info; ORT reports symbolic and unknown ones as -1.</summary>
    public static long[] ReadDimensions(OrtApi api, nint tensorInfo, string name)
    {
        nuint rank;
        api.Check(api.GetDimensionsCount(tensorInfo, &rank), $"read the rank of '{name}'");
        var dims = new long[(int)rank];
        if (rank > 0)
        {
            fixed (long* d = dims)
                api.Check(api.GetDimensions(tensorInfo, d, rank), $"read the shape of '{name}'");
        }
        return dims;
    }
}
