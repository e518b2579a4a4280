using System.Diagnostics;
using G3.Core.Candidates;
using G3.Core.Errors;
using G3.Core.Options;
using G3.Core.Ports;
using G3.Core.Usage;
using G3.Core.Views;

namespace G3.Core.Pipeline;

/// <summary>
/// G3 end to end, over the stage ports: encode → retrieve → K×N generations concurrently → add S
/// retrieved → verify. The LMM stage is optional (<c>generator: null</c> answers from retrieval);
/// when it yields no valid candidate the request is answered from retrieval and marked degraded.
/// </summary>
public sealed class G3Pipeline
{
    private readonly IImageEncoder _imageEncoder;
    private readonly IReferenceStore _store;
    private readonly IVerifier _verifier;
    private readonly ICandidateGenerator? _generator;
    private readonly IOutOfDistributionCheck? _outOfDistribution;
    private readonly IPlaceLevels? _levels;

    /// <param name="outOfDistribution">Optional out-of-distribution check over the retrieved photos (the model manifest's).</param>
    /// <param name="levels">Optional answers per level (country, region, city) from the verifier's probabilities.</param>
    public G3Pipeline(IImageEncoder imageEncoder, IReferenceStore store, IVerifier verifier, ICandidateGenerator? generator,
        IOutOfDistributionCheck? outOfDistribution = null, IPlaceLevels? levels = null)
    {
        _levels = levels;
        _imageEncoder = imageEncoder;
        _store = store;
        _verifier = verifier;
        _generator = generator;
        _outOfDistribution = outOfDistribution;
    }

    /// <summary>Whether this pipeline asks an LMM (false: provider "none").</summary>
    public bool HasGenerator => _generator is not null;

    /// <summary>
    /// The model's same-place similarity threshold (manifest "viewAgreement"): two photos of one query whose retrieval
    /// embeddings are less similar than this are reported as disagreeing. Null: pairs are reported, not judged.
    /// </summary>
    public double? ViewAgreementThreshold { get; init; }

    /// <summary>One photo: the query of that photo alone.</summary>
    public Task<GeolocationResult> RunAsync(
        QueryImage image, G3Options options, Action<PipelineEvent>? onEvent = null, CancellationToken cancellationToken = default) =>
        RunAsync(new PlaceQuery(image), options, onEvent, cancellationToken);

