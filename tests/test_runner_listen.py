"""Which errors from starting a listener are bind errors (a setting to change), as asyncio's
`create_server` raises them. The privileged-port case cannot be staged here (the tests may run
as root), so the error is built the way asyncio builds it: OSError(errno, message)."""

from __future__ import annotations

import errno
import socket

import aiohttp
import pytest

from bot.runner.listen import bind_error, is_bind_error


def _asyncio_bind_error(code: int) -> OSError:
    # asyncio.base_events: OSError(err.errno, "error while attempting to bind on address ...").
    return OSError(code, f"error while attempting to bind on address ('0.0.0.0', 80): {code}")


@pytest.mark.parametrize("code", [errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL])
def test_asyncio_bind_errors_are_bind_errors(code: int) -> None:
    exc = _asyncio_bind_error(code)
    assert is_bind_error(exc)


def test_a_privileged_port_names_the_port() -> None:
    exc = _asyncio_bind_error(errno.EACCES)
    assert isinstance(exc, PermissionError)  # what Python makes of OSError(EACCES, ...)
    line = bind_error(exc, host="0.0.0.0", port=80, host_var="SLACK_HOST", port_var="PORT")
    assert line.startswith("PORT: cannot listen on 0.0.0.0:80 (Permission denied)")


def test_resolver_errors_are_bind_errors_and_client_errors_are_not() -> None:
    assert is_bind_error(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    refused = aiohttp.ClientConnectorError(
        aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None),
        OSError(errno.EADDRINUSE, "in use"),
    )
    assert not is_bind_error(refused)
    assert not is_bind_error(ConnectionRefusedError(errno.ECONNREFUSED, "refused"))
