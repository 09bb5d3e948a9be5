"""The config file and rows added by command or chat: declaring one takes it over (said once),
taking it out of the file hands it back instead of deleting it; a channel in the file may follow
a topic added with `topics add`. Real SQLite files, the real CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.config import ChannelConfig, Config, FeedConfig, TopicConfig
from bot.config_values import ConfigError
from bot.demo.feeds import sample_feeds
from bot.feedserver import FeedServer
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import open_database, utcnow
from bot.store.sync import sync_config
from bot.store.sync_report import sync_notes

HEAD = "[polling]\nallow_private_networks = true\n"
FEED = "http://127.0.0.1:9/a.xml"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    (tmp_path / "config").mkdir()
    _write(tmp_path, "")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(site: Path, body: str) -> None:
    (site / "config" / "newsdigest.toml").write_text(HEAD + body, encoding="utf-8")


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _db(site: Path) -> sqlite_utils.Database:
    return open_database(site / "nd.db")


def _feed(site: Path) -> tuple[str | None, str]:
    db = _db(site)
    try:
        feed = feed_store.get_feed(db, FEED)
        assert feed is not None, "the feed must never be deleted by the file"
        return feed.name, feed.origin
    finally:
        db.close()


def _topic(site: Path, slug: str) -> tuple[str, str]:
    db = _db(site)
    try:
        topic = channel_store.get_topic(db, slug)
        assert topic is not None, "the topic must never be deleted by the file"
        return topic.query, topic.origin
    finally:
        db.close()


def test_a_feed_added_with_feeds_add_is_taken_over_then_handed_back(site: Path) -> None:
    assert _run("feeds", "add", FEED, "--name", "Alpha").exit_code == 0
    _write(site, f'[[feeds]]\nurl = "{FEED}"\nname = "From the file"\n')

    declared = _run("poll")
    assert (
        f"config: feed {FEED}, added with `feeds add`, is now managed by "
        "config/newsdigest.toml (taking it out of the file hands it back)\n"
    ) in declared.stderr
    assert _feed(site) == ("From the file", "config")
    assert "config:" not in _run("poll").stderr  # said once, when it changed hands
    refused = _run("feeds", "remove", FEED)
    assert refused.exit_code == 1 and "remove it there" in refused.output

    _write(site, "")
    removed = _run("poll")
    assert "removed" not in removed.stderr
    assert (
        f"config: feed {FEED}, added with `feeds add`, is no longer in config/newsdigest.toml: "
        "kept, as the file left it, and managed as before\n"
    ) in removed.stderr
    assert _feed(site) == ("From the file", "cli")
    assert "config:" not in _run("poll").stderr

    # Declared again it is taken over again; and once handed back, `feeds remove` takes it.
    _write(site, f'[[feeds]]\nurl = "{FEED}"\n')
    assert "is now managed by" in _run("poll").stderr
    assert _feed(site) == (None, "config")
    _write(site, "")
    _run("poll")
    assert _run("feeds", "remove", FEED).exit_code == 0


def test_a_topic_added_with_topics_add_is_taken_over_then_handed_back(site: Path) -> None:
    assert _run("topics", "add", "chips", '"chip export" OR semiconductor').exit_code == 0
    _write(site, '[[topics]]\nslug = "chips"\nquery = "chip"\n')

    declared = _run("poll")
    assert (
        "config: topic chips, added with `topics add`, is now managed by config/newsdigest.toml"
    ) in declared.stderr
    assert _topic(site, "chips") == ("chip", "config")
    refused = _run("topics", "remove", "chips")
    assert refused.exit_code == 1 and "remove it there" in refused.output

    _write(site, "")
    removed = _run("poll")
    assert "removed" not in removed.stderr
    assert "config: topic chips, added with `topics add`, is no longer in" in removed.stderr
    assert _topic(site, "chips") == ("chip", "cli")
    assert _run("topics", "remove", "chips").exit_code == 0


def test_a_topic_the_file_created_is_still_removed_with_its_entry(site: Path) -> None:
    _write(site, '[[topics]]\nslug = "chips"\nquery = "chip"\n')
    _run("poll")
    _write(site, "")
    removed = _run("poll")
    assert "config: removed 1 topic no longer in config/newsdigest.toml: chips" in removed.stderr
    db = _db(site)
    assert channel_store.get_topic(db, "chips") is None
    db.close()


def _origin(db: sqlite_utils.Database, channel_pk: int) -> str:
    return str(db.execute("SELECT origin FROM channels WHERE id = ?", [channel_pk]).fetchone()[0])


def test_a_channel_signed_up_in_chat_is_handed_back_unpaused(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    chat = channel_store.ensure_channel(db, "slack", "C1", name="#news")
    config = Config(
        path=tmp_path / "newsdigest.toml",
        channels=[ChannelConfig(platform="slack", id="C1", name="#news", schedule="0 7 * * *")],
    )
    report = sync_config(db, config)
    assert sync_notes(report, "nd.toml") == [
        "config: channel #news (slack:C1), added in chat, is now managed by nd.toml (taking it "
        "out of the file hands it back)"
    ]
    row = channel_store.get_channel(db, "slack", "C1")
    assert row is not None and (row.id, row.schedule) == (chat.id, "0 7 * * *")
    assert _origin(db, chat.id) == "config"

    report = sync_config(db, Config(path=config.path))
    assert report.paused_channels == [] and len(report.handed_back) == 1
    row = channel_store.get_channel(db, "slack", "C1")
    assert row is not None and row.paused_reason is None
    assert _origin(db, chat.id) == "chat"
    db.close()


def test_feeds_from_an_opml_import_or_chat_are_named_as_such(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    feed_store.add_feed(db, "https://a.example/feed", origin="opml")
    feed_store.add_feed(db, "https://b.example/feed", origin="chat")
    channel_store.upsert_topic(db, "moon", "moon", origin="chat")
    config = Config(path=tmp_path / "newsdigest.toml")
    config.feeds = [
        FeedConfig(url="https://a.example/feed"),
        FeedConfig(url="https://b.example/feed"),
    ]
    config.topics = [TopicConfig(slug="moon", query="lunar")]
    report = sync_config(db, config)
    assert report.taken_over == [
        "feed https://a.example/feed, added with `feeds import`",
        "feed https://b.example/feed, added in chat",
        "topic moon, added in chat",
    ]
    report = sync_config(db, Config(path=config.path))
    assert [f.origin for f in feed_store.list_feeds(db)] == ["opml", "chat"]
    topic = channel_store.get_topic(db, "moon")
    assert topic is not None and (topic.query, topic.origin) == ("lunar", "chat")
    assert report.removed_feeds == [] and report.removed_topics == []
    db.close()


def test_a_config_channel_follows_a_topic_added_with_topics_add(
    site: Path, sample_server: FeedServer
) -> None:
    # The Quick start's order: a topic from the command line, then a channel in the file.
    assert _run("topics", "add", "nordland", "nordland", "--title", "Nordland").exit_code == 0
    feeds = "".join(
        f'[[feeds]]\nurl = "{sample_server.url(p)}"\n' for p in sorted(sample_feeds(utcnow()))
    )
    _write(
        site,
        feeds + '[[topics]]\nslug = "fires"\nquery = "wildfire"\n'
        '[[channels]]\nplatform = "console"\nid = "team"\ntopics = ["fires", "nordland"]\n',
    )
    polled = _run("poll")
    assert "invalid configuration" not in polled.output
    db = _db(site)
    channel = channel_store.get_channel(db, "console", "team")
    assert channel is not None
    assert sorted(t.slug for t in channel_store.channel_topics(db, channel.id)) == [
        "fires",
        "nordland",
    ]
    db.close()
    digest = _run("digest", "console:team")
    assert digest.exit_code == 0, digest.output
    assert "Nordland" in digest.output  # the story the command line's topic picks
    # The topic stays the command line's: the file only follows it.
    assert _topic(site, "nordland") == ("nordland", "cli")
    # And `topics remove` would leave the file's channel naming nothing: refused, saying where.
    refused = _run("topics", "remove", "nordland")
    assert refused.exit_code == 1
    assert "followed by console:team in config/newsdigest.toml" in refused.output


def test_a_channel_topic_found_nowhere_refuses_the_whole_config(site: Path) -> None:
    _write(
        site,
        f'[[feeds]]\nurl = "{FEED}"\n[[topics]]\nslug = "rates"\nquery = "rate"\n'
        '[[channels]]\nplatform = "console"\nid = "team"\ntopics = ["rates", "chips"]\n',
    )
    polled = _run("poll")
    assert polled.exit_code == 1
    assert polled.output.splitlines()[-1] + "\n" == (
        "Error: invalid configuration: config/newsdigest.toml: channels[0].topics[1]: unknown "
        "topic 'chips': neither under [[topics]] in the file nor in the database (define it "
        "under [[topics]], or add it with `newsdigest topics add chips QUERY`)\n"
    )
    db = _db(site)
    # All or nothing: the feed and topic before the bad channel were not synced either.
    assert feed_store.list_feeds(db) == [] and channel_store.list_topics(db) == []
    db.close()
    # A command that does not sync reads the same file without complaint; and once the topic
    # is added from the command line, the file syncs.
    assert _run("topics", "add", "chips", "chip").exit_code == 0
    assert "invalid configuration" not in _run("poll").output


def test_the_sync_raises_config_error_naming_the_key(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    config = Config(
        path=tmp_path / "newsdigest.toml",
        channels=[ChannelConfig(platform="slack", id="C1", topics=["nope"])],
    )
    with pytest.raises(ConfigError) as caught:
        sync_config(db, config)
    assert caught.value.key == "channels[0].topics[0]"
    assert channel_store.get_channel(db, "slack", "C1") is None
    db.close()


def test_the_quick_starts_channel_follows_its_topics_add_topic(site: Path) -> None:
    """README's Quick start as written: `topics add chips …`, then its ```toml block."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"^```toml\n(.*?)^```", quick_start, re.M | re.S)
    assert 'topics = ["rates", "chips"]' in block
    assert _run("topics", "add", "chips", '"chip export" OR semiconductor').exit_code == 0
    _write(site, block)
    polled = _run("poll")
    assert polled.exit_code == 0, polled.output
    db = _db(site)
    channel = channel_store.get_channel(db, "slack", "C0123456789")
    assert channel is not None
    assert sorted(t.slug for t in channel_store.channel_topics(db, channel.id)) == [
        "chips",
        "rates",
    ]
    db.close()


def test_run_refuses_a_channel_topic_found_nowhere_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "nd.toml"
    config.write_text(
        '[[channels]]\nplatform = "console"\nid = "team"\ntopics = ["chips"]\n', encoding="utf-8"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "NEWSDIGEST_DB": str(tmp_path / "nd.db"),
        "NEWSDIGEST_HEALTH_PORT": "off",
    }
    for token in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        env.pop(token, None)
    refused = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert refused.stderr.endswith(
        f"Error: invalid configuration: {config}: channels[0].topics[0]: unknown topic 'chips': "
        "neither under [[topics]] in the file nor in the database (define it under [[topics]], "
        "or add it with `newsdigest topics add chips QUERY`)\n"
    )
