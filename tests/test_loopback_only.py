"""Tests reach nothing past loopback (tests/loopback_site/loopback_only.py), in the test and in
the processes it starts: `feeds add` fetches the new feed by default, and a test adding
https://example.org/... would fetch it from the internet on a connected machine, or wait out
the 10 s check behind a firewall that drops packets, and pass either way. A name is not found
and an address unreachable, as on a machine with no network, so what the tests expect of an
offline machine holds; the note says why."""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from _cli_env import cli_env
from click.testing import CliRunner
from loopback_site.loopback_only import NOTE

from bot.cli import cli
from bot.feedserver import FeedServer, Reply

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["example.org", "news.example.com", socket.gethostname()])
def test_a_name_past_loopback_is_not_found(name: str) -> None:
    with pytest.raises(socket.gaierror) as info:
        socket.getaddrinfo(name, 443)
    assert info.value.errno == socket.EAI_NONAME
    assert str(info.value) == "[Errno -2] Name or service not known"
    assert NOTE in info.value.__notes__
    with pytest.raises(socket.gaierror):
        socket.gethostbyname(name)


@pytest.mark.parametrize("address", [("192.0.2.7", 80), ("2001:db8::7", 80, 0, 0)])
def test_an_address_past_loopback_is_unreachable(address: tuple[object, ...]) -> None:
    family = socket.AF_INET6 if ":" in str(address[0]) else socket.AF_INET
    with socket.socket(family) as sock:
        with pytest.raises(OSError) as info:
            sock.connect(address)
        assert info.value.errno == errno.ENETUNREACH
        assert NOTE in info.value.__notes__
        assert sock.connect_ex(address) == errno.ENETUNREACH


async def test_asyncio_connections_are_refused_too() -> None:
    import asyncio

    with pytest.raises(OSError) as info:
        await asyncio.open_connection("192.0.2.7", 80)
    assert info.value.errno == errno.ENETUNREACH
    with pytest.raises(socket.gaierror):
        await asyncio.open_connection("example.org", 80)


def test_loopback_is_reached() -> None:
    with FeedServer({"/feed": Reply(body=b"<rss/>")}) as server:
        for url in (server.url("/feed"), server.url("/feed").replace("127.0.0.1", "localhost")):
            with urllib.request.urlopen(url, timeout=10) as reply:
                assert reply.read() == b"<rss/>"
    assert socket.getaddrinfo("127.1", 80)[0][4][0] == "127.0.0.1"  # an address: no lookup


def test_feeds_add_of_an_internet_feed_checks_nothing_past_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    refusals: list[list[str]] = []
    guarded = socket.getaddrinfo

    def spy(*args: Any, **kwargs: Any) -> Any:
        try:
            return guarded(*args, **kwargs)
        except socket.gaierror as exc:
            refusals.append(getattr(exc, "__notes__", []))
            raise

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    result = CliRunner().invoke(cli, ["feeds", "add", "https://example.org/feed.xml"])
    assert result.exit_code == 0, result.output
    assert "cannot resolve example.org: [Errno -2] Name or service not known" in result.output
    assert refusals == [[NOTE]]


CHILD = """
import errno, socket
try:
    socket.getaddrinfo("example.org", 443)
except socket.gaierror as exc:
    print("lookup", exc.errno, exc.__notes__)
with socket.socket() as sock:
    print("connect", sock.connect_ex(("192.0.2.7", 80)))
"""


def test_a_child_process_reaches_nothing_past_loopback_either() -> None:
    # The environment is given whole, PYTHONPATH and all, as the CLI tests give theirs.
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.splitlines() == [
        f"lookup {socket.EAI_NONAME} [{NOTE!r}]",
        f"connect {errno.ENETUNREACH}",
    ]
