using System.Globalization;
using System.Net;

namespace G3.Alignment.Store.Qdrant;

/// <summary>Makes sure the collection exists with the configured vector parameters, once.</summary>
internal sealed class QdrantCollectionSetup(QdrantHttp http, QdrantStoreOptions options)
{
    private readonly Lock _lock = new();
    private readonly string _path = "collections/" + Uri.EscapeDataString(options.Collection);
    private Task? _ensure;

    /// <summary>
    /// One check shared by concurrent callers; a failed or cancelled check is tried afresh by
    /// the next caller. The shared check is not tied to any caller's token (the per-request
    /// timeout and retries bound it); each caller stops waiting when its own token fires.
    /// </summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        Task ensure;
        lock (_lock)
        {
            if (_ensure is null || _ensure.IsFaulted || _ensure.IsCanceled)
                _ensure = RunAsync();
            ensure = _ensure;
        }
        return ensure.IsCompletedSuccessfully ? Task.CompletedTask : ensure.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        if (!await VerifyExistingAsync(CancellationToken.None).ConfigureAwait(false))
            await CreateAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<bool> DropAsync(CancellationToken cancellationToken)
    {
        var operation = $"drop of collection '{options.Collection}'";
        var result = await http.SendAsync(HttpMethod.Delete, _path, null, operation, cancellationToken).ConfigureAwait(false);
        lock (_lock) _ensure = null;
        return QdrantResponses.Acknowledged(result.Body, operation);
    }

    /// <summary>False when the collection is missing; throws when it exists with other parameters.</summary>
    private async Task<bool> VerifyExistingAsync(CancellationToken cancellationToken)
    {
        var operation = $"lookup of collection '{options.Collection}'";
        var result = await http.SendAsync(HttpMethod.Get, _path, null, operation, cancellationToken, HttpStatusCode.NotFound)
            .ConfigureAwait(false);
        if (result.Status == HttpStatusCode.NotFound) return false;

        var vectors = QdrantResponses.CollectionVectors(result.Body, operation);
        var wanted = string.Create(CultureInfo.InvariantCulture, $"one unnamed vector of size {options.VectorSize} with {options.Distance} distance");
        if (vectors.Names is { } names)
            throw new QdrantCollectionMismatchException(
                $"Qdrant collection '{options.Collection}' uses named vectors ({string.Join(", ", names)}), but this store needs {wanted}. " +
                $"Point {QdrantStoreOptions.SectionName}:Collection at another collection, or drop this one.");
        if (vectors.Size != options.VectorSize || !string.Equals(vectors.Distance, options.Distance.ToString(), StringComparison.Ordinal))
            throw new QdrantCollectionMismatchException(string.Create(CultureInfo.InvariantCulture,
                $"Qdrant collection '{options.Collection}' holds vectors of size {vectors.Size} with {vectors.Distance} distance, but this store is configured for size {options.VectorSize} with {options.Distance} distance. " +
                $"Fix {QdrantStoreOptions.SectionName}:VectorSize/Distance to match the encoder, or use another collection name, or drop this collection and re-index."));
        return true;
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var operation = $"creation of collection '{options.Collection}'";
        var result = await http.SendAsync(HttpMethod.Put, _path, QdrantRequests.CreateCollection(options), operation,
            cancellationToken, HttpStatusCode.Conflict).ConfigureAwait(false);
        // 409: another instance created it meanwhile; check that one instead.
        if (result.Status == HttpStatusCode.Conflict)
        {
            if (!await VerifyExistingAsync(cancellationToken).ConfigureAwait(false))
                throw new QdrantStoreException($"Qdrant answered 409 to the {operation} but the collection does not exist.", HttpStatusCode.Conflict);
            return;
        }
        if (!QdrantResponses.Acknowledged(result.Body, operation))
            throw new QdrantStoreException($"Qdrant did not confirm the {operation} (result false).");
    }
}