    /// <summary>
    /// Several photos of one place: each is encoded, retrieval and verification use their weighted mean embedding
    /// (<see cref="G3Options.ImageWeights"/>), the LMM sees all of them, and how far apart they are is reported
    /// (<see cref="GeolocationResult.Views"/>).
    /// </summary>
    public async Task<GeolocationResult> RunAsync(
        PlaceQuery query, G3Options options, Action<PipelineEvent>? onEvent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        options.EnsureValid();
        if (options.ImageWeights is { Count: > 0 } given && given.Count != query.Images.Count)
            throw new G3OptionsException([$"ImageWeights lists {given.Count} weights for {query.Images.Count} images; give one weight per image (or none)."]);
        var image = query.Images[0];
        var events = new EventSink(onEvent);
        var total = Stopwatch.StartNew();

        events.Publish(new StageStarted(Stages.Encode));
        var sw = Stopwatch.StartNew();
        ImageEmbedding embedding;
        ViewAgreement? views = null;
        if (query.Images.Count == 1)
            embedding = await _imageEncoder.EncodeAsync(image, cancellationToken).ConfigureAwait(false);
        else
        {
            // All photos in one batch; retrieval and verification then see one embedding, their weighted mean.
            var each = await _imageEncoder.EncodeBatchAsync(query.Images, cancellationToken).ConfigureAwait(false);
            var weights = ViewCombiner.NormalizedWeights(each.Count, options.ImageWeights);
            embedding = ViewCombiner.Combine(each, weights);
            views = ViewAgreement.Assess(each, weights, ViewAgreementThreshold);
        }
        var encodeTime = sw.Elapsed;
        events.Publish(new StageCompleted(Stages.Encode, encodeTime));

        sw.Restart();
        var (similar, dissimilar) = await RetrieveAsync(embedding, options, events, cancellationToken).ConfigureAwait(false);
        var retrieveTime = sw.Elapsed;

        sw.Restart();
        var calls = new LmmCallLog();
        var lmm = await GenerateAsync(query, options, similar, dissimilar, calls, events, cancellationToken).ConfigureAwait(false);
        var generateTime = sw.Elapsed;

        var retrieved = similar.Take(options.RetrievedCandidates).Select(Candidate.FromReference).ToList();
        var validLmm = lmm.Where(c => c.IsValid).ToList();

        string? degradedReason = null;
        if (_generator is not null && lmm.Count > 0 && validLmm.Count == 0)
            degradedReason = DescribeLmmFailure(lmm);
        if (validLmm.Count == 0 && retrieved.Count == 0 && similar.Count > 0)
        {
            // S = 0 and no LMM answer: still answer, from the most similar photo.
            retrieved = [Candidate.FromReference(similar[0], 0)];
            degradedReason ??= "no candidate was requested besides the LMM's; answered from the most similar photo";
        }

        var pool = validLmm.Concat(retrieved).ToList();
        if (pool.Count == 0)
        {
            throw new GeolocationFailedException(_generator is null || options.Ablations.AlignmentOff && lmm.Count == 0
                ? "No candidate location: nothing was retrieved and no LMM is configured."
                : "No candidate location: nothing was retrieved and the LMM gave no valid answer ("
                  + DescribeLmmFailure(lmm) + ").");
        }

        events.Publish(new StageStarted(Stages.Verify));
        sw.Restart();
        var verification = options.Ablations.VerificationOff
            ? FirstValidOrder.Rank(pool)
            : await _verifier.VerifyAsync(embedding, pool, cancellationToken).ConfigureAwait(false);
        var verifyTime = sw.Elapsed;
        events.Publish(new StageCompleted(Stages.Verify, verifyTime));

        if (verification.Ranked.Count == 0)
            throw new GeolocationFailedException("The verifier ranked no candidate.");

        return new GeolocationResult
        {
            Best = verification.Ranked[0],
            Ranked = verification.Ranked,
            Probabilities = verification.Probabilities,
            LmmCandidates = lmm,
            LmmCalls = calls.Calls,
            RetrievedCandidates = retrieved,
            Similar = similar,
            Dissimilar = dissimilar,
            Confidence = verification.Confidence,
            OutOfDistribution = _outOfDistribution?.Assess(embedding, similar),
            Agreement = verification.Agreement,
            // Only a verifier with probabilities can say how mass splits between places (not with verification off or a baseline selector).
            Levels = _levels is not null && verification.Probabilities is { } probabilities
                ? _levels.Estimate(verification.Ranked, probabilities) : null,
            Degraded = degradedReason is not null,
            DegradedReason = degradedReason,
            Timings = new StageTimings(encodeTime, retrieveTime, generateTime, verifyTime, total.Elapsed),
            Options = options,
            ImageSha256 = query.Sha256,
            Views = views,
        };
    }

    private async Task<(IReadOnlyList<ReferencePhoto> Similar, IReadOnlyList<ReferencePhoto> Dissimilar)> RetrieveAsync(
        ImageEmbedding embedding, G3Options options, EventSink events, CancellationToken cancellationToken)
    {
        if (options.Ablations.AlignmentOff)
            return ([], []);

        var maxReferences = PlannedVariants(options).Max(v => v.ReferenceCount);
        var kSimilar = Math.Max(maxReferences, options.RetrievedCandidates);
        if (kSimilar == 0)
            return ([], []);

        events.Publish(new StageStarted(Stages.Retrieve));
        var sw = Stopwatch.StartNew();
        // Dissimilar references only matter to RAG prompts, and only when an LMM will read them.
        var kDissimilar = maxReferences > 0 && _generator is not null ? maxReferences : 0;
        // Both directions in one call: one scan of the embedded store, one round trip to Qdrant.
        var neighbours = await _store.SearchNeighboursAsync(embedding.Retrieval, kSimilar, kDissimilar, cancellationToken).ConfigureAwait(false);
        var result = (neighbours.Similar, neighbours.Dissimilar);
        events.Publish(new ReferencesFound(result.Item1, result.Item2));
        events.Publish(new StageCompleted(Stages.Retrieve, sw.Elapsed));
        return result;
    }

    /// <summary>The prompt variants this run uses: all K, or (diversification off) the one with the most references.</summary>
    private static List<PromptVariant> PlannedVariants(G3Options options)
    {
        var variants = options.ReferenceCounts.Select((count, i) => new PromptVariant(i, count)).ToList();
        return options.Ablations.DiversificationOff ? [variants.MaxBy(v => v.ReferenceCount)] : variants;
    }

