using System.Text.Json.Nodes;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using static G3.Retrieval.Tests.Embedded.StoreTestData;

namespace G3.Retrieval.Tests.Embedded;

public sealed class EmbeddedStorePersistenceTests
{
    [Theory]
    [InlineData(StoreElementType.Float32)]
    [InlineData(StoreElementType.Float16)]
    public async Task A_reopened_store_holds_what_was_committed(StoreElementType type)
    {
        using var dir = new TempDirectory();
        var records = RandomRecords(500, 32, seed: 2, unit: true);
        using (var store = CreateStore(dir.Path, 32, type))
        {
            await store.UpsertAsync(records[..300], CancellationToken.None);
            await store.UpsertAsync(records[300..], CancellationToken.None);
            await store.DeleteAsync([records[7].Id], CancellationToken.None);
        }
        using var reopened = EmbeddedReferenceStore.Open(dir.Path, Model, 32);
        Assert.Equal(type, reopened.ElementType);
        Assert.Equal(499, await reopened.CountAsync(CancellationToken.None));
        Assert.False(reopened.Contains(records[7].Id));
        var existing = await reopened.FindExistingAsync([records[7].Id, records[8].Id, "never-stored", records[499].Id], CancellationToken.None);
        Assert.Equal(new[] { records[8].Id, records[499].Id }.Order(StringComparer.Ordinal), existing.Order(StringComparer.Ordinal));
        var tolerance = type == StoreElementType.Float32 ? 0f : 1e-3f;
        foreach (var record in records.Where((_, i) => i != 7))
        {
            var stored = reopened.ReadVector(record.Id)!;
            Assert.All(stored.Zip(record.Vector), p => Assert.InRange(p.First - p.Second, -tolerance, tolerance));
        }
        var hit = (await reopened.SearchAsync(records[42].Vector, 1, CancellationToken.None)).Single();
        Assert.Equal(records[42].Id, hit.Id);
        Assert.Equal(records[42].Place, hit.Place);
    }

    [Fact]
    public async Task Upsert_of_an_existing_id_replaces_it_and_delete_is_durable()
    {
        using var dir = new TempDirectory();
        using (var store = CreateStore(dir.Path, 3))
        {
            await store.UpsertAsync([new("a", [1, 0, 0], new GeoPoint(1, 1)), new("b", [0, 1, 0], new GeoPoint(2, 2))], CancellationToken.None);
            // Replace "a" (now pointing along z) and, within one batch, "c" twice: the last one wins.
            await store.UpsertAsync([
                new("a", [0, 0, 1], new GeoPoint(3, 3)),
                new("c", [1, 0, 0], new GeoPoint(4, 4)),
                new("c", [0.5f, 0.5f, 0], new GeoPoint(5, 5)),
            ], CancellationToken.None);
            Assert.Equal(3, store.Count);
            var all = await store.SearchAsync(new float[] { 1, 0, 0 }, 10, CancellationToken.None);
            // c scores 0.5; a and b both score 0, and b's row (1) precedes the replacement a's row (3).
            Assert.Equal(["c", "b", "a"], all.Select(p => p.Id));
            Assert.Equal(new GeoPoint(3, 3), all.Single(p => p.Id == "a").Point);
            Assert.Equal(new GeoPoint(5, 5), all.Single(p => p.Id == "c").Point);
            Assert.Equal(0.5, all.Single(p => p.Id == "c").Similarity, 6);

            Assert.Equal(1, await store.DeleteAsync(["b", "missing", "b"], CancellationToken.None));
            Assert.Equal(0, await store.DeleteAsync(["b"], CancellationToken.None));
        }
        using var reopened = EmbeddedReferenceStore.Open(dir.Path, Model, 3);
        Assert.Equal(2, reopened.Count);
        var hits = await reopened.SearchAsync(new float[] { 0, 1, 0 }, 10, CancellationToken.None);
        Assert.Equal(["c", "a"], hits.Select(p => p.Id));
        Assert.Equal(new GeoPoint(3, 3), hits[1].Point);
    }

