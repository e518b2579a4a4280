using System.Collections.Concurrent;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Core.Tests.Fakes;

/// <summary>Returns the same embedding for every image, and counts calls.</summary>
internal sealed class FakeImageEncoder(float[] retrieval, float[] gps) : IImageEncoder
{
    public int Calls;

    public Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ImageEmbedding>>(images.Select(_ => new ImageEmbedding(retrieval, gps)).ToList());
    }
}

/// <summary>Brute-force inner-product store over a list.</summary>
internal sealed class InMemoryStore(int dimension) : IReferenceStore
{
    private readonly List<ReferenceRecord> _records = [];
    public int Searches;
    public int Dimension => dimension;

    public Task UpsertAsync(IReadOnlyList<ReferenceRecord> records, CancellationToken cancellationToken)
    {
        _records.AddRange(records);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Searches);
        return Task.FromResult(Ranked(query, k, descending: true));
    }

    public Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Searches);
        return Task.FromResult(Ranked(query, k, descending: false));
    }

    /// <summary>Both ends in one "scan", as the embedded store does; counted once in <see cref="Searches"/>.</summary>
    public Task<ReferenceNeighbours> SearchNeighboursAsync(ReadOnlyMemory<float> query, int k, int kLeast, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Searches);
        Interlocked.Increment(ref NeighbourSearches);
        return Task.FromResult(new ReferenceNeighbours(Ranked(query, k, descending: true), Ranked(query, kLeast, descending: false)));
    }

    public int NeighbourSearches;

    public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult((long)_records.Count);

    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(_records.Select(r => r.Id).Intersect(ids).ToHashSet());

    public Task<int> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        Task.FromResult(_records.RemoveAll(r => ids.Contains(r.Id)));

    internal IReadOnlyList<ReferencePhoto> Ranked(ReadOnlyMemory<float> query, int k, bool descending)
    {
        var q = query.ToArray();
        var scored = _records.Select(r => (r, s: (double)r.Vector.Zip(q, (a, b) => a * b).Sum()));
        scored = descending ? scored.OrderByDescending(x => x.s) : scored.OrderBy(x => x.s);
        return scored.Take(k).Select(x => new ReferencePhoto(x.r.Id, x.r.Point, x.s, x.r.Place)).ToList();
    }
}

/// <summary>Ranks candidates by closeness to a point only it knows: a verifier that is always right.</summary>
internal sealed class OracleVerifier(GeoPoint truth) : IVerifier
{
    public int Calls;
    public IReadOnlyList<Candidate> LastCandidates = [];

    public Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        LastCandidates = candidates;
        var ranked = candidates
            .Select(c => (c, score: -GreatCircle.DistanceKm(c.Point!.Value, truth)))
            .OrderByDescending(x => x.score)
            .Select((x, i) => new ScoredCandidate(x.c, x.score, i))
            .ToList();
        return Task.FromResult(new Verdict(ranked, 0.5));
    }
}

/// <summary>
/// A scriptable LMM stage. By default it answers every sample with a point derived from
/// (variant, sample) so tests can tell candidates apart.
/// </summary>
internal sealed class FakeGenerator : ICandidateGenerator
{
    public int MaxSamplesPerCall { get; init; } = 1;
    public Func<GenerationRequest, CancellationToken, Task>? BeforeAnswer { get; init; }
    public Func<GenerationRequest, int, Candidate>? Answer { get; init; }
    public ConcurrentBag<GenerationRequest> Requests { get; } = [];

    public static GeoPoint PointFor(int variant, int sample) => new(10 + variant, 20 + sample);

    public async Task<IReadOnlyList<Candidate>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        if (BeforeAnswer is not null)
            await BeforeAnswer(request, cancellationToken);
        return Enumerable.Range(request.FirstSampleIndex, request.SampleCount)
            .Select(i => Answer?.Invoke(request, i)
                ?? Candidate.FromLmm(request.Variant, i, PointFor(request.Variant.Index, i), "{\"latitude\": 1, \"longitude\": 2}"))
            .ToList();
    }
}

/// <summary>A store that only knows the two separate searches: exercises the port's default neighbour search.</summary>
internal sealed class TwoSearchStore(InMemoryStore inner) : IReferenceStore
{
    public int Similar, Least;
    public int Dimension => inner.Dimension;
    public Task UpsertAsync(IReadOnlyList<ReferenceRecord> records, CancellationToken cancellationToken) => inner.UpsertAsync(records, cancellationToken);

    public Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Similar);
        return inner.SearchAsync(query, k, cancellationToken);
    }

    public Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Least);
        return inner.SearchLeastSimilarAsync(query, k, cancellationToken);
    }

    public Task<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);
    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => inner.FindExistingAsync(ids, cancellationToken);
    public Task<int> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => inner.DeleteAsync(ids, cancellationToken);
}