    private async Task<IReadOnlyList<Candidate>> GenerateAsync(
        PlaceQuery query, G3Options options, IReadOnlyList<ReferencePhoto> similar, IReadOnlyList<ReferencePhoto> dissimilar,
        LmmCallLog calls, EventSink events, CancellationToken cancellationToken)
    {
        if (_generator is null)
            return [];

        var samples = options.Ablations.DiversificationOff ? 1 : options.SamplesPerPrompt;
        var perCall = Math.Max(1, _generator.MaxSamplesPerCall);
        var requests = new List<GenerationRequest>();
        foreach (var planned in PlannedVariants(options))
        {
            // A variant lists as many references as were actually retrieved (none with alignment off).
            var variant = planned with { ReferenceCount = Math.Min(planned.ReferenceCount, similar.Count) };
            var sim = similar.Take(variant.ReferenceCount).ToList();
            var dis = dissimilar.Take(variant.ReferenceCount).ToList();
            for (var first = 0; first < samples; first += perCall)
                requests.Add(new GenerationRequest(query.Images[0], variant, sim, dis, first, Math.Min(perCall, samples - first),
                    options.Temperature, options.ReferencePlaceText) { Images = query.Images, Budget = options.GenerationDeadline, Calls = calls });
        }

        events.Publish(new StageStarted(Stages.Generate));
        var sw = Stopwatch.StartNew();
        var expected = requests.Sum(r => r.SampleCount);
        var arrived = 0;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.GenerationDeadline is { } limit)
            deadline.CancelAfter(limit);

        // Every generation starts now; none waits for another.
        var tasks = requests.Select(async request =>
        {
            var candidates = await GenerateOneAsync(request, deadline.Token, cancellationToken).ConfigureAwait(false);
            var count = Interlocked.Add(ref arrived, candidates.Count);
            events.Publish(new CandidatesArrived(candidates, count, expected));
            return candidates;
        }).ToList();
        var chunks = await Task.WhenAll(tasks).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        events.Publish(new StageCompleted(Stages.Generate, sw.Elapsed));

        return chunks.SelectMany(c => c)
            .OrderBy(c => c.Variant?.Index ?? int.MaxValue)
            .ThenBy(c => c.SampleIndex ?? int.MaxValue)
            .ToList();
    }

    private async Task<IReadOnlyList<Candidate>> GenerateOneAsync(
        GenerationRequest request, CancellationToken deadlineToken, CancellationToken callerToken)
    {
        try
        {
            var produced = await _generator!.GenerateAsync(request, deadlineToken).ConfigureAwait(false);
            return Normalize(request, produced);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return Failures(request, "cancelled at the generation deadline");
        }
#pragma warning disable CA1031 // A provider failure of any kind degrades the answer; it must not fail the request.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failures(request, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// Holds a generator to its contract: exactly one candidate per requested sample, stamped with the
    /// request's variant and sample indices; missing samples become provider errors.
    /// </summary>
    private static List<Candidate> Normalize(GenerationRequest request, IReadOnlyList<Candidate> produced)
    {
        var result = new List<Candidate>(request.SampleCount);
        for (var i = 0; i < request.SampleCount; i++)
        {
            var sampleIndex = request.FirstSampleIndex + i;
            result.Add(i < produced.Count
                ? produced[i] with { Source = CandidateSource.Lmm, Variant = request.Variant, SampleIndex = sampleIndex }
                : Candidate.LmmFailure(request.Variant, sampleIndex, ParseOutcome.ProviderError, null, "the provider returned fewer samples than requested"));
        }
        return result;
    }

    private static List<Candidate> Failures(GenerationRequest request, string error) =>
        Enumerable.Range(request.FirstSampleIndex, request.SampleCount)
            .Select(i => Candidate.LmmFailure(request.Variant, i, ParseOutcome.ProviderError, null, error))
            .ToList();

    private static string DescribeLmmFailure(IReadOnlyList<Candidate> lmm)
    {
        var byOutcome = lmm.GroupBy(c => c.Outcome).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key switch
            {
                ParseOutcome.ProviderError => "provider errors",
                ParseOutcome.Unparsable => "unparsable answers",
                ParseOutcome.Invalid => "invalid coordinates",
                _ => "parsed",
            }}");
        return $"the LMM stage produced no valid candidate out of {lmm.Count} ({string.Join(", ", byOutcome)})";
    }

    /// <summary>Delivers events one at a time, even when generations complete concurrently.</summary>
    private sealed class EventSink(Action<PipelineEvent>? onEvent)
    {
        private readonly Lock _gate = new();

        public void Publish(PipelineEvent e)
        {
            if (onEvent is null) return;
            lock (_gate) onEvent(e);
        }
    }
}