    [Fact]
    public void A_store_of_another_model_or_dimension_refuses_to_open_naming_both()
    {
        using var dir = new TempDirectory();
        CreateStore(dir.Path, 16).Dispose();

        var model = Assert.Throws<StoreMismatchException>(() => EmbeddedReferenceStore.Open(dir.Path, "other-model", 16));
        Assert.Contains("'test-model'", model.Message);
        Assert.Contains("'other-model'", model.Message);
        var dimension = Assert.Throws<StoreMismatchException>(() => EmbeddedReferenceStore.Open(dir.Path, Model, 768));
        Assert.Contains("16-dimensional", dimension.Message);
        Assert.Contains("768", dimension.Message);
    }

    [Fact]
    public void Missing_and_existing_stores_are_reported()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<ReferenceStoreException>(() => EmbeddedReferenceStore.Open(dir.Path, Model, 4));
        Assert.Contains("no embedded reference store", missing.Message);
        CreateStore(dir.Path, 4).Dispose();
        Assert.Throws<ReferenceStoreException>(() => CreateStore(dir.Path, 4));
        using var opened = EmbeddedReferenceStore.OpenOrCreate(new EmbeddedStoreOptions { Directory = dir.Path, ModelId = Model, Dimension = 4 });
        Assert.Equal(4, opened.Dimension);
    }

    [Fact]
    public async Task A_second_writer_is_refused_but_read_only_opens_are_allowed()
    {
        using var dir = new TempDirectory();
        using var writer = CreateStore(dir.Path, 4);
        // The lock is per open file description, so a second open in the same process conflicts too.
        var locked = Assert.Throws<ReferenceStoreException>(() => EmbeddedReferenceStore.Open(dir.Path, Model, 4));
        Assert.Contains("open for writing", locked.Message);
        using var reader = EmbeddedReferenceStore.Open(new EmbeddedStoreOptions { Directory = dir.Path, ModelId = Model, Dimension = 4, ReadOnly = true });
        Assert.True(reader.IsReadOnly);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.DeleteAsync(["x"], CancellationToken.None));
    }

    [Fact]
    public async Task Readers_keep_their_snapshot_while_the_writer_commits()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 64);
        var records = RandomRecords(2000, 64, seed: 30);
        await store.UpsertAsync(records[..100], CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var query = records[0].Vector;
        var reader = Task.Run(async () =>
        {
            var searches = 0;
            while (!stop.IsCancellationRequested)
            {
                var hits = await store.SearchAsync(query, 5, CancellationToken.None);
                Assert.Equal(records[0].Id, hits[0].Id);
                Assert.Equal(hits.Count, hits.Select(h => h.Id).Distinct().Count());
                searches++;
            }
            return searches;
        });
        for (var start = 100; start < records.Length; start += 100)
            await store.UpsertAsync(records[start..(start + 100)], CancellationToken.None);
        await stop.CancelAsync();
        Assert.True(await reader > 0);
        Assert.Equal(records.Length, store.Count);
    }

    [Fact]
    public async Task Uncommitted_bytes_after_the_last_commit_are_ignored_and_cut_off()
    {
        using var dir = new TempDirectory();
        var records = RandomRecords(50, 8, seed: 4);
        using (var store = CreateStore(dir.Path, 8))
            await store.UpsertAsync(records, CancellationToken.None);
        // What a process killed between the data writes and the manifest rename leaves behind.
        var vectorsLength = new FileInfo(Path.Combine(dir.Path, "vectors.bin")).Length;
        await File.AppendAllTextAsync(Path.Combine(dir.Path, "vectors.bin"), new string('x', 100));
        await File.AppendAllTextAsync(Path.Combine(dir.Path, "payloads.bin"), "half a record");
        await File.AppendAllTextAsync(Path.Combine(dir.Path, "tombstones.bin"), "\u0001\u0002\u0003");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "manifest.json.tmp"), "{ \"format\": ");

        using var reopened = EmbeddedReferenceStore.Open(dir.Path, Model, 8);
        Assert.Equal(50, reopened.Count);
        Assert.Equal(vectorsLength, new FileInfo(Path.Combine(dir.Path, "vectors.bin")).Length);
        Assert.False(File.Exists(Path.Combine(dir.Path, "manifest.json.tmp")));
        await reopened.UpsertAsync(RandomRecords(5, 8, seed: 5, prefix: "more"), CancellationToken.None);
        Assert.Equal(55, (await reopened.SearchAsync(records[0].Vector, 100, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("vectors.bin")]
    [InlineData("payloads.bin")]
    [InlineData("tombstones.bin")]
    public async Task A_truncated_data_file_is_a_corrupt_store(string file)
    {
        using var dir = new TempDirectory();
        using (var store = CreateStore(dir.Path, 8))
        {
            await store.UpsertAsync(RandomRecords(20, 8, seed: 6), CancellationToken.None);
            await store.DeleteAsync(["img/0/0.jpg"], CancellationToken.None);
        }
        var path = Path.Combine(dir.Path, file);
        await using (var stream = new FileStream(path, FileMode.Open))
            stream.SetLength(stream.Length - 3);
        var error = Assert.Throws<StoreCorruptException>(() => EmbeddedReferenceStore.Open(dir.Path, Model, 8));
        Assert.Contains("truncated", error.Message);
        Assert.Contains(file, error.Message);
    }

    [Theory]
    [InlineData("vectors.bin", 17)]
    [InlineData("payloads.bin", 30)]
    [InlineData("tombstones.bin", 0)]
    public async Task A_flipped_byte_fails_the_checksum(string file, int offset)
    {
        using var dir = new TempDirectory();
        using (var store = CreateStore(dir.Path, 8))
        {
            await store.UpsertAsync(RandomRecords(20, 8, seed: 6), CancellationToken.None);
            await store.DeleteAsync(["img/0/0.jpg"], CancellationToken.None);
        }
        var path = Path.Combine(dir.Path, file);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[offset] ^= 0x40;
        await File.WriteAllBytesAsync(path, bytes);
        var error = Assert.Throws<StoreCorruptException>(() => EmbeddedReferenceStore.Open(dir.Path, Model, 8));
        Assert.Contains("checksum", error.Message);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"format\":\"something-else\",\"dimension\":8,\"elementType\":\"float32\",\"modelId\":\"test-model\"}")]
    [InlineData("{\"format\":\"g3-embedded-reference-store\",\"formatVersion\":99,\"dimension\":8,\"elementType\":\"float32\",\"modelId\":\"test-model\"}")]
    [InlineData("{\"format\":\"g3-embedded-reference-store\",\"formatVersion\":1,\"dimension\":8,\"elementType\":\"int4\",\"modelId\":\"test-model\"}")]
    [InlineData("{\"format\":\"g3-embedded-reference-store\",\"formatVersion\":1,\"dimension\":8,\"elementType\":\"float32\",\"modelId\":\"test-model\",\"rows\":-1}")]
    public void A_garbage_manifest_is_a_corrupt_store(string manifest)
    {
        using var dir = new TempDirectory();
        CreateStore(dir.Path, 8).Dispose();
        File.WriteAllText(Path.Combine(dir.Path, "manifest.json"), manifest);
        Assert.Throws<StoreCorruptException>(() => EmbeddedReferenceStore.Open(dir.Path, Model, 8));
    }

    [Fact]
    public async Task A_manifest_committing_more_rows_than_the_payloads_hold_is_corrupt()
    {
        using var dir = new TempDirectory();
        using (var store = CreateStore(dir.Path, 8))
            await store.UpsertAsync(RandomRecords(10, 8, seed: 6), CancellationToken.None);
        var path = Path.Combine(dir.Path, "manifest.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        json["rows"] = 9;
        json["liveRows"] = 9;
        await File.WriteAllTextAsync(path, json.ToJsonString());
        // Checksums would catch it too; without them the payload walk must still notice.
        var error = Assert.Throws<StoreCorruptException>(() => EmbeddedReferenceStore.Open(
            new EmbeddedStoreOptions { Directory = dir.Path, ModelId = Model, Dimension = 8, VerifyChecksums = false }));
        Assert.Contains("payloads", error.Message);
    }

    [Fact]
    public async Task A_disposed_store_refuses_work()
    {
        using var dir = new TempDirectory();
        var store = CreateStore(dir.Path, 4);
        store.Dispose();
        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.SearchAsync(new float[4], 1, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.UpsertAsync([], CancellationToken.None));
    }
}
