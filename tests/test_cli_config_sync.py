"""Which CLI commands sync the config into the database, and what a missing config file means."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import open_database
from bot.store.sync import REMOVED_FROM_CONFIG

# The operator's file: a feed, a topic and a channel following it (test_config_example_not_synced
# syncs it too).
CONFIG = """
[polling]
allow_private_networks = true  # the feed below is on loopback, which the sync refuses otherwise
[[feeds]]
url = "http://127.0.0.1:9/rss"
[[topics]]
slug = "chips"
query = "chip"
[[channels]]
platform = "slack"
id = "C1"
topics = ["chips"]
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deployment directory with config/newsdigest.toml, and the database elsewhere."""
    (tmp_path / "site" / "config").mkdir(parents=True)
    (tmp_path / "site" / "config" / "newsdigest.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "prod.db"))
    return tmp_path


def _state(db_path: Path) -> tuple[list[str], list[str], list[str | None], list[str]]:
    db = open_database(db_path)
    try:
        channel = channel_store.get_channel(db, "slack", "C1")
        return (
            [f.url for f in feed_store.list_feeds(db)],
            [t.slug for t in channel_store.list_topics(db)],
            [channel.paused_reason if channel else "missing"],
            [t.slug for t in channel_store.channel_topics(db, channel.id)] if channel else [],
        )
    finally:
        db.close()


SYNCED = (["http://127.0.0.1:9/rss"], ["chips"], [None], ["chips"])


def _invoke(cwd: Path, args: list[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, args)


def test_poll_syncs_and_read_only_commands_from_elsewhere_change_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `poll` in the deployment directory syncs the config (its loopback feed is refused: no network).
    _invoke(site / "site", ["poll"], monkeypatch)
    assert _state(site / "prod.db") == SYNCED
    # The reviewer's case: a look at the same database from another directory, where there is
    # no config/newsdigest.toml. Nothing is removed or paused.
    for args in (["stories"], ["topics", "list"], ["feeds", "list"], ["topics", "test", "chip"]):
        result = _invoke(site / "elsewhere", args, monkeypatch)
        assert result.exit_code == 0, result.output
        assert _state(site / "prod.db") == SYNCED, args
    # Even `poll` from there leaves the config's entries alone: no file found is not "empty".
    _invoke(site / "elsewhere", ["poll"], monkeypatch)
    assert _state(site / "prod.db") == SYNCED


def test_read_only_commands_do_not_sync_even_with_a_config_file(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _invoke(site / "site", ["stories"], monkeypatch)
    # Nothing stored yet: no database to read, and none created by a look.
    assert result.exit_code == 1 and "no such database" in result.output
    assert not (site / "prod.db").exists()
    open_database(site / "prod.db").close()
    result = _invoke(site / "site", ["stories"], monkeypatch)
    assert result.exit_code == 0, result.output
    assert _state(site / "prod.db") == ([], [], ["missing"], [])
    # A config channel not synced yet: the preview says how to sync rather than "no channel".
    result = _invoke(site / "site", ["digest", "slack:C1"], monkeypatch)
    assert result.exit_code == 1 and "newsdigest poll" in result.output


def test_an_emptied_config_file_still_removes_and_a_returning_channel_is_resumed(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = site / "site" / "config" / "newsdigest.toml"
    _invoke(site / "site", ["poll"], monkeypatch)
    config.write_text("", encoding="utf-8")  # the admin really empties the file
    _invoke(site / "site", ["poll"], monkeypatch)
    assert _state(site / "prod.db") == ([], [], [REMOVED_FROM_CONFIG], [])
    config.write_text(CONFIG, encoding="utf-8")  # and puts it back
    _invoke(site / "site", ["poll"], monkeypatch)
    assert _state(site / "prod.db") == SYNCED


def test_a_pause_set_for_another_reason_survives_the_sync(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = site / "site" / "config" / "newsdigest.toml"
    _invoke(site / "site", ["poll"], monkeypatch)
    db = open_database(site / "prod.db")
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None
    channel_store.update_channel(db, channel.id, paused_reason="the bot was removed")
    db.close()
    config.write_text(CONFIG.replace('id = "C1"', 'id = "C1"\nname = "#news"'), encoding="utf-8")
    _invoke(site / "site", ["poll"], monkeypatch)
    assert _state(site / "prod.db")[2] == ["the bot was removed"]


def test_removing_a_config_entry_is_refused_naming_the_file(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _invoke(site / "site", ["poll"], monkeypatch)
    topic = _invoke(site / "site", ["topics", "remove", "chips"], monkeypatch)
    assert topic.exit_code == 1
    assert "declared in config/newsdigest.toml; remove it there" in topic.output
    feed = _invoke(site / "site", ["feeds", "remove", "http://127.0.0.1:9/rss"], monkeypatch)
    assert feed.exit_code == 1
    assert "declared in config/newsdigest.toml; remove it there" in feed.output
    # Refused from another directory too (the database knows where the entries came from).
    elsewhere = _invoke(site / "elsewhere", ["topics", "remove", "chips"], monkeypatch)
    assert elsewhere.exit_code == 1 and "remove it there" in elsewhere.output
    assert _state(site / "prod.db") == SYNCED


def test_removing_a_channels_only_topic_warns_that_it_now_gets_everything(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _invoke(site / "site", ["poll"], monkeypatch)
    _invoke(site / "site", ["topics", "add", "moon", "moon"], monkeypatch)
    db = open_database(site / "prod.db")
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None
    channel_store.set_subscriptions(db, channel.id, ["moon"])  # /follow moon, /unfollow chips
    db.close()
    result = _invoke(site / "site", ["topics", "remove", "moon"], monkeypatch)
    assert result.exit_code == 0 and "Removed topic moon" in result.output
    assert "slack:C1 followed only moon and now gets every story" in result.output


def test_a_recreated_config_topic_is_followed_again_by_its_channels(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _invoke(site / "site", ["poll"], monkeypatch)
    db = open_database(site / "prod.db")
    channel_store.remove_topic(db, "chips")  # as an older version's `topics remove` did
    db.close()
    _invoke(site / "site", ["poll"], monkeypatch)
    assert _state(site / "prod.db") == SYNCED


def test_topics_add_refuses_a_config_topic_so_remove_cannot_be_bypassed(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _invoke(site / "site", ["poll"], monkeypatch)
    added = _invoke(site / "site", ["topics", "add", "chips", "moon"], monkeypatch)
    assert added.exit_code == 1
    assert added.output == (
        "Error: topic chips is declared in config/newsdigest.toml; change it there\n"
    )
    # So `topics remove` still refuses it, and it keeps the file's query.
    removed = _invoke(site / "site", ["topics", "remove", "chips"], monkeypatch)
    assert removed.exit_code == 1 and "remove it there" in removed.output
    db = open_database(site / "prod.db")
    topic = channel_store.get_topic(db, "chips")
    db.close()
    assert topic is not None and (topic.query, topic.origin) == ("chip", "config")
    # From another directory, where no config is found: the database knows where it came from.
    elsewhere = _invoke(site / "elsewhere", ["topics", "add", "chips", "moon"], monkeypatch)
    assert elsewhere.exit_code == 1 and "declared in" in elsewhere.output
    _invoke(site / "site", ["poll"], monkeypatch)
    assert _state(site / "prod.db") == SYNCED


def test_topics_add_refuses_a_topic_the_file_declares_before_it_is_synced(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not synced yet: the change would be undone by the next sync without a word.
    added = _invoke(site / "site", ["topics", "add", "chips", "moon"], monkeypatch)
    assert added.exit_code == 1 and "topic chips is declared in" in added.output
    other = _invoke(site / "site", ["topics", "add", "moon", "moon"], monkeypatch)
    assert other.exit_code == 0 and other.output == "Topic moon: moon\n"
