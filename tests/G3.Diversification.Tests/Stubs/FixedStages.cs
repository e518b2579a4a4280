using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Diversification.Tests.Stubs;

// The pipeline's other stages, fixed, for tests of the LMM stage inside the whole pipeline.

internal sealed class FixedEncoder : IImageEncoder
{
    public Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ImageEmbedding>>(images.Select(_ => new ImageEmbedding([1f], [1f])).ToList());
}

internal sealed class FifteenReferences : IReferenceStore
{
    private static readonly List<ReferencePhoto> All = Enumerable.Range(0, 30)
        .Select(i => new ReferencePhoto($"r{i}", new GeoPoint(40 + i * 0.1, 2 + i * 0.1), 1 - i / 100.0)).ToList();

    public int Dimension => 1;
    public Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReferencePhoto>>(All.Take(k).ToList());
    public Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReferencePhoto>>(All.AsEnumerable().Reverse().Take(k).ToList());
    public Task UpsertAsync(IReadOnlyList<ReferenceRecord> records, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult(30L);
    public Task<int> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => throw new NotSupportedException();
}

internal sealed class KeepOrderVerifier : IVerifier
{
    public Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken) =>
        Task.FromResult(new Verdict(candidates.Select((c, i) => new ScoredCandidate(c, -i, i)).ToList()));
}
