"""SSRF guard: decide whether a feed URL may be fetched, and enforce it at connect time.

Feed URLs come from users (and from redirects chosen by remote servers), so a URL must not be a
way to reach the bot's own machine, its LAN or a cloud metadata service. Two layers:

* `check_url` runs before each request hop: scheme, host literal (including legacy forms such as
  ``127.1`` or ``0x7f000001`` that `getaddrinfo` accepts), then every resolved address.
* `GuardedNetworkBackend` is the httpcore backend the fetcher connects through. It resolves the
  host itself, checks every address again and connects to the checked IP, so a DNS answer that
  changes between the check and the connect (DNS rebinding) cannot slip through. TLS still
  verifies against the hostname because httpcore passes it separately as the SNI name.

Which addresses are refused, always or unless `allow_private_networks` is set, is
`bot.ingest.addresses`'s to say.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from bot.feedurls import host_name_problem
from bot.ingest.addresses import IPAddress, check_ip, host_literal, is_local_name
from bot.ingest.errors import BlockedAddressError, UnsupportedURLError

__all__ = [
    "BlockedAddressError",
    "GuardedNetworkBackend",
    "Resolver",
    "check_url",
    "parse_url",
    "resolve_host",
    "system_resolver",
]

Resolver = Callable[[str, int], Awaitable[list[str]]]


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
