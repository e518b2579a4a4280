using System.Buffers;
using G3.Alignment.Onnx.Native;

namespace G3.Alignment.Onnx;

public sealed unsafe partial class OnnxSession
{
    /// <summary>
    /// Runs the model on float32 inputs (by input name) and returns the requested float32 outputs in
    /// the order asked. Inputs are passed to ORT over pinned managed memory, not copied. Shapes are
    /// checked against the model first so a mistake reads "input 'coords' expects [-1,2], got [4,3]".
    /// Cancellation asks ORT to terminate the run in flight.
    /// </summary>
    public IReadOnlyList<FloatTensor> Run(
        IReadOnlyDictionary<string, FloatTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (inputSlots, tensors) = ValidateInputs(inputs);
        var outputSlots = ValidateOutputs(outputNames);
        var api = Runtime.Api;

        var count = inputSlots.Length;
        var pins = new MemoryHandle[count];
        var inputValues = new nint[count];
        var inputNamePointers = new nint[count];
        var outputValues = new nint[outputSlots.Length];
        var outputNamePointers = new nint[outputSlots.Length];
        OrtHandle? runOptions = null;
        CancellationTokenRegistration registration = default;
        bool sessionRef = false, inputNamesRef = false, outputNamesRef = false;
        try
        {
            // Keep the native session and name tables alive for this run even if Dispose races with it.
            _session.DangerousAddRef(ref sessionRef);
            _inputNames.DangerousAddRef(ref inputNamesRef);
            _outputNames.DangerousAddRef(ref outputNamesRef);

            for (var i = 0; i < count; i++)
            {
                inputNamePointers[i] = _inputNames[inputSlots[i]];
                inputValues[i] = CreateInputValue(tensors[i], ref pins[i], Inputs[inputSlots[i]].Name);
            }
            for (var j = 0; j < outputSlots.Length; j++)
                outputNamePointers[j] = _outputNames[outputSlots[j]];

            if (cancellationToken.CanBeCanceled)
            {
                runOptions = CreateRunOptions();
                var options = runOptions;
                registration = cancellationToken.Register(() => Terminate(options));
            }

            nint status;
            fixed (nint* inNames = inputNamePointers, inValues = inputValues, outNames = outputNamePointers, outValues = outputValues)
            {
                status = api.Run(_session.DangerousGetHandle(), runOptions?.DangerousGetHandle() ?? 0,
                    inNames, inValues, (nuint)count, outNames, (nuint)outputSlots.Length, outValues);
            }
            registration.Dispose(); // waits for a terminate callback in progress, so runOptions outlives it
            if (status != 0 && cancellationToken.IsCancellationRequested)
            {
                api.ReleaseStatus(status);
                throw new OperationCanceledException("the ONNX Runtime run was cancelled", cancellationToken);
            }
            api.Check(status, $"run model '{Path.GetFileName(ModelPath)}'");

            var results = new FloatTensor[outputSlots.Length];
            for (var j = 0; j < outputSlots.Length; j++)
                results[j] = ReadOutput(outputValues[j], Outputs[outputSlots[j]].Name);
            return results;
        }
        finally
        {
            registration.Dispose();
            foreach (var value in outputValues)
                if (value != 0) api.ReleaseValue(value);
            foreach (var value in inputValues)
                if (value != 0) api.ReleaseValue(value);
            foreach (var pin in pins) pin.Dispose();
            runOptions?.Dispose();
            if (outputNamesRef) _outputNames.DangerousRelease();
            if (inputNamesRef) _inputNames.DangerousRelease();
            if (sessionRef) _session.DangerousRelease();
        }
    }

    private (int[] Slots, FloatTensor[] Tensors) ValidateInputs(IReadOnlyDictionary<string, FloatTensor> inputs)
    {
        if (inputs.Count == 0)
            throw new ArgumentException($"no inputs given; model '{ModelPath}' expects {Describe(Inputs)}", nameof(inputs));
        var slots = new int[inputs.Count];
        var tensors = new FloatTensor[inputs.Count];
        var k = 0;
        foreach (var (name, tensor) in inputs)
        {
            var info = Input(name);
            if (!info.IsTensor || info.ElementType != OnnxElementType.Float)
                throw new OnnxRuntimeException($"model input {info} is not a float32 tensor; G3 feeds float32 tensors only");
            if (tensor.Data.Length == 0)
                throw new ArgumentException($"input '{name}' has shape {tensor.ShapeText}: an empty batch cannot be run", nameof(inputs));
            if (!ShapeFits(info.Shape, tensor.Shape))
                throw new ArgumentException($"input '{name}' expects shape {info.ShapeText} (-1 = any), got {tensor.ShapeText}", nameof(inputs));
            slots[k] = _inputIndex[name];
            tensors[k++] = tensor;
        }
        return (slots, tensors);
    }

