"""Tests never reach past loopback: looking up a name other than localhost fails as it does on a
machine with no network ("Name or service not known"), and connecting to an address other than
loopback fails "Network is unreachable". A test that adds https://example.org/feed without
meaning to fetch it would otherwise fetch it from the internet on a connected machine, or wait
out the fetch's timeout behind a firewall that drops packets, and pass either way. The error
carries a note naming this guard, for whoever meets it in a traceback.

`conftest.py` puts `guards()` in place around every test; `sitecustomize.py` beside this file
installs them in every Python process a test starts (conftest puts this directory on the
child's PYTHONPATH)."""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
from collections.abc import Callable
from typing import Any

NOTE = "tests reach nothing past loopback (tests/loopback_site/loopback_only.py)"
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def _no_such_name() -> socket.gaierror:
    exc = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    exc.add_note(NOTE)
    return exc


def _unreachable() -> OSError:
    exc = OSError(errno.ENETUNREACH, os.strerror(errno.ENETUNREACH))
    exc.add_note(NOTE)
    return exc


def _numeric(real: Callable[..., Any], host: str) -> bool:
    """Whether `host` is an address (in any form getaddrinfo reads as one: 127.1 too), which
    needs no lookup; asked of the real getaddrinfo with AI_NUMERICHOST, which never looks up."""
    try:
        real(host, None, 0, 0, 0, socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return False
    return True


def _may_look_up(real: Callable[..., Any], host: str | bytes | None) -> bool:
    if host is None:
        return True
    name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
    name = name.rstrip(".").lower()
    if name in ("", *LOCAL_NAMES) or name.endswith(".localhost"):
        return True
    return _numeric(real, name)


def _local_address(address: Any) -> bool:
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        ip = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # 0.0.0.0 and :: reach this machine itself.
    return ip.is_loopback or ip.is_unspecified


def guards() -> list[tuple[Any, str, Any]]:
    """(owner, attribute, replacement) for each function that looks up or connects."""
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(
        host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0, flags: int = 0
    ) -> Any:
        if not _may_look_up(real_getaddrinfo, host):
            raise _no_such_name()
        return real_getaddrinfo(host, port, family, type, proto, flags)

    def gethostbyname(host: str) -> str:
        if not _may_look_up(real_getaddrinfo, host):
            raise _no_such_name()
        return real_gethostbyname(host)

    def gethostbyname_ex(host: str) -> Any:
        if not _may_look_up(real_getaddrinfo, host):
            raise _no_such_name()
        return real_gethostbyname_ex(host)

    def refused(sock: socket.socket, address: Any) -> OSError | None:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return None  # a Unix socket, a socketpair: this machine
        if not _may_look_up(real_getaddrinfo, address[0]):
            return _no_such_name()  # connect() looks a name up itself
        if _numeric(real_getaddrinfo, address[0]) and not _local_address(
            real_getaddrinfo(address[0], None, 0, 0, 0, socket.AI_NUMERICHOST)[0][4]
        ):
            return _unreachable()
        return None

    def connect(self: socket.socket, address: Any) -> None:
        if (exc := refused(self, address)) is not None:
            raise exc
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if (exc := refused(self, address)) is not None:
            if isinstance(exc, socket.gaierror):
                raise exc
            return errno.ENETUNREACH
        return real_connect_ex(self, address)

    return [
        (socket, "getaddrinfo", getaddrinfo),
        (socket, "gethostbyname", gethostbyname),
        (socket, "gethostbyname_ex", gethostbyname_ex),
        (socket.socket, "connect", connect),
        (socket.socket, "connect_ex", connect_ex),
    ]


def install() -> None:
    """Put the guards in place for good: a child process's whole life."""
    for owner, name, replacement in guards():
        setattr(owner, name, replacement)
