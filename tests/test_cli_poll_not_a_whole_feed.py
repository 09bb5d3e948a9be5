"""`poll` over a web page added where its feed belongs says so in the OPML import's words, naming
the feed the page advertises; a feed cut off before its end is kept but said to look cut off,
not reported ok with nothing in it. Real loopback server, real SQLite, the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer, Reply

HTML = {"content_type": "text/html; charset=utf-8"}
PAGE = b"""<!DOCTYPE html>
<html><head><title>Harbour News</title>
<link rel="stylesheet" href="/site.css">
<link rel="alternate" type="application/rss+xml" title="Harbour News" href="/news/rss.xml">
</head><body><p>Ferries run late again.</p></body></html>
"""
BARE_PAGE = b"<html><head><title>Nothing here</title></head><body>Hello</body></html>"
# A maintenance page served at the feed's own address, still advertising that address.
SELF_PAGE = (
    b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml" '
    b'href="/feed/"></head><body>Back soon</body></html>'
)
# The same, reached by a redirect from the address it advertises.
MOVED_PAGE = SELF_PAGE.replace(b"/feed/", b"/moved/")
CUT = b"<rss><channel><title>oops"
CUT_WITH_ITEM = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title>'
    b"<item><title>Ferry timetable changes</title><link>https://harbour.example/a</link>"
    b"<guid>a</guid></item>\n"
)
# Whole, after a note that mentions a tag: the note's <br> is no root left unclosed.
NOTED = (
    b'<?xml version="1.0"?>\n<!-- items use <br> between paragraphs -->\n'
    + CUT_WITH_ITEM
    + b"</channel></rss>\n"
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    routes = {
        "/page.html": Reply(body=PAGE, **HTML),  # type: ignore[arg-type]
        "/bare.html": Reply(body=BARE_PAGE, **HTML),  # type: ignore[arg-type]
        "/cut.xml": Reply(body=CUT),
        "/cut-item.xml": Reply(body=CUT_WITH_ITEM),
        "/noted.xml": Reply(body=NOTED),
        "/feed/": Reply(body=SELF_PAGE, **HTML),  # type: ignore[arg-type]
        "/maintenance.html": Reply(body=MOVED_PAGE, **HTML),  # type: ignore[arg-type]
        "/moved/": Reply(status=302, headers={"Location": "/maintenance.html"}),
    }
    with FeedServer(routes) as srv:
        yield srv


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def _poll(runner: CliRunner, *urls: str) -> tuple[int, str]:
    for url in urls:
        assert runner.invoke(cli, ["feeds", "add", url]).exit_code == 0
    result = runner.invoke(cli, ["poll", "--all"])
    return result.exit_code, " ".join(result.output.split())


def test_a_web_page_names_the_feed_it_advertises(server: FeedServer, runner: CliRunner) -> None:
    code, out = _poll(runner, server.url("/page.html"))
    assert code == 1
    expected = (
        "a web page, not a feed: add the feed's address; the page names its feed: "
        + server.url("/news/rss.xml")
    )
    assert expected in out
    assert "malformed" not in out and "fastfeedparser" not in out
    listed = " ".join(runner.invoke(cli, ["feeds", "list"]).output.split())
    assert "a web page, not a feed" in listed


def test_a_web_page_advertising_nothing(server: FeedServer, runner: CliRunner) -> None:
    code, out = _poll(runner, server.url("/bare.html"))
    assert code == 1
    assert "a web page, not a feed: add the feed's address (the page names none)" in out


@pytest.mark.parametrize("path", ["/feed/", "/moved/"])
def test_a_web_page_naming_the_polled_address_names_none(
    path: str, server: FeedServer, runner: CliRunner
) -> None:
    code, out = _poll(runner, server.url(path))
    assert code == 1
    assert "a web page, not a feed: add the feed's address (the page names none)" in out
    assert "names its feed" not in out


@pytest.mark.parametrize(
    ("path", "kept"), [("/cut.xml", "0 entries"), ("/cut-item.xml", "1 entry")]
)
def test_a_cut_off_feed_is_kept_and_said(
    path: str, kept: str, server: FeedServer, runner: CliRunner
) -> None:
    code, out = _poll(runner, server.url(path))
    assert code == 0  # what arrived is still read
    assert f"the feed looks cut off (no closing </rss>): kept the {kept} before the cut" in out


def test_a_whole_feed_after_a_note_naming_a_tag_is_not_cut_off(
    server: FeedServer, runner: CliRunner
) -> None:
    code, out = _poll(runner, server.url("/noted.xml"))
    assert code == 0
    assert "cut off" not in out and "</br>" not in out
    listed = " ".join(runner.invoke(cli, ["feeds", "list"]).output.split())
    assert "cut off" not in listed
