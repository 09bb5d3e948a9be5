"""A feed URL has one spelling: scheme and host case, the default port and a #fragment do not
make another feed, whether it comes from `feeds add`, an OPML file, the config or chat."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.config import ConfigError, load_config
from bot.feedurls import check_feed_url, normalize_feed_url
from bot.store import feeds as feed_store
from bot.store.database import open_database

FEED = "https://b.example/feed"
SPELLINGS = [
    "https://B.EXAMPLE/feed",
    "https://b.example:443/feed",
    "https://b.example/feed#frag",
    "HTTPS://b.example/feed",
    "  HTTPS://B.Example:443/feed#top  ",
]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_env(tmp_path, monkeypatch)
    return tmp_path


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://b.example/feed", "https://b.example/feed"),
        ("HTTPS://B.EXAMPLE:443/feed#x", "https://b.example/feed"),
        ("http://b.example:80/feed", "http://b.example/feed"),
        ("http://b.example:443/feed", "http://b.example:443/feed"),  # not http's default
        ("https://b.example:8443/feed", "https://b.example:8443/feed"),
        ("https://b.example", "https://b.example/"),
        ("https://b.example/Feed.XML?Cat=A", "https://b.example/Feed.XML?Cat=A"),  # as written
        ("http://[::1]:80/feed", "http://[::1]/feed"),
        ("http://[::1]:8080/feed", "http://[::1]:8080/feed"),
        ("https://BÜCHER.example/feed", "https://bücher.example/feed"),
    ],
)
def test_normal_spelling(url: str, normal: str) -> None:
    assert normalize_feed_url(url) == normal
    assert check_feed_url(url) == normal
    assert normalize_feed_url(normal) == normal


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_feeds_add_refuses_another_spelling_of_a_feed(env: Path, spelling: str) -> None:
    runner = CliRunner()
    added = runner.invoke(cli, ["feeds", "add", FEED])
    assert added.exit_code == 0 and f"Added feed 1: {FEED} " in added.output
    again = runner.invoke(cli, ["feeds", "add", spelling])
    assert again.exit_code == 1
    # Its id too: what `feeds remove` and `feeds list` name it by.
    assert again.output == f"Error: feed already added, as feed 1: {FEED}\n"
    assert [f.url for f in _feeds(env)] == [FEED]


def test_a_feed_added_in_another_spelling_is_stored_in_the_normal_one(env: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(cli, ["feeds", "add", "HTTPS://B.EXAMPLE:443/feed#top"])
    assert added.exit_code == 0 and f"Added feed 1: {FEED} " in added.output
    for spelling in SPELLINGS:
        assert runner.invoke(cli, ["feeds", "add", spelling]).exit_code == 1
    # Removed by any spelling of its URL, too.
    removed = runner.invoke(cli, ["feeds", "remove", "https://B.example:443/feed"])
    assert removed.exit_code == 0 and removed.output == f"Removed feed 1: {FEED}\n"
    assert _feeds(env) == []


def test_opml_import_skips_other_spellings_of_a_feed(env: Path) -> None:
    assert CliRunner().invoke(cli, ["feeds", "add", FEED]).exit_code == 0
    outlines = "".join(f'<outline text="x" xmlUrl="{u.strip()}"/>' for u in SPELLINGS)
    opml = env / "subs.opml"
    opml.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head/><body>{outlines}'
        '<outline text="C" xmlUrl="https://C.example:443/rss#x"/></body></opml>',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["feeds", "import", str(opml)])
    assert result.exit_code == 0, result.output
    assert f"Imported 1 feed ({len(SPELLINGS)} skipped)" in result.output
    # The first spelling is the feed already there; the others repeat it within the file.
    assert "skipped 1 feed already in the database" in result.output
    for spelling in SPELLINGS[1:]:
        assert (
            f"skipped {spelling.strip()}: listed twice in the file (first as {SPELLINGS[0]})"
        ) in result.output
    assert [f.url for f in _feeds(env)] == [FEED, "https://c.example/rss"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_config_loads_another_spelling_of_a_feed_it_lists_once(env: Path, spelling: str) -> None:
    path = env / "dup.toml"
    path.write_text(f"[[feeds]]\nurl = '{FEED}'\n[[feeds]]\nurl = '{spelling}'\n", "utf-8")
    config = load_config(path)
    assert [f.url for f in config.feeds] == [FEED]
    (warning,) = config.warnings
    assert f"feeds[1].url = {spelling.strip()!r} is feeds[0].url = {FEED!r}" in warning
    path.write_text(f"[[feeds]]\nurl = '{FEED}'\n[[feeds]]\nurl = '{FEED}'\n", "utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert (info.value.key, info.value.problem) == ("feeds[1].url", f"duplicate feed {FEED!r}")


def test_config_feed_in_another_spelling_takes_over_the_cli_feed(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", FEED]).exit_code == 0
    (env / "nd.toml").write_text(
        "[polling]\nallow_private_networks = true\n[[feeds]]\nurl = 'HTTPS://B.example:443/feed'\n",
        encoding="utf-8",
    )
    config = load_config(env / "nd.toml")
    assert config.feeds[0].url == FEED
    app = NewsDigest(config, db=open_database(env / "nd.db"))
    app.sync_config()  # as `poll` and `run` do
    app.close()
    (feed,) = _feeds(env)
    assert (feed.url, feed.origin) == (FEED, "config")


async def test_feeds_add_in_chat_refuses_another_spelling(core: NewsDigest) -> None:
    admin = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
    commands = Commands(core)
    before = len(feed_store.list_feeds(core.db))
    await commands.dispatch("feeds", f"add {FEED}", admin)
    reply = await commands.dispatch("feeds", "add HTTPS://B.EXAMPLE:443/feed#top", admin)
    assert "already" in reply.text
    urls = [f.url for f in feed_store.list_feeds(core.db)]
    assert len(urls) == before + 1 and urls.count(FEED) == 1


def _feeds(env: Path) -> list[feed_store.FeedRow]:
    db = open_database(env / "nd.db")
    try:
        return feed_store.list_feeds(db)
    finally:
        db.close()


def test_feeds_stored_in_another_spelling_are_rewritten_on_upgrade(env: Path) -> None:
    # A config feed stored before URLs had one spelling keeps its row, and with it its polling
    # state, when the config (now read in the normal spelling) is synced after the upgrade.
    path = env / "nd.db"
    db = open_database(path)
    old = "HTTPS://B.example:443/feed#top"
    db["feeds"].insert(
        {"url": old, "config_url": old, "origin": "config", "etag": '"v7"',
         "created_at": "2026-01-05T00:00:00+00:00"}
    )  # fmt: skip
    # Two spellings of one URL stored as two feeds stay two feeds: the later keeps its spelling.
    db["feeds"].insert({"url": "https://c.example/x", "created_at": "2026-01-05T00:00:00+00:00"})
    db["feeds"].insert({"url": "HTTPS://C.example/x", "created_at": "2026-01-05T00:00:00+00:00"})
    db.execute("DELETE FROM schema_migrations WHERE version >= 12")
    db.close()
    (env / "nd.toml").write_text(
        "[polling]\nallow_private_networks = true\n[[feeds]]\nurl = 'HTTPS://B.example:443/feed'\n",
        encoding="utf-8",
    )
    upgraded = open_database(path)
    app = NewsDigest(load_config(env / "nd.toml"), db=upgraded)
    app.sync_config()
    app.close()
    feeds = {f.url: f for f in _feeds(env)}
    assert set(feeds) == {FEED, "https://c.example/x", "HTTPS://C.example/x"}
    assert feeds[FEED].id == 1 and feeds[FEED].etag == '"v7"'


@pytest.mark.parametrize(
    "typed", ["q.example.org/rss", "q.example.org:8080/rss", "example.org", "8.8.8.8/rss"]
)
def test_an_address_without_its_scheme_is_refused_with_the_https_one(env: Path, typed: str) -> None:
    result = CliRunner().invoke(cli, ["feeds", "add", typed])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the URL has no http:// or https://: {typed!r}; did you mean https://{typed}?\n"
    )
    assert _feeds(env) == []


@pytest.mark.parametrize(
    "typed",
    [
        "localhost/feed.xml",
        "localhost:8765/feed.xml",
        "news.localhost/rss",
        "127.0.0.1:8765/alpha.xml",
        "192.168.1.5/rss",
        "10.0.0.7:8080/feed",
    ],
)
def test_this_machine_or_a_private_address_without_its_scheme_gets_the_http_one(
    env: Path, typed: str
) -> None:
    # Such a server almost never has TLS: https:// was a suggestion that fails to connect.
    result = CliRunner().invoke(cli, ["feeds", "add", typed])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the URL has no http:// or https://: {typed!r}; did you mean http://{typed}?\n"
    )
    assert _feeds(env) == []


def test_the_config_files_error_suggests_http_for_a_loopback_feed(tmp_path: Path) -> None:
    path = tmp_path / "nd.toml"
    path.write_text('[[feeds]]\nurl = "127.0.0.1:8765/alpha.xml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"did you mean http://127\.0\.0\.1:8765/alpha\.xml\?"):
        load_config(path)
