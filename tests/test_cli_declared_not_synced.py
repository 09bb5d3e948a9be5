"""Feeds and topics the config file declares were invisible to `feeds list` and `topics list`
until the first `poll` or `run` synced them: "No topics yet. Add one with: newsdigest topics add"
to a user who had just written one into the file. A listing still does not sync (it only
reads), but says how many the file declares that are not in the database yet, and what adds
them. Real config file, real database, the CLI as the operator runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import open_database
from tests._cli_env import cli_env

CONFIG = """
[[feeds]]
url = "https://gamma.example/rss"

[[feeds]]
url = "https://delta.example/rss"

[[feeds]]
url = "http://127.0.0.1:8765/local.xml"  # refused by the sync (no allow_private_networks)

[[topics]]
slug = "halvik"
query = "Halvik OR harbour"
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = cli_env(tmp_path, monkeypatch, CONFIG)
    db = open_database(tmp_path / "nd.db")
    feed_store.add_feed(db, "https://alpha.example/rss", origin="cli")
    db.close()
    return path


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_lists_say_what_the_file_declares_that_is_not_synced_yet(config: Path) -> None:
    feeds = _run("feeds", "list")
    assert "alpha.example" in feeds and "gamma.example" not in feeds  # not synced by a look
    # The refused local feed is not counted: the sync skips it, saying why.
    assert (
        f"{config} declares 2 feeds not in the database yet: `newsdigest poll` or "
        "`newsdigest run` adds them."
    ) in feeds
    topics = _run("topics", "list")
    assert "No topics yet" not in topics
    assert (
        f"{config} declares 1 topic not in the database yet: `newsdigest poll` or "
        "`newsdigest run` adds it."
    ) in topics


def test_nothing_is_said_once_synced(config: Path) -> None:
    # Synced (the feeds' hosts do not resolve here: the poll fails them, exit 1, after the sync).
    CliRunner().invoke(cli, ["poll"])
    assert "not in the database yet" not in _run("feeds", "list")
    assert "not in the database yet" not in _run("topics", "list")


def test_a_topic_list_with_others_in_it_says_it_after_them(config: Path, tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel_store.upsert_topic(db, "ports", "port OR harbour", origin="cli")
    db.close()
    topics = _run("topics", "list")
    assert "ports" in topics
    assert topics.rstrip().endswith("`newsdigest run` adds it.")


def test_a_declared_feed_a_301_moved_is_not_said_to_be_missing(
    config: Path, tmp_path: Path
) -> None:
    CliRunner().invoke(cli, ["poll"])
    db = open_database(tmp_path / "nd.db")
    gamma = feed_store.get_feed(db, "https://gamma.example/rss")
    assert gamma is not None
    # What a poll answered by a 301 stores (`bot.pipeline.feed_state`): the polled URL moves,
    # the URL the file names stays the sync's match.
    feed_store.update_feed(db, gamma.id, url="https://gamma.example/moved.xml")
    db.close()
    feeds = _run("feeds", "list")
    assert "gamma.example/moved.xml" in feeds
    assert "not in the database yet" not in feeds
    # And the sync agrees: a poll neither adds it again nor says it is missing.
    CliRunner().invoke(cli, ["poll"])
    db = open_database(tmp_path / "nd.db")
    urls = [r[0] for r in db.execute("SELECT url FROM feeds WHERE url LIKE '%gamma%'")]
    db.close()
    assert urls == ["https://gamma.example/moved.xml"]
    assert "not in the database yet" not in _run("feeds", "list")
