"""A feed URL's percent-escapes have one spelling: `a%60b` and `a`b` (a raw backtick) are one
feed, as are `%7e` and `~`, `%2f` and `%2F`; escapes that may mean something else than their
character raw (`%2F`, `%3F`, `%26`, `%3D`, `%40`) stay escaped. A database that already holds two
spellings of one URL as two feeds upgrades without a UNIQUE error: both are kept, with a warning."""

from __future__ import annotations

import logging
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

ADMIN = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_env(tmp_path, monkeypatch)
    return tmp_path


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://example.com/a`b", "https://example.com/a%60b"),
        ("https://example.com/a%60b", "https://example.com/a%60b"),
        ("https://example.com/f?tag=a`b", "https://example.com/f?tag=a%60b"),
        # Not allowed raw anywhere in a URL: percent-encoded, as UTF-8.
        ('https://example.com/"q"/<a>/{b}/c|d/e\\f/g^h', "https://example.com/%22q%22/%3Ca%3E/%7Bb%7D/c%7Cd/e%5Cf/g%5Eh"),
        ("https://example.com/café?q=naïve", "https://example.com/caf%C3%A9?q=na%C3%AFve"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        # Unreserved characters' escapes decoded; other escapes' hex in upper case.
        ("https://example.com/%7euser/%41%2d%5f%2E", "https://example.com/~user/A-_."),
        ("https://example.com/a%2fb?x=%2f%3f%26%3d%40%23", "https://example.com/a%2Fb?x=%2F%3F%26%3D%40%23"),
        # Escaped delimiters and sub-delimiters keep their escape: decoded, they would delimit.
        ("https://example.com/a%2Fb%3Fc?k=%26%3D", "https://example.com/a%2Fb%3Fc?k=%26%3D"),
        # Raw reserved characters stay raw: encoded, they would no longer delimit.
        ("https://example.com/@everyone/f?a[]=1&b=c:d", "https://example.com/@everyone/f?a[]=1&b=c:d"),
        # A dot segment the client would resolve away is not made by decoding.
        ("https://example.com/a/%2e%2e/b", "https://example.com/a/%2E%2E/b"),
        ("https://example.com/a/%2e%2ex/b", "https://example.com/a/..x/b"),
        # A stray % escapes nothing: left as written, as an HTTP client sends it.
        ("https://example.com/100%/x%zz", "https://example.com/100%/x%zz"),
        ("HTTPS://Example.COM:443/A%7e`#frag", "https://example.com/A~%60"),
    ],
)  # fmt: skip
def test_one_spelling_of_escapes(url: str, normal: str) -> None:
    assert normalize_feed_url(url) == normal
    assert normalize_feed_url(normal) == normal


def test_check_still_refuses_a_typed_space() -> None:
    # A space typed in a URL is more likely two things pasted together than a path.
    with pytest.raises(ValueError, match="spaces"):
        check_feed_url("https://example.com/a b")
    assert normalize_feed_url("https://example.com/a b") == "https://example.com/a%20b"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://example.com/a%60b", "https://example.com/a`b"),
        ("https://example.com/a`b", "https://example.com/a%60b"),
        ("https://example.com/~user/feed", "https://example.com/%7Euser/feed"),
        ("https://example.com/caf%C3%A9", "https://example.com/café"),
    ],
)
def test_feeds_add_refuses_another_escaping_of_a_feed(env: Path, first: str, second: str) -> None:
    runner = CliRunner()
    normal = normalize_feed_url(first)
    added = runner.invoke(cli, ["feeds", "add", first])
    assert added.exit_code == 0 and f"Added feed 1: {normal} " in added.output, added.output
    again = runner.invoke(cli, ["feeds", "add", second])
    assert (again.exit_code, again.output) == (
        1,
        f"Error: feed already added, as feed 1: {normal}\n",
    )
    removed = runner.invoke(cli, ["feeds", "remove", second])
    assert (removed.exit_code, removed.output) == (0, f"Removed feed 1: {normal}\n")


