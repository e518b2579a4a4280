using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using OrtException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

namespace G3.Alignment.Onnx;

/// <summary>An output buffer the caller owns: ORT writes the named output straight into it.</summary>
internal readonly record struct OutputBuffer(string Name, Memory<float> Data, long[] Shape);

public sealed partial class OnnxSession
{
    /// <summary>
    /// Runs the model on float32 inputs (by input name) and returns the requested float32 outputs in
    /// the order asked. Inputs are handed to ORT as <see cref="OrtValue"/>s over the callers' memory, not
    /// copied. Shapes are checked against the model first so a mistake reads "input 'coords' expects
    /// [-1,2], got [4,3]". Cancellation asks ORT to terminate the run in flight.
    /// </summary>
    public IReadOnlyList<FloatTensor> Run(
        IReadOnlyDictionary<string, FloatTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (inputNames, tensors) = ValidateInputs(inputs);
        var outputs = ValidateOutputs(outputNames);
        return InRun(() =>
        {
            var values = CreateInputValues(inputNames, tensors);
            try
            {
                using var runOptions = new RunOptions();
                using var results = Execute(runOptions,
                    () => _session.Run(runOptions, inputNames, values, outputs), cancellationToken);
                var copies = new FloatTensor[outputs.Length];
                var k = 0;
                foreach (var value in results)
                    copies[k] = ReadOutput(value, outputs[k++]);
                return copies;
            }
            finally
            {
                foreach (var v in values) v?.Dispose();
            }
        });
    }

    /// <summary>
    /// Runs the model with its outputs written straight into <paramref name="outputs"/> (buffers of the
    /// exact shape the model will produce): no output allocation, no copy. The encoders use this, since
    /// their manifests give the output widths.
    /// </summary>
    internal void RunInto(IReadOnlyDictionary<string, FloatTensor> inputs, IReadOnlyList<OutputBuffer> outputs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (inputNames, tensors) = ValidateInputs(inputs);
        var outputNames = ValidateOutputs([.. outputs.Select(o => o.Name)]);
        InRun(() =>
        {
            var values = CreateInputValues(inputNames, tensors);
            var outputValues = new OrtValue?[outputs.Count];
            try
            {
                for (var j = 0; j < outputs.Count; j++)
                    outputValues[j] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, outputs[j].Data, outputs[j].Shape);
                using var runOptions = new RunOptions();
                Execute(runOptions, () =>
                {
                    _session.Run(runOptions, inputNames, values, outputNames, outputValues!);
                    return 0;
                }, cancellationToken);
                return 0;
            }
            finally
            {
                foreach (var v in outputValues) v?.Dispose();
                foreach (var v in values) v?.Dispose();
            }
        });
    }

    /// <summary>Keeps the native session alive for the run even if <see cref="Dispose"/> races with it.</summary>
    private T InRun<T>(Func<T> run)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _runsInFlight++;
        }
        try
        {
            return run();
        }
        finally
        {
            bool release;
            lock (_gate) release = --_runsInFlight == 0 && _disposed;
            if (release) _session.Dispose();
        }
    }

    /// <summary>Runs <paramref name="call"/> with cancellation wired to ORT's terminate flag.</summary>
    private T Execute<T>(RunOptions runOptions, Func<T> call, CancellationToken cancellationToken)
    {
        // Disposed before runOptions (declared after it): a terminate callback never touches released options.
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(() => runOptions.Terminate = true)
            : default;
        try
        {
            return call();
        }
        catch (OrtException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the ONNX Runtime run was cancelled", cancellationToken);
        }
        catch (OrtException e)
        {
            throw Translate(e, $"run model '{Path.GetFileName(ModelPath)}'");
        }
    }

    private (string[] Names, FloatTensor[] Tensors) ValidateInputs(IReadOnlyDictionary<string, FloatTensor> inputs)
    {
        if (inputs.Count == 0)
            throw new ArgumentException($"no inputs given; model '{ModelPath}' expects {Describe(Inputs)}", nameof(inputs));
        var names = new string[inputs.Count];
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
            names[k] = name;
            tensors[k++] = tensor;
        }
        return (names, tensors);
    }

    private string[] ValidateOutputs(IReadOnlyList<string> outputNames)
    {
        if (outputNames.Count == 0)
            throw new ArgumentException($"no outputs requested; model '{ModelPath}' offers {Describe(Outputs)}", nameof(outputNames));
        foreach (var name in outputNames)
        {
            var info = Output(name);
            if (!info.IsTensor || info.ElementType != OnnxElementType.Float)
                throw new OnnxRuntimeException($"model output {info} is not a float32 tensor; G3 reads float32 tensors only");
        }
        return [.. outputNames];
    }

    private static bool ShapeFits(IReadOnlyList<long> declared, IReadOnlyList<long> actual)
    {
        if (declared.Count != actual.Count) return false;
        for (var i = 0; i < declared.Count; i++)
            if (declared[i] >= 0 && declared[i] != actual[i]) return false;
        return true;
    }

    /// <summary>
    /// Wraps each input as an ORT tensor over the caller's memory (pinned while the value lives). ORT only
    /// reads inputs, so a read-only buffer may be viewed as writable here.
    /// </summary>
    private static OrtValue[] CreateInputValues(string[] names, FloatTensor[] tensors)
    {
        var values = new OrtValue[tensors.Length];
        try
        {
            for (var i = 0; i < tensors.Length; i++)
                values[i] = Wrap(() => OrtValue.CreateTensorValueFromMemory(
                    OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(tensors[i].Data), [.. tensors[i].Shape]),
                    $"wrap input '{names[i]}' {tensors[i].ShapeText} as a tensor");
            return values;
        }
        catch
        {
            foreach (var v in values) v?.Dispose();
            throw;
        }
    }

    private static FloatTensor ReadOutput(OrtValue value, string name)
    {
        var info = value.GetTensorTypeAndShape();
        if (info.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float)
            throw new OnnxRuntimeException($"output '{name}' holds {info.ElementDataType}, not float32");
        var data = value.GetTensorDataAsSpan<float>().ToArray();
        return new FloatTensor(data, info.Shape);
    }
}
