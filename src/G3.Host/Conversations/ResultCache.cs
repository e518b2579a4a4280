using G3.Host.Apis;

namespace G3.Host.Conversations;

/// <summary>
/// The latest results by image hash, so a text-only follow-up in a conversation ("why?", "which
/// country?") is answered without geolocating the photo again. Bounded: the least recently used entry
/// goes first. Holds results only, never images.
/// </summary>
public sealed class ResultCache(int capacity = 1024)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, GeolocationDto Value)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, GeolocationDto Value)> _order = new();
    private readonly Lock _gate = new();

    internal void Put(string imageSha256, GeolocationDto result)
    {
        lock (_gate)
        {
            if (_map.Remove(imageSha256, out var existing)) _order.Remove(existing);
            _map[imageSha256] = _order.AddFirst((imageSha256, result));
            while (_map.Count > Math.Max(1, capacity))
            {
                _map.Remove(_order.Last!.Value.Key);
                _order.RemoveLast();
            }
        }
    }

    internal bool TryGet(string imageSha256, out GeolocationDto result)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(imageSha256, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                result = node.Value.Value;
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
