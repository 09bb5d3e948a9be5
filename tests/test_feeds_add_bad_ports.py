"""A feed URL whose port no socket can use (0, or over 65535) is refused when the feed is added,
by every way of adding one (`feeds add`, `/feeds add`, `feeds import`, the config file), with the
error other bad URLs get; the fetcher refuses port 0 too instead of reading it as the default.
Real SQLite files, the real CLI and command handler."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.config import ConfigError, load_config
from bot.feedurls import FeedUrlError, check_feed_url
from bot.ingest.errors import UnsupportedURLError
from bot.ingest.netguard import check_url
from bot.store import feeds as feed_store
from bot.store.database import open_database

PORT_0 = "http://news.example:0/rss"


@pytest.mark.parametrize(
    ("url", "port"),
    [
        (PORT_0, "0"),
        ("http://news.example:00/rss", "00"),
        ("https://news.example:99999/rss", "99999"),
        ("https://news.example:65536/rss", "65536"),
        ("http://[2001:db8::1]:0/rss", "0"),
        ("http://news.example:-1/rss", "-1"),
    ],
)
def test_a_port_outside_1_to_65535_is_refused(url: str, port: str) -> None:
    with pytest.raises(FeedUrlError) as info:
        check_feed_url(url)
    assert str(info.value) == f"not a valid URL (invalid port {port!r}: 1 to 65535): {url!r}"


@pytest.mark.parametrize("url", ["http://news.example:1/rss", "https://news.example:65535/rss"])
def test_ports_at_the_edges_are_fine(url: str) -> None:
    assert check_feed_url(url) == url


def test_feeds_add_refuses_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli_env(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["feeds", "add", PORT_0])
    assert result.exit_code != 0
    assert "invalid port '0': 1 to 65535" in result.output
    db = open_database(tmp_path / "nd.db")
    try:
        assert feed_store.list_feeds(db) == []
    finally:
        db.close()


async def test_feeds_add_in_chat_refuses_it(core: NewsDigest) -> None:
    admin = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
    reply = await Commands(core).dispatch("feeds", f"add {PORT_0}", admin)
    assert "invalid port '0': 1 to 65535" in reply.text
    assert feed_store.get_feed(core.db, PORT_0) is None


def test_opml_import_skips_it_and_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="A" xmlUrl="https://a.example/feed"/>'
        f'<outline text="Zero" xmlUrl="{PORT_0}"/>'
        '<outline text="C" xmlUrl="https://c.example/feed"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["feeds", "import", str(opml)])
    assert result.exit_code == 0, result.output
    assert "invalid port '0': 1 to 65535" in " ".join(result.output.split())
    db = open_database(tmp_path / "nd.db")
    try:
        urls = [f.url for f in feed_store.list_feeds(db)]
    finally:
        db.close()
    assert urls == ["https://a.example/feed", "https://c.example/feed"]


def test_the_config_file_refuses_it_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "nd.toml"
    path.write_text(f"[[feeds]]\nurl = '{PORT_0}'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.key == "feeds[0].url"
    assert info.value.problem == f"not a valid URL (invalid port '0': 1 to 65535): {PORT_0!r}"


async def test_the_fetcher_refuses_port_0_rather_than_read_it_as_the_default() -> None:
    with pytest.raises(UnsupportedURLError, match=r"invalid port 0 in .* \(1 to 65535\)"):
        await check_url("http://127.0.0.1:0/rss", allow_private_networks=True)
