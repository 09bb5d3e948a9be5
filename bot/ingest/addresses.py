"""Which addresses a feed may be fetched from, judged without the network.

*Private* ones (loopback, RFC 1918, CGNAT, ULA) are refused unless `allow_private_networks` is
set, for self-hosters with intranet feeds. *Never* ones (unspecified, link-local including
169.254.169.254, multicast, broadcast, reserved, documentation, and the cloud metadata services
outside link-local: Alibaba's 100.100.100.200, Azure's 168.63.129.16, AWS's and GCP's IPv6
fd00:ec2::254 and fd20:ce::254) are refused always: no legitimate feed lives there, and a
metadata service is the classic SSRF prize. IPv6 forms that embed an IPv4 address
(IPv4-mapped/compatible, NAT64, 6to4, Teredo) are judged by the embedded address as well.

`host_literal` reads a host written as an address in any form the OS resolver accepts (legacy
``127.1`` or ``0x7f000001`` too), so a URL cannot dress an internal address up as a name.
`bot.ingest.netguard` applies these to every URL and every resolved address; this module has no
network library, so checking a typed address costs a command no httpx import.
"""

from __future__ import annotations

import ipaddress
import re
import socket

from bot.ingest.errors import BlockedAddressError

__all__ = [
    "IPAddress",
    "check_ip",
    "classify_ip",
    "host_literal",
    "is_local_name",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_N4 = ipaddress.IPv4Network
_N6 = ipaddress.IPv6Network

# Cloud metadata services outside link-local: each sits inside a range the setting allows (or
# a public one), so it is named first and refused whatever the setting says. Those on
# 169.254.0.0/16 (AWS, GCP's metadata.google.internal, Azure IMDS, ECS's 169.254.170.2) are
# link-local and refused already.
_METADATA = "cloud metadata"
_NEVER_V4: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_N4("100.100.100.200/32"), _METADATA),  # Alibaba Cloud, inside CGNAT
    (_N4("168.63.129.16/32"), _METADATA),  # Azure's wireserver, a public address in Azure
    (_N4("0.0.0.0/8"), "unspecified"),
    (_N4("169.254.0.0/16"), "link-local"),
    (_N4("224.0.0.0/4"), "multicast"),
    (_N4("240.0.0.0/4"), "reserved"),  # includes the 255.255.255.255 broadcast
    (_N4("192.0.0.0/24"), "reserved"),
    (_N4("192.0.2.0/24"), "reserved"),
    (_N4("198.51.100.0/24"), "reserved"),
    (_N4("203.0.113.0/24"), "reserved"),
    (_N4("192.88.99.0/24"), "reserved"),
)
_PRIVATE_V4: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_N4("127.0.0.0/8"), "loopback"),
    (_N4("10.0.0.0/8"), "private"),
    (_N4("172.16.0.0/12"), "private"),
    (_N4("192.168.0.0/16"), "private"),
    (_N4("100.64.0.0/10"), "carrier-grade NAT"),
    # Benchmarking (RFC 2544), never routed on the internet; but a fake-IP proxy (Clash,
    # sing-box) answers every name from it and carries the connection to the real host, so it
    # is named for what it is and allowed by the setting, like the private ranges.
    (_N4("198.18.0.0/15"), "benchmarking"),
)
_NEVER_V6: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_N6("fd00:ec2::254/128"), _METADATA),  # AWS's IPv6 instance metadata, inside ULA
    (_N6("fd20:ce::254/128"), _METADATA),  # GCP's IPv6 metadata server, inside ULA
    (_N6("::/128"), "unspecified"),
    (_N6("ff00::/8"), "multicast"),
    (_N6("fe80::/10"), "link-local"),
    (_N6("100::/64"), "reserved"),
    (_N6("2001:db8::/32"), "reserved"),
    (_N6("3fff::/20"), "reserved"),
    (_N6("2001::/23"), "reserved"),  # IETF protocol assignments; Teredo is unwrapped first
)
_PRIVATE_V6: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_N6("::1/128"), "loopback"),
    (_N6("fc00::/7"), "private"),
    (_N6("fec0::/10"), "private"),
    # Local-use NAT64 (RFC 8215): translates to anywhere, with the IPv4 address in a place only
    # the network's own translator knows (its prefix may be /48 to /96), so it cannot be judged
    # by the address it embeds as the well-known 64:ff9b::/96 is.
    (_N6("64:ff9b:1::/48"), "local-use NAT64"),
)
_GLOBAL_UNICAST = _N6("2000::/3")
_NAT64 = _N6("64:ff9b::/96")
_IPV4_COMPAT = _N6("::/96")
_IPV4_TRANSLATED = _N6("::ffff:0:0:0/96")
_TEREDO = _N6("2001::/32")

# What inet_aton (and so getaddrinfo) accepts as IPv4: 1-4 parts, decimal, octal or hex.
_LEGACY_V4_RE = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)


def _embedded_v4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries, in the forms that can route to them."""
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip in _TEREDO and ip.teredo is not None:
        server, client = ip.teredo
        return [server, client]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _NAT64 or ip in _IPV4_TRANSLATED:
        return [low32]
    if ip in _IPV4_COMPAT and int(ip) > 1:  # deprecated ::a.b.c.d; :: and ::1 are themselves
        return [low32]
    return []


def classify_ip(ip: IPAddress | str) -> tuple[str, bool] | None:
    """Why `ip` is not a public address: (reason, allowed_with_private_networks), else None."""
    addr = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    if isinstance(addr, ipaddress.IPv4Address):
        for net, reason in _NEVER_V4:
            if addr in net:
                return reason, False
        for net, reason in _PRIVATE_V4:
            if addr in net:
                return reason, True
        return None
    inner = _embedded_v4(addr)
    if inner:
        found = [c for c in (classify_ip(v4) for v4 in inner) if c is not None]
        if found:
            never = [c for c in found if not c[1]]
            return (never or found)[0]
        return None
    for net6, reason in _NEVER_V6:
        if addr in net6:
            return reason, False
    for net6, reason in _PRIVATE_V6:
        if addr in net6:
            return reason, True
    if addr not in _GLOBAL_UNICAST:
        return "reserved", False
    return None


def check_ip(ip: IPAddress | str, *, allow_private_networks: bool = False) -> None:
    """Raise `BlockedAddressError` unless feeds may connect to `ip`."""
    verdict = classify_ip(ip)
    if verdict is None:
        return
    reason, private_ok = verdict
    if private_ok and allow_private_networks:
        return
    # Name the setting where it can help: this line is what `poll` and `feeds list` show.
    hint = " (set allow_private_networks = true under [polling] to allow it)" if private_ok else ""
    raise BlockedAddressError(
        f"refusing to fetch from {reason} address {ip}{hint}",
        address=str(ip),
        kind=reason,
        settable=private_ok,
    )


def host_literal(host: str) -> IPAddress | None:
    """The address a host string denotes without DNS, in any form the OS resolver accepts."""
    host = host.strip("[]")
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
    try:
        return ipaddress.IPv4Address(host)
    except ValueError:
        pass
    if _LEGACY_V4_RE.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_local_name(host: str) -> bool:
    """Whether `host` is "localhost" or a name under it, the machine itself (RFC 6761)."""
    name = host.strip("[]").rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")
