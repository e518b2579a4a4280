using G3.Alignment.Onnx;

namespace G3.Alignment.Tests.Onnx;

/// <summary>Sessions: metadata read from the model, runs, and the errors a caller can act on.</summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class OnnxSessionTests
{
    private static Dictionary<string, FloatTensor> Coords(params float[] values) =>
        new() { ["coords"] = new FloatTensor(values, values.Length / 2, 2) };

    [Fact]
    public void Reads_input_and_output_metadata_with_dynamic_batch()
    {
        using var location = OnnxSession.Open(OnnxFixtures.LocationModel);
        using var image = OnnxSession.Open(OnnxFixtures.ImageModel);

        var coords = Assert.Single(location.Inputs);
        Assert.Equal(new OnnxTensorInfo("coords", true, OnnxElementType.Float, [-1, 2]).ToString(), coords.ToString());
        Assert.Equal("[-1,64]", Assert.Single(location.Outputs).ShapeText);
        Assert.Equal("[-1,3,224,224]", image.Input("pixels").ShapeText);
        Assert.Equal(["image_embedding", "gps_embedding"], image.Outputs.Select(o => o.Name));
        Assert.Equal("[-1,48]", image.Output("image_embedding").ShapeText);
    }

    [Fact]
    public void Runs_a_batch_and_returns_the_output_shape()
    {
        using var session = OnnxSession.Open(OnnxFixtures.LocationModel);

        var output = session.Run(Coords(0, 0, 0.5f, 0.5f, -0.5f, 1), ["embedding"])[0];

        Assert.Equal([3L, 64L], output.Shape);
        Assert.Equal(192, output.Data.Length);
        Assert.NotEqual(output.Data.Span[0], output.Data.Span[64]); // different points, different rows
    }

    [Fact]
    public void Wrong_shape_unknown_names_and_empty_batches_are_clear_errors()
    {
        using var session = OnnxSession.Open(OnnxFixtures.LocationModel);

        var shape = Assert.Throws<ArgumentException>(() =>
            session.Run(new Dictionary<string, FloatTensor> { ["coords"] = new(new float[6], 2, 3) }, ["embedding"]));
        Assert.Contains("input 'coords' expects shape [-1,2] (-1 = any), got [2,3]", shape.Message);

        var input = Assert.Throws<OnnxRuntimeException>(() =>
            session.Run(new Dictionary<string, FloatTensor> { ["latlon"] = new(new float[2], 1, 2) }, ["embedding"]));
        Assert.Contains("has no input 'latlon'", input.Message);
        Assert.Contains("'coords' Float [-1,2]", input.Message);

        var output = Assert.Throws<OnnxRuntimeException>(() => session.Run(Coords(0, 0), ["gps"]));
        Assert.Contains("has no output 'gps'", output.Message);

        var empty = Assert.Throws<ArgumentException>(() =>
            session.Run(new Dictionary<string, FloatTensor> { ["coords"] = new(Array.Empty<float>(), 0, 2) }, ["embedding"]));
        Assert.Contains("empty batch", empty.Message);
    }

    [Fact]
    public void Tensor_data_must_match_its_shape() =>
        Assert.Contains("needs 6 floats but 4 were given",
            Assert.Throws<ArgumentException>(() => new FloatTensor(new float[4], 2, 3)).Message);

    [Fact]
    public void A_missing_model_file_is_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), "g3-no-such-model.onnx");

        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Open(missing));

        Assert.Contains(missing, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void A_corrupt_model_surfaces_ort_error_code_and_message()
    {
        var corrupt = OnnxFixtures.WriteTemp("this is not a protobuf", "corrupt.onnx");

        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Open(corrupt, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu }));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, e.ErrorCode);
        Assert.Contains($"load model '{corrupt}' failed [InvalidProtobuf]", e.Message);
        Assert.False(string.IsNullOrEmpty(e.OrtMessage));
    }

    [Fact]
    public void A_cancelled_token_stops_before_running()
    {
        using var session = OnnxSession.Open(OnnxFixtures.LocationModel);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => session.Run(Coords(0, 0), ["embedding"], cts.Token));
    }

    [Fact]
    public void Cancelling_during_a_run_terminates_it_through_run_options()
    {
        using var session = OnnxSession.Open(OnnxFixtures.ImageModel, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu, IntraOpThreads = 1 });
        // The run must outlast the cancellation: on a fast idle machine 64 photos take a few ms, so the
        // batch grows until one uncancelled run takes at least 40 ms, and the token fires early in the run.
        // A first run pays for ORT's warm-up, so the timed runs below measure the steady state.
        session.Run(new Dictionary<string, FloatTensor> { ["pixels"] = new(OnnxFixtures.DeterministicPixels(64), 64, 3, 224, 224) }, ["image_embedding"]);
        Dictionary<string, FloatTensor> inputs;
        var batch = 64;
        TimeSpan duration;
        while (true)
        {
            inputs = new Dictionary<string, FloatTensor> { ["pixels"] = new(OnnxFixtures.DeterministicPixels(batch), batch, 3, 224, 224) };
            duration = TimeSpan.MaxValue;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var timer = System.Diagnostics.Stopwatch.StartNew();
                session.Run(inputs, ["image_embedding"]);
                duration = timer.Elapsed < duration ? timer.Elapsed : duration;
            }
            if (duration >= TimeSpan.FromMilliseconds(40) || batch >= 512) break;
            batch *= 4;
        }
        // Fire early (a quarter in, at most 10 ms): under load a later run can be much faster than the timed
        // ones, and a token that fires after the run has finished would prove nothing.
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Min(duration.TotalMilliseconds / 4, 10)));

        var e = Assert.ThrowsAny<OperationCanceledException>(() => session.Run(inputs, ["image_embedding"], cts.Token));

        Assert.Equal(cts.Token, e.CancellationToken);
        // The session stays usable after a terminated run.
        Assert.Equal([1L, 48L], session.Run(new Dictionary<string, FloatTensor> { ["pixels"] = new(OnnxFixtures.DeterministicPixels(1), 1, 3, 224, 224) }, ["image_embedding"])[0].Shape);
    }

    [Fact]
    public void A_cancellable_token_that_is_not_cancelled_does_not_disturb_the_run()
    {
        using var session = OnnxSession.Open(OnnxFixtures.LocationModel);
        using var cts = new CancellationTokenSource();

        var withToken = session.Run(Coords(0.3f, 0.1f), ["embedding"], cts.Token)[0];
        var without = session.Run(Coords(0.3f, 0.1f), ["embedding"])[0];

        Assert.Equal(without.Data.ToArray(), withToken.Data.ToArray());
    }

    [Fact]
    public void A_disposed_session_refuses_to_run()
    {
        var session = OnnxSession.Open(OnnxFixtures.LocationModel);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(Coords(0, 0), ["embedding"]));
    }
}
