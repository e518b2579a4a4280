using Qdrant.Client.Grpc;

namespace G3.Retrieval.Qdrant;

/// <summary>The per-query search parameters the options ask for: exact, or HNSW with ef; rescoring for int8.</summary>
internal static class QdrantSearchParams
{
    public static SearchParams For(QdrantStoreOptions options)
    {
        var search = new SearchParams { Exact = options.ExactSearch };
        if (options.HnswEf is { } ef) search.HnswEf = (ulong)ef;
        if (options.Quantization != QdrantQuantization.None)
        {
            var quantization = new QuantizationSearchParams { Rescore = options.QuantizationRescore };
            if (options.QuantizationOversampling is { } oversampling) quantization.Oversampling = oversampling;
            search.Quantization = quantization;
        }
        return search;
    }
}
