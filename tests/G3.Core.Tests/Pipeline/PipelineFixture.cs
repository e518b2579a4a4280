using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Core.Tests.Fakes;

namespace G3.Core.Tests.Pipeline;

/// <summary>A small world: 30 reference photos, a query image, and in-memory stages.</summary>
internal sealed class PipelineFixture
{
    public static readonly GeoPoint Truth = new(45.76, 4.84); // Lyon

    public FakeImageEncoder Encoder { get; } = new([1f, 0f, 0f], [0f, 1f, 0f]);
    public InMemoryStore Store { get; } = new(3);
    public OracleVerifier Verifier { get; } = new(Truth);
    public QueryImage Image { get; } = new(new byte[] { 1, 2, 3, 4 }, "image/jpeg");

    public PipelineFixture(int references = 30)
    {
        // Reference i has similarity 1 - i/100 to the query, and sits i degrees east of the truth.
        var records = Enumerable.Range(0, references).Select(i => new ReferenceRecord(
            $"ref{i:00}", [1f - i / 100f, i / 100f, 0f], new GeoPoint(Truth.Latitude, Truth.Longitude + i), new Place(City: $"City{i}")));
        Store.UpsertAsync(records.ToList(), CancellationToken.None).GetAwaiter().GetResult();
    }

    public G3Pipeline Pipeline(ICandidateGenerator? generator) => new(Encoder, Store, Verifier, generator);
}
