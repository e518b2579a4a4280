using Microsoft.ML.OnnxRuntime;

namespace G3.Alignment.Onnx;

public sealed partial class OnnxSession
{
    /// <summary>
    /// Runs a text model on one int64 input of token ids [N,T] (the only non-float input G3 feeds), with
    /// float32 outputs written straight into <paramref name="outputs"/> as <see cref="RunInto"/> does.
    /// </summary>
    internal void RunTokensInto(string inputName, long[] ids, long[] shape, IReadOnlyList<OutputBuffer> outputs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = Input(inputName);
        if (!info.IsTensor || info.ElementType != OnnxElementType.Int64)
            throw new OnnxRuntimeException($"model input {info} is not an int64 tensor of token ids");
        if (ids.Length == 0 || !ShapeFits(info.Shape, shape))
            throw new ArgumentException($"input '{inputName}' expects shape {info.ShapeText} (-1 = any), got {OnnxTensorInfo.FormatShape(shape)}", nameof(shape));
        var outputNames = ValidateOutputs([.. outputs.Select(o => o.Name)]);
        InRun(() =>
        {
            var outputValues = new OrtValue?[outputs.Count];
            using var input = OrtValue.CreateTensorValueFromMemory(ids, shape);
            try
            {
                for (var j = 0; j < outputs.Count; j++)
                    outputValues[j] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, outputs[j].Data, outputs[j].Shape);
                using var runOptions = new RunOptions();
                Execute(runOptions, () =>
                {
                    _session.Run(runOptions, [inputName], [input], outputNames, outputValues!);
                    return 0;
                }, cancellationToken);
                return 0;
            }
            finally
            {
                foreach (var v in outputValues) v?.Dispose();
            }
        });
    }
}
