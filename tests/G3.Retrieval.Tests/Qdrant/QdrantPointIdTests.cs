using G3.Retrieval.Qdrant;

namespace G3.Retrieval.Tests.Qdrant;

public class QdrantPointIdTests
{
    [Theory]
    // Pinned values computed independently (Python: sha256(namespace.bytes + utf8(id))[:16], version 8, RFC variant).
    // If these change, every point already stored becomes unreachable.
    [InlineData("a1/b2/123.jpg", "b5cf5de1-ee9f-8c0c-bc89-3d4adce47c77")]
    [InlineData("é/ü.jpg", "74d34942-ca87-875d-8249-631a566fd582")]
    public void Maps_an_id_to_its_pinned_name_based_uuid(string id, string expected) =>
        Assert.Equal(expected, QdrantPointId.FromId(id));

    [Fact]
    public void Is_a_version_8_rfc_variant_uuid_and_distinct_per_id()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"x{i % 7}/y{i}.jpg").ToList();
        var uuids = ids.Select(QdrantPointId.FromId).ToList();
        Assert.Equal(ids.Count, uuids.Distinct().Count());
        foreach (var u in uuids)
        {
            Assert.True(Guid.TryParseExact(u, "D", out _), u);
            Assert.Equal('8', u[14]);
            Assert.Contains(u[19], "89ab");
            Assert.Equal(u.ToLowerInvariant(), u);
        }
    }

    [Fact]
    public void Refuses_an_empty_id() => Assert.Throws<ArgumentException>(() => QdrantPointId.FromId(""));
}
