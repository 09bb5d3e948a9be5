"""The HTTP transport every feed fetch goes through: httpx's own, its connection pool rebuilt on
the network guard's backend (`bot.ingest.netguard`), so the address each connection opens to is
checked as it is dialled (no DNS rebinding between the check and the connect), and one verified
TLS context shared by every fetcher."""

from __future__ import annotations

import functools
import importlib.util
import logging
import ssl
import sys

import httpcore
import httpx

from bot.ingest.netguard import GuardedNetworkBackend

log = logging.getLogger(__name__)

# httpcore asks `import sniffio` every time it creates a lock (several per request). anyio 4 no
# longer installs sniffio, and a failed import is not cached, so each ask walks sys.path: ~5 ms
# per request here. Recording the absence once makes the same ImportError instant. Installing
# sniffio fixes it properly and makes this line a no-op.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=1)
def ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~0.1 s; one verified context serves every fetcher.
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, with its connection pool rebuilt on the guarded network backend.

    httpx exposes no hook for the backend, so this replaces the private `_pool` attribute
    (httpx 0.27/0.28; pyproject.toml caps httpx below the first minor not tested). If a future
    httpx renames it, `FeedFetcher` notices and falls back to the plain transport, keeping the
    per-hop pre-connect check but not the rebinding guard: `guard_lost` says so in the log, once,
    and `/healthz` lists it under `problems` (`rebinding_guard`).
    """

    def __init__(self, *, backend: GuardedNetworkBackend, limits: httpx.Limits) -> None:
        super().__init__(verify=ssl_context(), limits=limits, trust_env=False)
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            raise RuntimeError("httpx transport layout changed; cannot install network guard")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


GUARD_LOST_WARNING = (
    "Feeds are fetched WITHOUT the DNS-rebinding guard: httpx %s lays out its transport "
    "differently from the 0.27/0.28 this version was tested with. Each address is still checked "
    "before connecting, but a feed's host can answer a public address to the check and a "
    "private one (127.0.0.1, the cloud metadata service at 169.254.169.254) to the connection. "
    "Install the httpx pyproject.toml allows (pip install -e .) and restart."
)
_lost: list[bool] = []  # once the guard could not be installed, this run


def guard_lost() -> None:
    """Record that a fetcher runs without the rebinding guard, and warn the first time."""
    if not _lost:
        _lost.append(True)
        log.warning(GUARD_LOST_WARNING, httpx.__version__)


def rebinding_guard() -> bool:
    """Whether feeds are fetched with the rebinding guard this run: this httpx takes the guarded
    pool (`GuardedTransport`), asked once, so `/healthz` can say so before the first poll builds
    a fetcher, and no fetcher has had to do without it. A no warns, once (`guard_lost`)."""
    if not _pool_replaceable():
        guard_lost()
    return not _lost


@functools.lru_cache(maxsize=1)
def _pool_replaceable() -> bool:
    probe = httpx.AsyncHTTPTransport(verify=ssl_context(), trust_env=False)
    return isinstance(getattr(probe, "_pool", None), httpcore.AsyncConnectionPool)
