using G3.Core.Candidates;
using G3.Core.Errors;
using G3.Core.Geo;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Core.Tests.Fakes;

namespace G3.Core.Tests.Pipeline;

public class PipelineTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Default_run_verifies_K_times_N_plus_S_candidates()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator();
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options(), cancellationToken: Ct);

        Assert.Equal(40, result.LmmCandidates.Count);
        Assert.Equal(10, result.RetrievedCandidates.Count);
        Assert.Equal(50, result.Ranked.Count);
        Assert.Equal(50, f.Verifier.LastCandidates.Count);
        Assert.False(result.Degraded);
        Assert.Equal(40, generator.Requests.Count);
        // Ranked best first by the verifier; the truth's own photo (ref00) is closest.
        Assert.Equal("ref00", result.Best.Candidate.ReferenceId);
        Assert.Equal(PipelineFixture.Truth, result.Point);
        Assert.True(result.Ranked.Zip(result.Ranked.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(0.5, result.Confidence);
        Assert.Equal(f.Image.Sha256, result.ImageSha256);
    }

    [Fact]
    public async Task Each_prompt_variant_gets_its_number_of_similar_and_dissimilar_references()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator();
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options(), cancellationToken: Ct);

        foreach (var request in generator.Requests)
        {
            var expected = new[] { 0, 5, 10, 15 }[request.Variant.Index];
            Assert.Equal(expected, request.Variant.ReferenceCount);
            Assert.Equal(expected, request.Similar.Count);
            Assert.Equal(expected, request.Dissimilar.Count);
            Assert.Equal(result.Similar.Take(expected).Select(r => r.Id), request.Similar.Select(r => r.Id));
        }
        // Similar = most similar first; dissimilar = least similar first.
        Assert.Equal("ref00", result.Similar[0].Id);
        Assert.Equal("ref29", result.Dissimilar[0].Id);
        Assert.Equal(15, result.Similar.Count); // max(15 references, S = 10)
        Assert.Equal(15, result.Dissimilar.Count);
    }

    [Fact]
    public async Task LMM_candidates_keep_their_provenance_in_variant_then_sample_order()
    {
        var f = new PipelineFixture();
        var result = await f.Pipeline(new FakeGenerator()).RunAsync(f.Image, new G3Options { ReferenceCounts = [0, 5], SamplesPerPrompt = 3 }, cancellationToken: Ct);
        var provenance = result.LmmCandidates.Select(c => (c.Variant!.Value.Index, c.SampleIndex!.Value)).ToList();
        Assert.Equal([(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)], provenance);
        Assert.All(result.LmmCandidates, c => Assert.Equal(FakeGenerator.PointFor(c.Variant!.Value.Index, c.SampleIndex!.Value), c.Point));
        Assert.All(result.RetrievedCandidates, c => Assert.Equal(CandidateSource.Retrieval, c.Source));
        Assert.Equal(Enumerable.Range(0, 10), result.RetrievedCandidates.Select(c => c.Rank!.Value));
    }

    [Fact]
    public async Task All_K_times_N_generations_run_at_the_same_time()
    {
        var f = new PipelineFixture();
        var inFlight = 0;
        var peak = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var generator = new FakeGenerator
        {
            BeforeAnswer = async (_, ct) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref peak, now);
                if (now == 40) allStarted.TrySetResult();
                // Nobody answers until all 40 have started: sequential execution would never get here.
                await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
                Interlocked.Decrement(ref inFlight);
            },
        };
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options(), cancellationToken: Ct);
        Assert.Equal(40, peak);
        Assert.Equal(40, result.LmmCandidates.Count(c => c.IsValid));
    }

    [Fact]
    public async Task Providers_that_return_n_samples_per_call_get_one_call_per_chunk()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator { MaxSamplesPerCall = 4 };
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options { SamplesPerPrompt = 10 }, cancellationToken: Ct);
        // 10 samples in chunks of 4 → 4 + 4 + 2, for each of K = 4 variants.
        Assert.Equal(12, generator.Requests.Count);
        Assert.Equal([2, 4, 4], generator.Requests.Where(r => r.Variant.Index == 0).Select(r => r.SampleCount).Order());
        Assert.Equal(40, result.LmmCandidates.Count);
        Assert.Equal(Enumerable.Range(0, 10), result.LmmCandidates.Where(c => c.Variant!.Value.Index == 2).Select(c => c.SampleIndex!.Value));
    }

    [Fact]
    public async Task Alignment_off_retrieves_nothing_and_prompts_list_no_references()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator();
        var options = new G3Options { Ablations = new Ablations(AlignmentOff: true) };
        var result = await f.Pipeline(generator).RunAsync(f.Image, options, cancellationToken: Ct);

        Assert.Equal(0, f.Store.Searches);
        Assert.Equal(40, result.LmmCandidates.Count);
        Assert.Empty(result.RetrievedCandidates);
        Assert.Equal(40, result.Ranked.Count);
        Assert.All(generator.Requests, r => Assert.Empty(r.Similar));
        Assert.All(generator.Requests, r => Assert.Equal(0, r.Variant.ReferenceCount));
    }

    [Fact]
    public async Task Diversification_off_asks_one_prompt_once()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator();
        var options = new G3Options { Ablations = new Ablations(DiversificationOff: true) };
        var result = await f.Pipeline(generator).RunAsync(f.Image, options, cancellationToken: Ct);

        var request = Assert.Single(generator.Requests);
        Assert.Equal(new PromptVariant(3, 15), request.Variant); // the variant with the most references
        Assert.Equal(1, request.SampleCount);
        Assert.Single(result.LmmCandidates);
        Assert.Equal(11, result.Ranked.Count); // 1 + S
    }

    [Fact]
    public async Task Verification_off_answers_with_the_first_valid_LMM_answer()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator
        {
            // Variant 0 sample 0 is unparsable, so the first valid answer is variant 0 sample 1.
            Answer = (r, i) => r.Variant.Index == 0 && i == 0
                ? Candidate.LmmFailure(r.Variant, i, ParseOutcome.Unparsable, "somewhere nice", "no coordinates")
                : Candidate.FromLmm(r.Variant, i, FakeGenerator.PointFor(r.Variant.Index, i), "{}"),
        };
        var options = new G3Options { Ablations = new Ablations(VerificationOff: true) };
        var result = await f.Pipeline(generator).RunAsync(f.Image, options, cancellationToken: Ct);

        Assert.Equal(0, f.Verifier.Calls);
        Assert.Equal(FakeGenerator.PointFor(0, 1), result.Point);
        Assert.Null(result.Best.Score);
        Assert.Null(result.Confidence);
        Assert.Equal(49, result.Ranked.Count); // 39 valid LMM + 10 retrieved
    }

    [Fact]
    public async Task Failed_LMM_stage_degrades_to_retrieval_candidates()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator { BeforeAnswer = (_, _) => throw new HttpRequestException("503 Service Unavailable") };
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options(), cancellationToken: Ct);

        Assert.True(result.Degraded);
        Assert.Contains("40 provider errors", result.DegradedReason, StringComparison.Ordinal);
        Assert.Equal(40, result.LmmCandidates.Count);
        Assert.All(result.LmmCandidates, c =>
        {
            Assert.Equal(ParseOutcome.ProviderError, c.Outcome);
            Assert.Contains("503", c.Error, StringComparison.Ordinal);
        });
        Assert.Equal(10, result.Ranked.Count);
        Assert.All(result.Ranked, s => Assert.Equal(CandidateSource.Retrieval, s.Candidate.Source));
        Assert.Equal("ref00", result.Best.Candidate.ReferenceId);
    }

    [Fact]
    public async Task Unparsable_answers_degrade_too_and_are_counted()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator { Answer = (r, i) => Candidate.LmmFailure(r.Variant, i, ParseOutcome.Unparsable, "I cannot tell", "no coordinates") };
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options { ReferenceCounts = [0], SamplesPerPrompt = 5 }, cancellationToken: Ct);
        Assert.True(result.Degraded);
        Assert.Contains("5 unparsable answers", result.DegradedReason, StringComparison.Ordinal);
        Assert.All(result.LmmCandidates, c => Assert.Equal("I cannot tell", c.RawText));
    }

    [Fact]
    public async Task With_S_zero_and_no_LMM_answer_the_most_similar_photo_still_answers()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator { BeforeAnswer = (_, _) => throw new TimeoutException("slow") };
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options { RetrievedCandidates = 0 }, cancellationToken: Ct);
        Assert.True(result.Degraded);
        Assert.Equal("ref00", result.Best.Candidate.ReferenceId);
    }

    [Fact]
    public async Task Without_an_LMM_the_answer_comes_from_retrieval_and_is_not_degraded()
    {
        var f = new PipelineFixture();
        var result = await f.Pipeline(generator: null).RunAsync(f.Image, new G3Options(), cancellationToken: Ct);
        Assert.False(result.Degraded);
        Assert.Empty(result.LmmCandidates);
        Assert.Equal(10, result.Ranked.Count);
        Assert.Empty(result.Dissimilar); // nobody would read them
        Assert.Equal(PipelineFixture.Truth, result.Point);
    }

    [Fact]
    public async Task Nothing_retrieved_and_no_LMM_is_a_typed_failure()
    {
        var f = new PipelineFixture(references: 0);
        var ex = await Assert.ThrowsAsync<GeolocationFailedException>(
            () => f.Pipeline(generator: null).RunAsync(f.Image, new G3Options(), cancellationToken: Ct));
        Assert.Contains("No candidate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_fail_before_any_stage_runs()
    {
        var f = new PipelineFixture();
        await Assert.ThrowsAsync<G3OptionsException>(
            () => f.Pipeline(new FakeGenerator()).RunAsync(f.Image, new G3Options { SamplesPerPrompt = 0 }, cancellationToken: Ct));
        Assert.Equal(0, f.Encoder.Calls);
        Assert.Equal(0, f.Store.Searches);
    }

    [Fact]
    public async Task Generations_still_running_at_the_deadline_are_cancelled_and_the_rest_is_used()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator
        {
            // Variant 3 never answers on its own; everything else answers at once.
            BeforeAnswer = (r, ct) => r.Variant.Index == 3 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask,
        };
        var options = new G3Options { GenerationDeadline = TimeSpan.FromMilliseconds(200) };
        var result = await f.Pipeline(generator).RunAsync(f.Image, options, cancellationToken: Ct);

        Assert.False(result.Degraded);
        Assert.Equal(30, result.LmmCandidates.Count(c => c.IsValid));
        var late = result.LmmCandidates.Where(c => c.Variant!.Value.Index == 3).ToList();
        Assert.Equal(10, late.Count);
        Assert.All(late, c =>
        {
            Assert.Equal(ParseOutcome.ProviderError, c.Outcome);
            Assert.Contains("deadline", c.Error, StringComparison.Ordinal);
        });
        Assert.Equal(40, result.Ranked.Count);
    }

    [Fact]
    public async Task Caller_cancellation_stops_the_request()
    {
        var f = new PipelineFixture();
        using var cts = new CancellationTokenSource();
        var started = 0;
        var generator = new FakeGenerator
        {
            BeforeAnswer = async (_, ct) =>
            {
                if (Interlocked.Increment(ref started) == 40) await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => f.Pipeline(generator).RunAsync(f.Image, new G3Options(), cancellationToken: cts.Token));
        Assert.Equal(0, f.Verifier.Calls);
    }

    [Fact]
    public async Task A_cancelled_token_stops_before_encoding()
    {
        var f = new PipelineFixture();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => f.Pipeline(new FakeGenerator()).RunAsync(f.Image, new G3Options(), cancellationToken: cts.Token));
        Assert.Equal(0, f.Store.Searches);
    }

    [Fact]
    public async Task A_generator_that_returns_too_few_samples_is_held_to_its_contract()
    {
        var f = new PipelineFixture();
        var generator = new ShortGenerator();
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options { ReferenceCounts = [0], SamplesPerPrompt = 4 }, cancellationToken: Ct);
        Assert.Equal(4, result.LmmCandidates.Count);
        Assert.Equal(2, result.LmmCandidates.Count(c => c.IsValid));
        Assert.Equal(2, result.LmmCandidates.Count(c => c.Outcome == ParseOutcome.ProviderError));
    }

    [Fact]
    public async Task Events_report_references_candidates_and_stages_in_order()
    {
        var f = new PipelineFixture();
        var events = new List<PipelineEvent>();
        await f.Pipeline(new FakeGenerator()).RunAsync(f.Image, new G3Options(), events.Add, Ct);

        var stages = events.OfType<StageCompleted>().Select(e => e.Stage).ToList();
        Assert.Equal([Stages.Encode, Stages.Retrieve, Stages.Generate, Stages.Verify], stages);
        var refs = Assert.Single(events.OfType<ReferencesFound>());
        Assert.Equal(15, refs.Similar.Count);
        var arrivals = events.OfType<CandidatesArrived>().ToList();
        Assert.Equal(40, arrivals.Count);
        Assert.Equal(Enumerable.Range(1, 40), arrivals.Select(a => a.Arrived).Order());
        Assert.All(arrivals, a => Assert.Equal(40, a.Expected));
        Assert.True(events.IndexOf(refs) < events.IndexOf(arrivals[0]));
    }

    [Fact]
    public async Task Timings_cover_every_stage()
    {
        var f = new PipelineFixture();
        var generator = new FakeGenerator { BeforeAnswer = (_, ct) => Task.Delay(20, ct) };
        var result = await f.Pipeline(generator).RunAsync(f.Image, new G3Options { ReferenceCounts = [0], SamplesPerPrompt = 1 }, cancellationToken: Ct);
        var t = result.Timings;
        Assert.True(t.Generate > TimeSpan.Zero);
        Assert.True(t.Total >= t.Encode + t.Retrieve + t.Generate + t.Verify);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    /// <summary>Answers only half of what it was asked for.</summary>
    private sealed class ShortGenerator : G3.Core.Ports.ICandidateGenerator
    {
        public int MaxSamplesPerCall => 4;

        public Task<IReadOnlyList<Candidate>> GenerateAsync(G3.Core.Ports.GenerationRequest request, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Candidate>>([
                Candidate.FromLmm(request.Variant, 0, new GeoPoint(1, 1), "a"),
                Candidate.FromLmm(request.Variant, 1, new GeoPoint(2, 2), "b"),
            ]);
    }

    [Fact]
    public async Task Retrieval_asks_the_store_once_for_both_ends()
    {
        var f = new PipelineFixture();
        var result = await f.Pipeline(new FakeGenerator()).RunAsync(f.Image, new G3Options(), cancellationToken: Ct);

        Assert.Equal(1, f.Store.NeighbourSearches);
        Assert.Equal(1, f.Store.Searches);
        Assert.Equal(15, result.Similar.Count);
        Assert.Equal(15, result.Dissimilar.Count);
        Assert.Equal("ref00", result.Similar[0].Id);
        Assert.Equal("ref29", result.Dissimilar[0].Id);
    }

    [Fact]
    public async Task A_store_without_a_combined_search_gets_the_default_of_two_searches_with_the_same_answer()
    {
        var f = new PipelineFixture();
        var twoSearch = new TwoSearchStore(f.Store);
        var viaDefault = await ((IReferenceStore)twoSearch).SearchNeighboursAsync(new float[] { 1f, 0f, 0f }, 4, 3, Ct);

        Assert.Equal(1, twoSearch.Similar);
        Assert.Equal(1, twoSearch.Least);
        Assert.Equal(["ref00", "ref01", "ref02", "ref03"], viaDefault.Similar.Select(p => p.Id));
        Assert.Equal(["ref29", "ref28", "ref27"], viaDefault.Dissimilar.Select(p => p.Id));

        var none = await ((IReferenceStore)twoSearch).SearchNeighboursAsync(new float[] { 1f, 0f, 0f }, 2, 0, Ct);
        Assert.Equal(2, none.Similar.Count);
        Assert.Empty(none.Dissimilar);
        Assert.Equal(1, twoSearch.Least); // k = 0 asks nothing
    }
}
