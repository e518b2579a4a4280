using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using G3.Retrieval.Qdrant;
using G3.Retrieval.Tests.Qdrant.Fake;
using Grpc.Core;
using static G3.Retrieval.Tests.Qdrant.QdrantTestKit;

namespace G3.Retrieval.Tests.Qdrant;

/// <summary>How the store fails, through the real QdrantClient: each failure typed, explained, and retried only when it can pass.</summary>
public class QdrantErrorTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task An_unreachable_server_is_unavailable_after_every_retry()
    {
        using var store = new QdrantReferenceStore(Options(DeadAddress()) with { RetryCount = 2 });
        var e = await Assert.ThrowsAsync<QdrantUnavailableException>(() => store.CountAsync(Ct));
        Assert.Equal(3, e.Attempts);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("gRPC port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_failures_are_retried_until_the_call_succeeds()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server);
        await store.UpsertAsync(Axes(), Ct);
        server.FailNext(StatusCode.Unavailable, StatusCode.ResourceExhausted);
        var before = server.CallCount("Points/Count");

        Assert.Equal(4, await store.CountAsync(Ct));
        Assert.Equal(before + 3, server.CallCount("Points/Count"));
    }

    [Fact]
    public async Task A_slow_server_exceeds_the_deadline_on_every_attempt()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server) with { RequestTimeout = TimeSpan.FromMilliseconds(150), RetryCount = 1 });
        server.Delay = TimeSpan.FromSeconds(3);

        var e = await Assert.ThrowsAsync<QdrantUnavailableException>(() => store.EnsureCollectionAsync(Ct));
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(2, e.Attempts);
        Assert.Contains("no answer within 0.15 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_wrong_api_key_is_unauthenticated_and_not_retried()
    {
        await using var server = await FakeQdrantServer.StartAsync(apiKey: "s3cret");
        using var keyless = NewStore(server);
        var e = await Assert.ThrowsAsync<QdrantStoreException>(() => keyless.CountAsync(Ct));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("G3_Store__Qdrant__ApiKey", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Calls);

        using var wrong = NewStore(server, Options(server) with { ApiKey = "guess" });
        await Assert.ThrowsAsync<QdrantStoreException>(() => wrong.CountAsync(Ct));

        using var keyed = NewStore(server, Options(server) with { ApiKey = "s3cret" });
        await keyed.UpsertAsync(Axes(), Ct);
        Assert.Equal(4, await keyed.CountAsync(Ct));
    }

    [Fact]
    public async Task A_collection_dropped_while_in_use_is_reported_then_created_again()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server);
        await store.UpsertAsync(Axes(), Ct);
        Assert.True(server.Index.Delete(Collection));

        var e = await Assert.ThrowsAsync<QdrantStoreException>(() => store.SearchAsync(Unit(1, 0, 0, 0), 2, Ct));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains($"no collection '{Collection}'", e.Message, StringComparison.Ordinal);

        Assert.Equal(0, await store.CountAsync(Ct)); // set up afresh, empty
        Assert.Equal(2, server.CallCount("Collections/Create"));
    }

    [Fact]
    public async Task A_collection_of_another_dimension_is_a_mismatch_and_the_server_refuses_wrong_vectors()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using (var eight = NewStore(server, Options(server, 8))) await eight.EnsureCollectionAsync(Ct);

        using var four = NewStore(server, Options(server, 4));
        var e = await Assert.ThrowsAsync<QdrantCollectionMismatchException>(() => four.UpsertAsync(Axes(), Ct));
        Assert.Contains("size 8", e.Message, StringComparison.Ordinal);
        Assert.Contains("size 4", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.CallCount("Points/Upsert"));

        // The fake refuses a wrong-sized vector as Qdrant does, whoever sends it.
        using var raw = new global::Qdrant.Client.QdrantClient(server.Address);
        var rpc = await Assert.ThrowsAsync<RpcException>(() => raw.UpsertAsync(Collection,
            [new global::Qdrant.Client.Grpc.PointStruct { Id = 1UL, Vectors = new float[] { 1, 0, 0, 0 } }]));
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Contains("expected dim: 8, got 4", rpc.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_final_and_not_retried()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server);
        await store.EnsureCollectionAsync(Ct);
        server.FailNext(StatusCode.InvalidArgument);

        var e = await Assert.ThrowsAsync<QdrantStoreException>(() => store.CountAsync(Ct));
        Assert.IsNotType<QdrantUnavailableException>(e);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(1, server.CallCount("Points/Count"));
    }

    [Fact]
    public async Task Cancellation_surfaces_as_cancellation_and_is_not_retried()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server);
        await store.EnsureCollectionAsync(Ct);
        server.Delay = TimeSpan.FromSeconds(5);
        using var cts = new CancellationTokenSource();

        // Cancel once the call is at the server (a timer could fire before a loaded machine sends it).
        var count = store.CountAsync(cts.Token);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (server.CallCount("Points/Count") == 0 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10, Ct);
        Assert.Equal(1, server.CallCount("Points/Count"));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => count);
        Assert.Equal(1, server.CallCount("Points/Count"));
    }

    [Fact]
    public async Task Tls_with_a_pinned_certificate_thumbprint_connects_and_another_thumbprint_is_refused()
    {
        using var certificate = SelfSigned();
        await using var server = await FakeQdrantServer.StartAsync(certificate: certificate);
        Assert.Equal("https", server.Address.Scheme);
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);

        using var pinned = NewStore(server, Options(server) with { CertificateThumbprint = thumbprint });
        await pinned.UpsertAsync(Axes(), Ct);
        Assert.Equal(4, await pinned.CountAsync(Ct));

        using var other = NewStore(server, Options(server) with { CertificateThumbprint = new string('0', 64), RetryCount = 0 });
        var refused = await Assert.ThrowsAnyAsync<QdrantStoreException>(() => other.CountAsync(Ct));
        Assert.IsNotType<QdrantUnavailableException>(refused);
        Assert.Contains("CertificateThumbprint", refused.Message, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs the key in a form it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