async def test_feeds_add_in_chat_refuses_a_backtick_spelt_out(core: NewsDigest) -> None:
    commands = Commands(core)
    added = await commands.dispatch("feeds", "add https://example.com/a%60b", ADMIN)
    assert added.text.startswith("Added feed `https://example.com/a%60b`.")
    again = await commands.dispatch("feeds", "add https://example.com/a`b", ADMIN)
    stored = feed_store.get_feed_by_url(core.db, "https://example.com/a%60b")
    assert stored is not None
    assert again.text == (
        f"That feed is already added, as feed #{stored.id}: `https://example.com/a%60b`"
    )
    urls = [f.url for f in feed_store.list_feeds(core.db)]
    assert urls.count("https://example.com/a%60b") == 1 and "https://example.com/a`b" not in urls


def test_config_loads_two_escapings_of_one_feed_once_with_a_warning(tmp_path: Path) -> None:
    # Such a file loaded as two feeds before escapes had one spelling: it must still start.
    path = tmp_path / "dup.toml"
    path.write_text(
        "[[feeds]]\nurl = 'https://example.com/a%60b'\n[[feeds]]\nurl = 'https://example.com/a`b'\n",
        "utf-8",
    )
    config = load_config(path)
    assert [f.url for f in config.feeds] == ["https://example.com/a%60b"]
    assert config.warnings == [
        f"{path}: feeds[1].url = 'https://example.com/a`b' is feeds[0].url = "
        "'https://example.com/a%60b' spelt another way, one feed, https://example.com/a%60b: "
        "loaded once, as feeds[0]; feeds[1] is ignored. Remove feeds[1] from the file."
    ]
    path.write_text("[[feeds]]\nurl = 'https://example.com/a%60b'\n" * 2, "utf-8")
    with pytest.raises(ConfigError) as info:  # the same URL written twice alike, as always
        load_config(path)
    assert (info.value.key, info.value.problem) == (
        "feeds[1].url",
        "duplicate feed 'https://example.com/a%60b'",
    )


def test_upgrade_respells_feeds_and_keeps_both_of_two_that_now_meet(
    env: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = env / "nd.db"
    db = open_database(path)
    created = "2026-01-05T00:00:00+00:00"
    # Stored before escapes had one spelling: two feeds for one address, and one alone.
    for url, etag in [
        ("https://example.com/a`b", '"one"'),
        ("https://example.com/a%60b", '"two"'),
        ("https://example.com/%7euser/feed", '"three"'),
    ]:
        db["feeds"].insert({"url": url, "etag": etag, "created_at": created})
    db["feeds"].insert(
        {
            "url": "https://example.com/x|y",
            "config_url": "https://example.com/x|y",
            "origin": "config",
            "created_at": created,
        }
    )
    db.execute("DELETE FROM schema_migrations WHERE version >= 26")
    db.close()
    with caplog.at_level(logging.WARNING, logger="bot.store.feed_spellings"):
        upgraded = open_database(path)
    rows = upgraded.execute("SELECT id, url, config_url, etag FROM feeds ORDER BY id").fetchall()
    upgraded.close()
    assert rows == [
        # Already held by feed 2: feed 1 keeps its spelling and its state, as does feed 2.
        (1, "https://example.com/a`b", None, '"one"'),
        (2, "https://example.com/a%60b", None, '"two"'),
        (3, "https://example.com/~user/feed", None, '"three"'),
        (4, "https://example.com/x%7Cy", "https://example.com/x%7Cy", None),
    ]
    # Only this module's: another test may have left the root logger at INFO (migration lines).
    spellings = [r for r in caplog.records if r.name == "bot.store.feed_spellings"]
    assert [r.getMessage() for r in spellings] == [
        "feed 1 (https://example.com/a`b) is feed 2 (https://example.com/a%60b) spelt another"
        " way; both are kept and polled as before: remove one with"
        " `newsdigest feeds remove <id>`"
    ]
    # Each is still found: the config's feed by the file's URL, the kept one by its own.
    (env / "nd.toml").write_text(
        "[polling]\nallow_private_networks = true\n[[feeds]]\nurl = 'https://example.com/x|y'\n",
        encoding="utf-8",
    )
    app = NewsDigest(load_config(env / "nd.toml"), db=open_database(path))
    app.sync_config()
    feeds = {f.id: f.url for f in feed_store.list_feeds(app.db)}
    assert feeds == {
        1: "https://example.com/a`b",
        2: "https://example.com/a%60b",
        3: "https://example.com/~user/feed",
        4: "https://example.com/x%7Cy",
    }
    kept = feed_store.get_feed_by_url(app.db, "https://example.com/a`b")
    app.close()
    assert kept is not None and kept.id == 1
