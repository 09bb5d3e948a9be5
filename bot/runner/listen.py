"""One line naming the setting to change when a listener of `newsdigest run` cannot bind: the
`/healthz` server (NEWSDIGEST_HEALTH_HOST/PORT) and Slack's HTTP mode (SLACK_HOST/PORT).

The host and the port are set by different variables, and an operator reads the variable named
first: an unresolvable host or an address this machine does not have is the host's fault, a
port in use or not allowed is the port's. Blaming the port for a typo in the host sent people
hunting for a process that did not exist."""

from __future__ import annotations

import errno
import os
import socket

# The port's fault: another process has it, or it is privileged (below 1024) for this user.
PORT_ERRNOS = frozenset({errno.EADDRINUSE, errno.EACCES})


def _reason(exc: OSError) -> str:
    # asyncio wraps a bind error as "error while attempting to bind on address (...): <reason>";
    # the errno's own text is shorter and does not repeat the address.
    if isinstance(exc, socket.gaierror):
        return exc.strerror or str(exc)
    return os.strerror(exc.errno) if exc.errno and exc.errno > 0 else str(exc)


def bind_error(
    exc: OSError,
    *,
    host: str,
    port: int,
    host_var: str,
    port_var: str,
    port_hint: str = "free the port or choose another",
) -> str:
    """Why a listener on host:port could not start, naming the variable to change."""
    reason = _reason(exc)
    if isinstance(exc, socket.gaierror):
        return (
            f"{host_var}: cannot resolve {host!r} ({reason}); "
            "set it to an address of this machine, such as 127.0.0.1 or 0.0.0.0"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"{host_var}: {host} is not an address of this machine ({reason}); "
            "set it to one of its addresses, such as 127.0.0.1 or 0.0.0.0"
        )
    if exc.errno in PORT_ERRNOS:
        return f"{port_var}: cannot listen on {host}:{port} ({reason}); {port_hint}"
    return f"{host_var}/{port_var}: cannot listen on {host}:{port} ({reason})"


def is_bind_error(exc: BaseException) -> bool:
    """An error from binding a listening socket (as asyncio's create_server raises it), not from
    connecting somewhere: the host did not resolve, or the address or port cannot be had."""
    if isinstance(exc, socket.gaierror):
        return True
    # aiohttp's client errors subclass OSError: a connection, not a listener. asyncio raises a
    # bind error as OSError(errno, ...), which Python turns into PermissionError for EACCES.
    if not isinstance(exc, OSError) or type(exc) not in (OSError, PermissionError):
        return False
    return exc.errno in PORT_ERRNOS | {errno.EADDRNOTAVAIL}
