using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace G3.Retrieval.Qdrant;

/// <summary>
/// Opens the gRPC client the options describe: http (cleartext HTTP/2) or https (TLS), the API key
/// as the <c>api-key</c> header on every call, a pinned certificate thumbprint for a self-signed
/// server, and the per-attempt deadline. No connection is made until the first call.
/// </summary>
internal static class QdrantConnection
{
    public static QdrantClient Open(QdrantStoreOptions options)
    {
        var configuration = new ClientConfiguration
        {
            ApiKey = options.ApiKey,
            CertificateThumbprint = options.CertificateThumbprint,
        };
        var channel = QdrantChannel.ForAddress(options.Endpoint, configuration);
        return new QdrantClient(new QdrantGrpcClient(channel), options.RequestTimeout);
    }
}
