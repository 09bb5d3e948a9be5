"""SSRF guard: decide whether a feed URL may be fetched, and enforce it at connect time.

Feed URLs come from users (and from redirects chosen by remote servers), so a URL must not be a
way to reach the bot's own machine, its LAN or a cloud metadata service. Two layers:

* `check_url` runs before each request hop: scheme, host literal (including legacy forms such as
  ``127.1`` or ``0x7f000001`` that `getaddrinfo` accepts), then every resolved address.
* `GuardedNetworkBackend` is the httpcore backend the fetcher connects through. It resolves the
  host itself, checks every address again and connects to the checked IP, so a DNS answer that
  changes between the check and the connect (DNS rebinding) cannot slip through. TLS still
  verifies against the hostname because httpcore passes it separately as the SNI name.

Addresses fall in two classes. *Private* ones (loopback, RFC 1918, CGNAT, ULA) are refused unless
`allow_private_networks` is set, for self-hosters with intranet feeds. *Never* ones (unspecified,
link-local including 169.254.169.254, multicast, broadcast, reserved, documentation, and the
cloud metadata services outside link-local: Alibaba's 100.100.100.200, Azure's 168.63.129.16,
AWS's and GCP's IPv6 fd00:ec2::254 and fd20:ce::254) are refused always: no legitimate feed lives there, and a metadata
service is the classic SSRF prize.
IPv6 forms that embed an IPv4 address (IPv4-mapped/compatible, NAT64, 6to4, Teredo) are judged
by the embedded address as well.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from bot.feedurls import host_name_problem
from bot.ingest.errors import BlockedAddressError, UnsupportedURLError

__all__ = [
    "BlockedAddressError",
    "GuardedNetworkBackend",
    "Resolver",
    "check_ip",
    "check_url",
    "classify_ip",
    "host_literal",
    "is_local_name",
    "parse_url",
    "resolve_host",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

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


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # Scope ids ("fe80::1%eth0") are dropped: the address class is what matters here.
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


async def resolve_host(
    host: str,
    port: int,
    *,
    allow_private_networks: bool,
    resolver: Resolver = system_resolver,
) -> list[IPAddress]:
    """Addresses for `host`, all checked; raises if any one is refused.

    Refusing the whole name when *any* answer is internal stops a rebinding server from mixing
    a public and a private address and hoping the client picks the second.
    """
    name = host.strip("[]").rstrip(".").lower()
    literal = host_literal(name)
    if literal is not None:
        addrs: list[IPAddress] = [literal]
    elif is_local_name(name):
        addrs = [ipaddress.IPv4Address("127.0.0.1")]  # RFC 6761: never ask DNS about these
    else:
        try:
            answers = await resolver(name, port)
        except (OSError, UnicodeError) as exc:  # the idna codec's, for a name no DNS carries
            raise httpx.ConnectError(f"cannot resolve {name}: {exc}") from exc
        addrs = _parse_answers(answers)
        if not addrs:
            raise httpx.ConnectError(f"no addresses for {name}")
    for addr in addrs:
        try:
            check_ip(addr, allow_private_networks=allow_private_networks)
        except BlockedAddressError as exc:
            if literal is None:
                raise BlockedAddressError(
                    f"{exc} (resolved from {name})",
                    address=exc.address,
                    kind=exc.kind,
                    settable=exc.settable,
                    host=name,
                ) from None
            raise
    return addrs


def _parse_answers(answers: Iterable[str]) -> list[IPAddress]:
    out: list[IPAddress] = []
    for answer in answers:
        addr = ipaddress.ip_address(answer)
        if addr not in out:
            out.append(addr)
    return out


def parse_url(url: str) -> httpx.URL:
    """`url` as httpx reads it, or an `UnsupportedURLError` saying why it cannot be fetched."""
    try:
        parsed = httpx.URL(url)
        parsed.host  # noqa: B018 -- decoded from IDNA only when read
    except httpx.InvalidURL as exc:
        raise UnsupportedURLError(f"invalid URL {url!r}: {exc}") from exc
    except UnicodeError as exc:  # idna's errors, for a host "xn--a.example"
        raise UnsupportedURLError(_bad_idna(url, exc)) from exc
    return parsed


def _bad_idna(url: str, exc: UnicodeError) -> str:
    return f"invalid URL {url!r}: its host name is not valid IDNA ({exc})"


async def check_url(
    url: str | httpx.URL,
    *,
    allow_private_networks: bool,
    resolver: Resolver = system_resolver,
) -> None:
    """Raise an `UnsafeURLError` unless `url` is http(s) and its host is allowed."""
    shown = str(url)
    parsed = parse_url(url) if isinstance(url, str) else url
    try:
        host = parsed.host  # a redirect's URL decodes its IDNA host only now
    except UnicodeError as exc:
        raise UnsupportedURLError(_bad_idna(shown, exc)) from exc
    if parsed.scheme not in ("http", "https"):
        raise UnsupportedURLError(f"only http and https feeds are fetched, not {shown!r}")
    if not host:
        raise UnsupportedURLError(f"URL has no host: {shown!r}")
    port = parsed.port
    if port is None:  # not `or`: a port 0 written in the URL is not the default one
        port = 443 if parsed.scheme == "https" else 80
    if not 0 < port < 65536:
        # httpx parses any digits as a port; the socket layer then raised OverflowError inside
        # an exception group, which read as a bug of ours and was retried forever.
        raise UnsupportedURLError(f"invalid port {port} in {shown!r} (1 to 65535)")
    if host_literal(host) is None and (problem := host_name_problem(parsed.raw_host.decode())):
        # A label of 64 letters passes httpx: the resolver's idna codec raised a UnicodeError
        # at every poll, read as a bug of ours.
        raise UnsupportedURLError(f"invalid URL {shown!r}: its host name is not valid ({problem})")
    await resolve_host(host, port, allow_private_networks=allow_private_networks, resolver=resolver)


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore backend that connects only to addresses `check_ip` accepts.

    Resolution happens here, once, and the connection goes to the very address that was
    checked: that closes the check-then-connect window a rebinding DNS server would use.
    """

    def __init__(
        self,
        *,
        allow_private_networks: bool,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._allow_private = allow_private_networks
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addrs = await asyncio.wait_for(
                resolve_host(
                    host, port, allow_private_networks=self._allow_private, resolver=self._resolver
                ),
                timeout,
            )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"timed out resolving {host}") from exc
        except httpx.ConnectError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        last_exc: Exception | None = None
        for addr in addrs:
            try:
                return await self._inner.connect_tcp(
                    str(addr), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_exc = exc
            except Exception as exc:
                # The socket layer refusing the address or port (OverflowError "port must be
                # 0-65535", a ValueError; anyio wraps them in an exception group) is the feed's
                # address at fault, not our code: a connect error, counted against the feed.
                if (refused := _address_refused(exc)) is None:
                    raise
                last_exc = httpcore.ConnectError(f"cannot connect to {host}:{port}: {refused}")
        assert last_exc is not None
        raise last_exc

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError("unix sockets are never used for feeds")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _address_refused(exc: BaseException) -> str | None:
    """What the socket layer said when `exc` (or every exception in its group) is one of the
    ValueError or OverflowError it raises for an address or port it cannot use; else None."""
    if isinstance(exc, BaseExceptionGroup):
        matched, rest = exc.split((ValueError, OverflowError))
        if matched is None or rest is not None:
            return None
        leaves: list[BaseException] = []
        _leaves(matched, leaves)
        return "; ".join(f"{type(e).__name__}: {e}" for e in leaves)
    if isinstance(exc, ValueError | OverflowError):
        return f"{type(exc).__name__}: {exc}"
    return None


def _leaves(exc: BaseException, into: list[BaseException]) -> None:
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            _leaves(inner, into)
    else:
        into.append(exc)
