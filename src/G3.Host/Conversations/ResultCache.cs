using G3.Core.Pipeline;

namespace G3.Host.Conversations;

/// <summary>A photo's result as a conversation remembers it: the pipeline's result and the model that produced it.</summary>
internal sealed record RecentResult(GeolocationResult Result, string ModelId);

/// <summary>
/// The latest results by image hash, so a text-only follow-up in a conversation ("why?", "which
/// country?") is answered without geolocating the photo again. Bounded: the least recently used entry
/// goes first. Holds results only, never images.
/// </summary>
public sealed class ResultCache(int capacity = 1024)
{
    private readonly Dictionary<string, LinkedListNode<RecentResult>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<RecentResult> _order = new();
    private readonly Lock _gate = new();

    /// <summary>Remembers <paramref name="result"/> under its query's hash (<see cref="GeolocationResult.ImageSha256"/>).</summary>
    internal void Put(GeolocationResult result, string modelId)
    {
        lock (_gate)
        {
            if (_map.Remove(result.ImageSha256, out var existing)) _order.Remove(existing);
            _map[result.ImageSha256] = _order.AddFirst(new RecentResult(result, modelId));
            while (_map.Count > Math.Max(1, capacity))
            {
                _map.Remove(_order.Last!.Value.Result.ImageSha256);
                _order.RemoveLast();
            }
        }
    }

    internal bool TryGet(string imageSha256, out RecentResult result)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(imageSha256, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                result = node.Value;
                return true;
            }
        }
        result = null!;
        return false;
    }

    public int Count
    {
        get { lock (_gate) return _map.Count; }
    }
}
