using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Google.Protobuf;
using Qdrant.Client.Grpc;

namespace G3.Retrieval.Tests.Qdrant.Fake;

/// <summary>
/// The handlers of the fake's <c>qdrant.Points</c> and <c>qdrant.Collections</c> methods: each one
/// passes the server's gate (API key, injected faults, delay), is logged, then reads or writes the
/// exact in-memory index. Only the methods a reference store needs are served; any other gets
/// Unimplemented from ASP.NET Core's gRPC host, as from a server that lacks it.
/// </summary>
internal sealed class FakeQdrantService(FakeQdrantServer server)
{
    private FakeQdrantIndex Index => server.Index;

    // qdrant.Collections
    public async Task<CollectionExistsResponse> CollectionExists(CollectionExistsRequest request, ServerCallContext context)
    {
        await server.GateAsync("Collections/CollectionExists", request, context);
        return new CollectionExistsResponse { Result = new CollectionExists { Exists = Index.Exists(request.CollectionName) } };
    }

    public async Task<GetCollectionInfoResponse> GetCollection(GetCollectionInfoRequest request, ServerCallContext context)
    {
        await server.GateAsync("Collections/Get", request, context);
        return new GetCollectionInfoResponse { Result = Index.Info(request.CollectionName) };
    }

    public async Task<CollectionOperationResponse> CreateCollection(CreateCollection request, ServerCallContext context)
    {
        await server.GateAsync("Collections/Create", request, context);
        Index.Create(request);
        return new CollectionOperationResponse { Result = true };
    }

    public async Task<CollectionOperationResponse> DeleteCollection(DeleteCollection request, ServerCallContext context)
    {
        await server.GateAsync("Collections/Delete", request, context);
        return new CollectionOperationResponse { Result = Index.Delete(request.CollectionName) };
    }

    // qdrant.Points
    public async Task<PointsOperationResponse> CreateFieldIndex(CreateFieldIndexCollection request, ServerCallContext context)
    {
        await server.GateAsync("Points/CreateFieldIndex", request, context);
        Index.AddPayloadIndex(request.CollectionName, request.FieldName);
        return Completed();
    }

    public async Task<PointsOperationResponse> Upsert(UpsertPoints request, ServerCallContext context)
    {
        await server.GateAsync("Points/Upsert", request, context);
        Index.Upsert(request.CollectionName, request.Points);
        return Completed(request.Wait);
    }

    public async Task<PointsOperationResponse> Delete(DeletePoints request, ServerCallContext context)
    {
        await server.GateAsync("Points/Delete", request, context);
        if (request.Points?.PointsSelectorOneOfCase != PointsSelector.PointsSelectorOneOfOneofCase.Points)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: the fake deletes by id list only"));
        Index.Remove(request.CollectionName, request.Points.Points.Ids);
        return Completed(request.Wait);
    }

    public async Task<GetResponse> Get(GetPoints request, ServerCallContext context)
    {
        await server.GateAsync("Points/Get", request, context);
        var response = new GetResponse();
        response.Result.Add(Index.Retrieve(request.CollectionName, request.Ids, WithPayload(request.WithPayload)));
        return response;
    }

    public async Task<CountResponse> Count(CountPoints request, ServerCallContext context)
    {
        await server.GateAsync("Points/Count", request, context);
        return new CountResponse { Result = new CountResult { Count = Index.Count(request.CollectionName) } };
    }

    public async Task<QueryResponse> Query(QueryPoints request, ServerCallContext context)
    {
        await server.GateAsync("Points/Query", request, context);
        var response = new QueryResponse();
        response.Result.Add(Answer(request));
        return response;
    }

    public async Task<QueryBatchResponse> QueryBatch(QueryBatchPoints request, ServerCallContext context)
    {
        await server.GateAsync("Points/QueryBatch", request, context);
        var response = new QueryBatchResponse();
        foreach (var query in request.QueryPoints)
        {
            var batch = new BatchResult();
            batch.Result.Add(Answer(query, request.CollectionName));
            response.Result.Add(batch);
        }
        return response;
    }

    private List<ScoredPoint> Answer(QueryPoints request, string? batchCollection = null)
    {
        var collection = string.IsNullOrEmpty(request.CollectionName) ? batchCollection! : request.CollectionName;
        if (request.Query?.VariantCase != global::Qdrant.Client.Grpc.Query.VariantOneofCase.Nearest || request.Query.Nearest.Dense is null)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: the fake answers nearest-vector queries only"));
        var limit = request.HasLimit ? request.Limit : 10UL;
        return Index.Search(collection, request.Query.Nearest.Dense.Data.ToArray(), limit, WithPayload(request.WithPayload));
    }

    private static bool WithPayload(WithPayloadSelector? selector) =>
        selector?.SelectorOptionsCase == WithPayloadSelector.SelectorOptionsOneofCase.Enable && selector.Enable;

    private static PointsOperationResponse Completed(bool wait = true) =>
        new() { Result = new UpdateResult { Status = wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged } };
}

/// <summary>
/// Binds the handlers to hand-made method descriptors (service and method names of Qdrant's
/// points_service.proto and collections_service.proto), with marshallers over the message types
/// Qdrant.Client ships; the client package carries no server stubs.
/// </summary>
internal sealed class FakeQdrantMethods : IServiceMethodProvider<FakeQdrantService>
{
    private const string Points = "qdrant.Points";
    private const string Collections = "qdrant.Collections";

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<FakeQdrantService> context)
    {
        Add<CollectionExistsRequest, CollectionExistsResponse>(context, Collections, "CollectionExists", (s, r, c) => s.CollectionExists(r, c));
        Add<GetCollectionInfoRequest, GetCollectionInfoResponse>(context, Collections, "Get", (s, r, c) => s.GetCollection(r, c));
        Add<CreateCollection, CollectionOperationResponse>(context, Collections, "Create", (s, r, c) => s.CreateCollection(r, c));
        Add<DeleteCollection, CollectionOperationResponse>(context, Collections, "Delete", (s, r, c) => s.DeleteCollection(r, c));
        Add<CreateFieldIndexCollection, PointsOperationResponse>(context, Points, "CreateFieldIndex", (s, r, c) => s.CreateFieldIndex(r, c));
        Add<UpsertPoints, PointsOperationResponse>(context, Points, "Upsert", (s, r, c) => s.Upsert(r, c));
        Add<DeletePoints, PointsOperationResponse>(context, Points, "Delete", (s, r, c) => s.Delete(r, c));
        Add<GetPoints, GetResponse>(context, Points, "Get", (s, r, c) => s.Get(r, c));
        Add<CountPoints, CountResponse>(context, Points, "Count", (s, r, c) => s.Count(r, c));
        Add<QueryPoints, QueryResponse>(context, Points, "Query", (s, r, c) => s.Query(r, c));
        Add<QueryBatchPoints, QueryBatchResponse>(context, Points, "QueryBatch", (s, r, c) => s.QueryBatch(r, c));
    }

    private static void Add<TRequest, TResponse>(ServiceMethodProviderContext<FakeQdrantService> context, string service, string name,
        UnaryServerMethod<FakeQdrantService, TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = new Method<TRequest, TResponse>(MethodType.Unary, service, name, Marshaller<TRequest>(), Marshaller<TResponse>());
        context.AddUnaryMethod(method, [], handler);
    }

    private static Marshaller<T> Marshaller<T>() where T : class, IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        return Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
    }
}