    private int[] ValidateOutputs(IReadOnlyList<string> outputNames)
    {
        if (outputNames.Count == 0)
            throw new ArgumentException($"no outputs requested; model '{ModelPath}' offers {Describe(Outputs)}", nameof(outputNames));
        var slots = new int[outputNames.Count];
        for (var j = 0; j < outputNames.Count; j++)
        {
            var info = Output(outputNames[j]);
            if (!info.IsTensor || info.ElementType != OnnxElementType.Float)
                throw new OnnxRuntimeException($"model output {info} is not a float32 tensor; G3 reads float32 tensors only");
            slots[j] = _outputIndex[info.Name];
        }
        return slots;
    }

    private static bool ShapeFits(IReadOnlyList<long> declared, IReadOnlyList<long> actual)
    {
        if (declared.Count != actual.Count) return false;
        for (var i = 0; i < declared.Count; i++)
            if (declared[i] >= 0 && declared[i] != actual[i]) return false;
        return true;
    }

    private nint CreateInputValue(FloatTensor tensor, ref MemoryHandle pin, string name)
    {
        var api = Runtime.Api;
        pin = tensor.Data.Pin();
        var shape = tensor.Shape.ToArray();
        nint value;
        const int elementFloat = (int)OnnxElementType.Float;
        fixed (long* dims = shape)
        {
            // ORT only reads input buffers; the tensor aliases the pinned managed array for this run.
            api.Check(api.CreateTensorWithDataAsOrtValue(Runtime.CpuMemory.DangerousGetHandle(), pin.Pointer,
                    (nuint)(tensor.Data.Length * sizeof(float)), dims, (nuint)shape.Length, elementFloat, &value),
                $"wrap input '{name}' {tensor.ShapeText} as a tensor");
        }
        return value;
    }

    private FloatTensor ReadOutput(nint value, string name)
    {
        var api = Runtime.Api;
        nint info;
        api.Check(api.GetTensorTypeAndShape(value, &info), $"read the shape of output '{name}'");
        using var owned = new OrtHandle(info, api.ReleaseTensorTypeAndShapeInfo);
        int elementType;
        api.Check(api.GetTensorElementType(info, &elementType), $"read the element type of output '{name}'");
        if (elementType != (int)OnnxElementType.Float)
            throw new OnnxRuntimeException($"output '{name}' holds {(OnnxElementType)elementType}, not float32");
        var shape = SessionMetadataReader.ReadDimensions(api, info, name);
        long count = 1;
        foreach (var d in shape) count *= d;
        var data = new float[checked((int)count)];
        if (count > 0)
        {
            void* source;
            api.Check(api.GetTensorMutableData(value, &source), $"read output '{name}'");
            new ReadOnlySpan<float>(source, data.Length).CopyTo(data);
        }
        return new FloatTensor(data, shape);
    }

    private OrtHandle CreateRunOptions()
    {
        var api = Runtime.Api;
        nint raw;
        api.Check(api.CreateRunOptions(&raw), "create run options");
        return new OrtHandle(raw, api.ReleaseRunOptions);
    }

    private void Terminate(OrtHandle runOptions)
    {
        var api = Runtime.Api;
        var added = false;
        try
        {
            runOptions.DangerousAddRef(ref added);
            var status = api.RunOptionsSetTerminate(runOptions.DangerousGetHandle());
            if (status != 0) api.ReleaseStatus(status); // best effort: the caller still sees the cancellation
        }
        catch (ObjectDisposedException)
        {
            // The run already finished and released its options; nothing to terminate.
        }
        finally
        {
            if (added) runOptions.DangerousRelease();
        }
    }
}
