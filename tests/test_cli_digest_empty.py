"""`newsdigest digest CHANNEL` says why a preview has no card: "0 stories / No new stories." left
an operator comparing it with `topics test`, which counts one-source stories, and guessing. And a
preview of an instant-mode channel says that it never gets scheduled digests. Real SQLite files,
the real CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.stories import add_story

from bot.cli import cli
from bot.store import channels as channel_store
from bot.store.database import open_database

CONFIG = """
[[topics]]
slug = "rates"
query = "rates"

[[channels]]
platform = "slack"
id = "C0123456789"
name = "#markets"
topics = ["rates"]
min_sources = 2

[[channels]]
platform = "slack"
id = "C0CITY"
name = "#city"
mode = "instant"
"""


@pytest.fixture
def synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CliRunner, Path]:
    config = tmp_path / "nd.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    runner = CliRunner()
    polled = runner.invoke(cli, ["poll"])  # syncs the config's channels into the database
    assert polled.exception is None or isinstance(polled.exception, SystemExit), polled.output
    return runner, tmp_path / "nd.db"


def _story(db_path: Path, story_id: str, outlets: list[str], title: str) -> None:
    db = open_database(db_path)
    add_story(db, story_id, outlets, now=datetime.now(UTC) - timedelta(hours=1))
    db.execute("UPDATE stories SET headline = ? WHERE id = ?", [title, story_id])
    db.execute("UPDATE articles SET title = ? WHERE story_id = ?", [title, story_id])
    db.conn.commit()
    db.close()


def test_an_empty_preview_says_its_stories_have_too_few_sources(
    synced: tuple[CliRunner, Path],
) -> None:
    runner, db_path = synced
    _story(db_path, "cut", ["Gazette"], "Bank cuts rates again")
    _story(db_path, "hold", ["Courier"], "Rates held for now")
    _story(db_path, "ferry", ["Gazette", "Courier"], "Ferry enters service")
    result = runner.invoke(cli, ["digest", "slack:C0123456789"])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("No new stories")]
    assert line.startswith("No new stories: 2 stories match its topics since ")
    assert line.endswith(" UTC, but 2 have fewer than 2 sources (min_sources).")


def test_an_empty_preview_counts_the_stories_posted_already(
    synced: tuple[CliRunner, Path],
) -> None:
    runner, db_path = synced
    _story(db_path, "cut", ["Gazette", "Courier"], "Bank cuts rates again")
    db = open_database(db_path)
    channel = channel_store.find_channel(db, "slack:C0123456789")
    assert channel is not None
    db.execute(
        "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, created_at, updated_at)"
        " VALUES ('cut', ?, 'story', 'sent', 'n1', '2027-01-01', '2027-01-01')",
        [channel.id],
    )
    db.conn.commit()
    db.close()
    result = runner.invoke(cli, ["digest", "slack:C0123456789"])
    assert "No new stories: 1 story matches its topics since " in result.output
    assert "UTC, but 1 was posted to it already (--all shows them)." in result.output


def test_an_empty_preview_says_a_card_only_queued_or_failed_was_not_posted(
    synced: tuple[CliRunner, Path],
) -> None:
    # Held for quiet hours, or refused by the platform: "posted to it already" was untrue.
    runner, db_path = synced
    _story(db_path, "cut", ["Gazette", "Courier"], "Bank cuts rates again")
    _story(db_path, "hike", ["Gazette", "Courier"], "Bank hikes rates at last")
    _story(db_path, "hold", ["Gazette", "Courier"], "Bank holds rates steady")
    db = open_database(db_path)
    channel = channel_store.find_channel(db, "slack:C0123456789")
    assert channel is not None
    for n, (story, state) in enumerate([("cut", "pending"), ("hike", "failed"), ("hold", "sent")]):
        db.execute(
            "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, created_at,"
            " updated_at) VALUES (?, ?, 'story', ?, ?, '2027-01-01', '2027-01-01')",
            [story, channel.id, state, f"n{n}"],
        )
    db.conn.commit()
    db.close()
    result = runner.invoke(cli, ["digest", "slack:C0123456789"])
    said = " ".join(result.output.split())
    assert "No new stories: 3 stories match its topics since " in said
    assert (
        "UTC, but 1 was posted to it already; 1 is queued for it, not sent yet; 1 was given up "
        "on after failing to post (not queued again) (--all shows them)."
    ) in said


def test_an_empty_preview_with_nothing_matching_says_so(synced: tuple[CliRunner, Path]) -> None:
    runner, db_path = synced
    _story(db_path, "ferry", ["Gazette", "Courier"], "Ferry enters service")
    result = runner.invoke(cli, ["digest", "slack:C0123456789"])
    [line] = [line for line in result.output.splitlines() if line.startswith("No new stories")]
    assert line.startswith("No new stories: no story since ") and line.endswith(
        " UTC matches its topics."
    )


def test_an_instant_channel_s_preview_says_it_gets_no_digest(
    synced: tuple[CliRunner, Path],
) -> None:
    runner, _db_path = synced
    result = runner.invoke(cli, ["digest", "#city"])
    assert result.exit_code == 0, result.output
    assert (
        "Note: slack:C0CITY is in instant mode: it gets each story once it has 2 independent "
        "sources, never a scheduled digest; below is what a digest would hold if it were in digest mode (/digest there says so)."
    ) in result.output
