using System.Net;
using System.Net.Sockets;

namespace G3.Host.Security;

/// <summary>
/// Which addresses the service may fetch image URLs from: public unicast only. Loopback, private
/// (RFC 1918, ULA), link-local (incl. the cloud metadata address 169.254.169.254), carrier-grade NAT,
/// multicast, unspecified, documentation and IPv4-mapped forms of those are refused, so a user cannot
/// make the service reach into the network it runs in (SSRF).
/// </summary>
public static class AddressPolicy
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
            return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10                                   // 10/8 private
                || b[0] == 0                                      // 0/8 "this network"
                || (b[0] == 100 && b[1] is >= 64 and <= 127)       // 100.64/10 carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)                   // 169.254/16 link-local, cloud metadata
                || (b[0] == 172 && b[1] is >= 16 and <= 31)        // 172.16/12 private
                || (b[0] == 192 && b[1] == 168)                   // 192.168/16 private
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)    // 192.0.0/24 IETF, 192.0.2/24 documentation
                || (b[0] == 198 && b[1] is 18 or 19)              // 198.18/15 benchmarking
                || b[0] >= 224);                                  // multicast and reserved
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC                          // fc00::/7 unique local
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)); // 2001:db8::/32 documentation
        }
        return false;
    }
}
