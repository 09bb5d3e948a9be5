"""`feeds add` fetches the new feed once, as a poll does, and says what is there: "a feed with N
entries", or a warning (HTTP 404, a web page, connection refused) with the feed added anyway, as
one down for now must stay addable; `--no-check` adds it without a fetch. It said "Added feed N"
for all of them, and only the next poll told a typo'd URL apart. A refused connection reads
"connection refused", not httpx's "ConnectError: All connection attempts failed", wherever a
fetch's error is shown. A real loopback feed server, a real socket that refuses, the real CLI."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from _refused_feeds import RSS, refused_config, words
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import FeedFetcher
from bot.store import feeds as feed_store
from bot.store.database import open_database

PAGE = b"<!doctype html><html><head><title>Harbour</title></head><body><p>Hi</p></body></html>"
REFUSED = "connection refused (no server is listening at that address and port)"


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    refused_config(tmp_path, monkeypatch)  # allow_private_networks: the server is on 127.0.0.1
    with FeedServer({"/rss.xml": Reply(body=RSS), "/page.html": Reply(body=PAGE)}) as srv:
        yield srv


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound but not listening: a connection to it is refused, for as long as it is held
    (no other test can take it meanwhile)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def _add(*args: str) -> Result:
    return CliRunner().invoke(cli, ["feeds", "add", *args])


def _urls(tmp_path: Path) -> list[str]:
    db = open_database(tmp_path / "nd.db")
    try:
        return [f.url for f in feed_store.list_feeds(db)]
    finally:
        db.close()


def test_a_feed_is_fetched_once_and_said_what_it_is(server: FeedServer, tmp_path: Path) -> None:
    result = _add(server.url("/rss.xml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [
        f"Added feed 1: {server.url('/rss.xml')} (every 15m)",
        "Fetched it: a feed with 1 entry (“Harbour Desk”)",
    ]
    assert len(server.requests_to("/rss.xml")) == 1
    assert server.requests[0].header("User-Agent").startswith("newsdigest/")  # as a poll asks


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("/nope.xml", "HTTP 404"),
        ("/page.html", "a web page, not a feed"),
    ],
)
def test_a_404_or_a_web_page_is_added_with_a_warning(
    server: FeedServer, tmp_path: Path, path: str, found: str
) -> None:
    result = _add(server.url(path))
    assert result.exit_code == 0, result.output  # added: it may be up, or a feed, later
    assert f"Added feed 1: {server.url(path)}" in result.stdout
    warning = words(result.stderr)
    assert f"Warning: fetched it: {found}" in warning
    assert "added anyway, and polls retry it (a wrong URL: `newsdigest feeds remove 1`)" in warning
    assert _urls(tmp_path) == [server.url(path)]


def test_a_refused_connection_says_connection_refused_at_add_and_at_poll(
    server: FeedServer, closed_port: int, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{closed_port}/feed.xml"
    added = _add(url)
    assert added.exit_code == 0, added.output
    assert f"Warning: fetched it: {REFUSED}; added anyway" in words(added.stderr)
    polled = CliRunner().invoke(cli, ["poll"])
    assert f"{url}: {REFUSED}" in words(polled.output)
    assert "ConnectError" not in polled.output


def test_no_check_adds_without_a_fetch(server: FeedServer, tmp_path: Path) -> None:
    result = _add("--no-check", server.url("/rss.xml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"Added feed 1: {server.url('/rss.xml')} (every 15m); not fetched (--no-check): "
        "`newsdigest poll` says whether it is a feed"
    )
    assert server.requests == []


async def test_the_fetcher_words_a_refused_connection(closed_port: int) -> None:
    async with FeedFetcher(allow_private_networks=True) as fetcher:
        result = await fetcher.fetch(f"http://127.0.0.1:{closed_port}/feed.xml")
    assert result.error == REFUSED


def test_an_unexpected_parse_failure_is_said_without_its_control_characters(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A parser bug whose message carries bytes of the fetched body: a terminal escape among them.
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("bad byte \x1b]0;pwned\x07 near <channel>")

    monkeypatch.setattr("bot.ingest.parser.parse_feed", broken)
    result = _add(server.url("/rss.xml"))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "could not be read here (ValueError: bad byte ]0;pwned near <channel>)" in words(
        result.stderr
    )


def test_an_address_that_moved_to_a_watched_feed_is_not_added(
    server: FeedServer, tmp_path: Path
) -> None:
    # It said "Fetched it: a feed with 1 entry" and added it; the first poll then disabled it as
    # the double of the feed it moved to.
    assert _add(server.url("/rss.xml"), "--name", "Harbour").exit_code == 0
    server.redirect("/old.xml", server.url("/rss.xml"))
    result = _add(server.url("/old.xml"))
    assert result.exit_code == 1
    assert words(result.stderr) == words(
        f"Error: not added: {server.url('/old.xml')} moved permanently to "
        f"{server.url('/rss.xml')}, which is feed 1 (Harbour): the same feed, already watched"
    )
    assert "Added feed" not in result.stdout
    assert _urls(tmp_path) == [server.url("/rss.xml")]


def test_an_address_that_moved_elsewhere_is_added_saying_where_it_moved(
    server: FeedServer, tmp_path: Path
) -> None:
    server.redirect("/old.xml", server.url("/rss.xml"))
    result = _add(server.url("/old.xml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [
        f"Added feed 1: {server.url('/rss.xml')} (every 15m)",
        f"Fetched it: a feed with 1 entry (“Harbour Desk”); {server.url('/old.xml')} moved "
        "permanently there, so the feed is added at its new address",
    ]
    assert _urls(tmp_path) == [server.url("/rss.xml")]


def test_the_address_a_new_feed_moved_to_is_not_added_again(
    server: FeedServer, tmp_path: Path
) -> None:
    # Stored at the old address, the moved-to one was added as feed 2, and the next poll
    # disabled feed 1 as "which is feed 2; remove this one".
    server.redirect("/old.xml", server.url("/rss.xml"))
    assert _add(server.url("/old.xml")).exit_code == 0
    again = _add(server.url("/rss.xml"))
    assert again.exit_code == 1
    assert words(again.stderr) == (
        f"Error: feed already added, as feed 1: {server.url('/rss.xml')}"
    )
    assert _urls(tmp_path) == [server.url("/rss.xml")]
    polled = CliRunner().invoke(cli, ["poll"])
    assert polled.exit_code == 0, polled.output
    assert "remove this one" not in polled.output


def test_a_move_to_a_watched_feed_spelt_otherwise_is_not_added(
    server: FeedServer, tmp_path: Path
) -> None:
    # A move to the watched feed's address spelt otherwise (`%72` for `r`) is the same feed:
    # the fetcher gives the move in the stored spelling, and the lookup matches that too.
    assert _add(server.url("/rss.xml"), "--name", "Harbour").exit_code == 0
    server.route("/%72ss.xml", Reply(body=RSS))
    server.redirect("/old.xml", server.url("/%72ss.xml"))
    result = _add(server.url("/old.xml"))
    assert result.exit_code == 1, result.output
    assert "which is feed 1 (Harbour): the same feed, already watched" in words(result.stderr)
    assert _urls(tmp_path) == [server.url("/rss.xml")]


def test_a_move_to_a_disabled_feed_is_not_added_and_says_it_is_disabled(
    server: FeedServer, tmp_path: Path
) -> None:
    assert _add(server.url("/rss.xml"), "--name", "Harbour").exit_code == 0
    assert CliRunner().invoke(cli, ["feeds", "disable", "1"]).exit_code == 0
    server.redirect("/old.xml", server.url("/rss.xml"))
    result = _add(server.url("/old.xml"))
    assert result.exit_code == 1, result.output
    said = words(result.stderr)
    assert (
        f"moved permanently to {server.url('/rss.xml')}, which is feed 1 (Harbour), disabled:"
        in said
    )
    assert "`newsdigest feeds enable 1` polls it again" in said
    assert _urls(tmp_path) == [server.url("/rss.xml")]


def test_the_feed_is_not_stored_while_it_is_fetched(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Added and committed before the fetch, a running service could poll it meanwhile, though
    # the fetch then took it back (a move to a watched feed).
    from bot.cli import feeds as feeds_cli

    during: list[list[str]] = []
    fetch = feeds_cli.check_new_feed

    def watched(polling: object, url: str) -> tuple[bool, str, str | None]:
        during.append(_urls(tmp_path))
        return fetch(polling, url)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds_cli, "check_new_feed", watched)
    result = _add(server.url("/rss.xml"))
    assert result.exit_code == 0, result.output
    assert during == [[]]
    assert _urls(tmp_path) == [server.url("/rss.xml")]
