using System.Net;
using System.Net.Sockets;

namespace G3.Host.Security;

/// <summary>
/// Which addresses the service may fetch image URLs from: public unicast only. Loopback, private
/// (RFC 1918, ULA), link-local (incl. the cloud metadata address 169.254.169.254), carrier-grade NAT,
/// multicast, unspecified and documentation addresses are refused, so a user cannot make the service
/// reach into the network it runs in (SSRF). IPv6 forms that carry an IPv4 address are judged by it
/// (IPv4-mapped; NAT64 64:ff9b::/96, whose gateway would connect to that IPv4 address) or refused
/// outright where no legitimate image host needs them (IPv4-compatible ::/96, 6to4 2002::/16,
/// Teredo 2001::/32, local-use NAT64 64:ff9b:1::/48).
/// </summary>
public static class AddressPolicy
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
            return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return IsPublicV4(address.GetAddressBytes());
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6Teredo
                || (b[0] & 0xFE) == 0xFC                                    // fc00::/7 unique local
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // 2001:db8::/32 documentation
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) // 2001::/32 Teredo (tunnels to an IPv4 host)
                || (b[0] == 0x20 && b[1] == 0x02)                           // 2002::/16 6to4 (embeds an IPv4 address)
                || (IsWellKnownNat64(b) && !IsPublicV4(b[12..]))            // 64:ff9b::/96 NAT64 to a non-public IPv4
                || IsLocalNat64(b)                                          // 64:ff9b:1::/48 local-use NAT64
                || IsIPv4Compatible(b));                                    // ::/96 IPv4-compatible (deprecated)
        }
        return false;
    }

    private static bool IsPublicV4(byte[] b) =>
        !(b[0] == 10                                   // 10/8 private
        || b[0] == 0                                      // 0/8 "this network"
        || b[0] == 127                                    // 127/8 loopback
        || (b[0] == 100 && b[1] is >= 64 and <= 127)       // 100.64/10 carrier-grade NAT
        || (b[0] == 169 && b[1] == 254)                   // 169.254/16 link-local, cloud metadata
        || (b[0] == 172 && b[1] is >= 16 and <= 31)        // 172.16/12 private
        || (b[0] == 192 && b[1] == 168)                   // 192.168/16 private
        || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)    // 192.0.0/24 IETF, 192.0.2/24 documentation
        || (b[0] == 198 && b[1] is 18 or 19)              // 198.18/15 benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100)     // 198.51.100/24 documentation
        || (b[0] == 203 && b[1] == 0 && b[2] == 113)      // 203.0.113/24 documentation
        || b[0] >= 224);                                  // multicast and reserved

    private static bool IsWellKnownNat64(byte[] b) =>
        b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;

    private static bool IsLocalNat64(byte[] b) => b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01;

    /// <summary>::a.b.c.d: the first 96 bits zero (:: and ::1 are caught earlier as unspecified and loopback).</summary>
    private static bool IsIPv4Compatible(byte[] b) => b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
}
