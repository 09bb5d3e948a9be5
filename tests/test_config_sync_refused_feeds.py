"""A feed in the config file at an address polling refuses (loopback, private, link-local) is
not synced, as `feeds add`, `/feeds add` and `feeds import` refuse it; the rest of the file is,
and the sync names the entry and why. A row an earlier version stored for it is removed if the
file made it, handed back if the file took it over. Real SQLite files, the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from bot.cli import cli
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig, TopicConfig
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import open_database
from bot.store.sync import sync_config
from bot.store.sync_report import sync_notes

PUBLIC = "https://news.example/rss"
PRIVATE = "http://10.0.0.5/rss.xml"
LOCAL = "http://localhost:8080/feed"
METADATA = "http://169.254.169.254/latest"
ALLOW = "(set allow_private_networks = true under [polling] to allow it), then restart"


def _config(*urls: str, allow: bool = False) -> Config:
    return Config(
        polling=PollingConfig(allow_private_networks=allow),
        feeds=[FeedConfig(url=u) for u in urls],
        topics=[TopicConfig(slug="chips", query="chip")],
        channels=[ChannelConfig(platform="slack", id="C1", name="#news", topics=["chips"])],
    )


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_database(tmp_path / "nd.db")


def _urls(db: sqlite_utils.Database) -> list[str]:
    return [f.url for f in feed_store.list_feeds(db)]


def test_a_refused_feed_is_not_stored_and_the_rest_of_the_file_syncs(
    db: sqlite_utils.Database,
) -> None:
    report = sync_config(db, _config(PRIVATE, PUBLIC, LOCAL, METADATA))

    assert _urls(db) == [PUBLIC]
    assert [t.slug for t in channel_store.list_topics(db)] == ["chips"]
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None and channel.paused_reason is None
    assert sync_notes(report, "config/newsdigest.toml") == [
        f"config: config/newsdigest.toml: feeds[0] ({PRIVATE}): not synced: refusing to fetch "
        f"from private address 10.0.0.5 {ALLOW}",
        f"config: config/newsdigest.toml: feeds[2] ({LOCAL}): not synced: refusing to fetch "
        f"from loopback address localhost {ALLOW}",
        f"config: config/newsdigest.toml: feeds[3] ({METADATA}): not synced: refusing to fetch "
        "from link-local address 169.254.169.254; no setting allows it",
    ]
    # Said at every sync while the entry stands: the file keeps declaring a feed that is not there.
    again = sync_config(db, _config(PRIVATE, PUBLIC, LOCAL, METADATA))
    assert len(again.refused_feeds) == 3 and _urls(db) == [PUBLIC]


def test_allow_private_networks_lets_loopback_and_private_feeds_in_but_never_link_local(
    db: sqlite_utils.Database,
) -> None:
    report = sync_config(db, _config(PRIVATE, LOCAL, METADATA, allow=True))

    assert _urls(db) == [PRIVATE, LOCAL]
    assert report.refused_feeds == [
        f"feeds[2] ({METADATA}): not synced: refusing to fetch from link-local address "
        "169.254.169.254; no setting allows it"
    ]


def test_a_feed_an_earlier_sync_stored_is_removed_once_refused(db: sqlite_utils.Database) -> None:
    # Stored as an older version (or the setting, since switched off) let it be.
    sync_config(db, _config(PRIVATE, PUBLIC, allow=True))
    assert _urls(db) == [PRIVATE, PUBLIC]

    report = sync_config(db, _config(PRIVATE, PUBLIC))

    assert _urls(db) == [PUBLIC]
    assert report.removed_feeds == []  # it is still in the file: not said as "no longer in"
    assert report.refused_feeds == [
        f"feeds[0] ({PRIVATE}): not synced: refusing to fetch from private address 10.0.0.5 "
        f"{ALLOW}; the feed an earlier version stored for it is removed"
    ]
    # Allowed again, it comes back as the file's.
    sync_config(db, _config(PRIVATE, PUBLIC, allow=True))
    back = feed_store.get_feed(db, PRIVATE)
    assert back is not None and back.origin == "config"


def test_a_refused_feed_the_file_took_over_is_handed_back_not_removed(
    db: sqlite_utils.Database,
) -> None:
    feed_store.add_feed(db, PRIVATE, origin="cli")  # as an older `feeds add` stored it
    sync_config(db, _config(PRIVATE, allow=True))  # taken over by the file
    taken = feed_store.get_feed(db, PRIVATE)
    assert taken is not None and taken.origin == "config"

    report = sync_config(db, _config(PRIVATE))

    kept = feed_store.get_feed(db, PRIVATE)
    assert kept is not None and kept.origin == "cli"
    assert report.handed_back == []
    assert report.refused_feeds == [
        f"feeds[0] ({PRIVATE}): not synced: refusing to fetch from private address 10.0.0.5 "
        f"{ALLOW}; the feed, added with `feeds add`, is no longer managed by the file"
    ]


def test_a_refused_feed_added_by_command_is_not_taken_over(db: sqlite_utils.Database) -> None:
    feed_store.add_feed(db, PRIVATE, origin="opml")
    report = sync_config(db, _config(PRIVATE))
    kept = feed_store.get_feed(db, PRIVATE)
    assert kept is not None and kept.origin == "opml"
    assert report.taken_over == [] and len(report.refused_feeds) == 1


def test_poll_says_which_config_feed_is_refused_and_syncs_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdigest.toml").write_text(
        f'[[feeds]]\nurl = "{LOCAL}"\n'
        '[[topics]]\nslug = "chips"\nquery = "chip"\n'
        '[[channels]]\nplatform = "slack"\nid = "C1"\ntopics = ["chips"]\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(cli, ["poll"])

    assert result.exit_code == 0, result.output
    # `poll` syncs each time it runs: its advice is to poll again, not to restart anything.
    assert (
        f"config: config/newsdigest.toml: feeds[0] ({LOCAL}): not synced: refusing to fetch "
        "from loopback address localhost (set allow_private_networks = true under [polling] to "
        "allow it), then poll again\n"
    ) in result.stderr
    assert "restart" not in result.stderr
    db = open_database(tmp_path / "nd.db")
    try:
        assert _urls(db) == []
        assert channel_store.get_channel(db, "slack", "C1") is not None
    finally:
        db.close()


def test_the_demo_config_allows_its_loopback_feeds(db: sqlite_utils.Database) -> None:
    from bot.demo.run import demo_config
    from bot.feedserver import FeedServer

    with FeedServer({}) as server:
        config = demo_config(server, Path("unused.db"), ["/a.xml"])
    report = sync_config(db, config)
    assert report.refused_feeds == [] and len(_urls(db)) == 1
