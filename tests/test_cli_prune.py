"""`newsdigest prune [--older-than DAYS] [--dry-run]` on a real database file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.stories import add_channel, add_story

from bot.cli import cli
from bot.store import alerts
from bot.store import deliveries as delivery_store
from bot.store.database import open_database, utcnow


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "nd.db"
    db = open_database(path)
    now = utcnow()
    channel = add_channel(db, "C1")
    add_story(db, "ancient", ["A", "B"], now=now - timedelta(days=400))
    add_story(db, "old", ["A"], now=now - timedelta(days=200))
    add_story(db, "queued", ["C"], now=now - timedelta(days=200))
    delivery_store.enqueue_story(db, "queued", channel.id, now=now)  # still to be posted
    add_story(db, "fresh", ["A", "C"], now=now - timedelta(days=2))
    db.close()
    monkeypatch.setenv("NEWSDIGEST_DB", str(path))
    _config(tmp_path, monkeypatch, "")
    return path


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    config = tmp_path / "nd.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))


def _stories(path: Path) -> set[str]:
    db = open_database(path)
    try:
        return {r[0] for r in db.execute("SELECT id FROM stories")}
    finally:
        db.close()


ALL = {"ancient", "old", "queued", "fresh"}


def test_dry_run_prints_what_would_go_and_deletes_nothing(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["prune", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would delete 2 stories, 3 articles" in result.output
    assert "older than 180 days" in result.output
    assert "Kept 1 old story with a post still to be sent" in result.output
    assert "Dry run: nothing was deleted." in result.output
    assert _stories(db_path) == ALL


def test_prune_deletes_old_stories_and_keeps_the_rest(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["prune"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Deleted 2 stories, 3 articles")
    assert _stories(db_path) == {"queued", "fresh"}
    again = CliRunner().invoke(cli, ["prune"])
    assert "Nothing older than 180 days" in again.output


def test_a_prune_by_hand_is_the_last_prune_status_shows(db_path: Path) -> None:
    before = json.loads(CliRunner().invoke(cli, ["status", "--json"]).output)
    assert before["database"]["last_prune"] is None
    assert CliRunner().invoke(cli, ["prune", "--dry-run"]).exit_code == 0
    dry = json.loads(CliRunner().invoke(cli, ["status", "--json"]).output)
    assert dry["database"]["last_prune"] is None  # a dry run deleted nothing: no prune
    assert CliRunner().invoke(cli, ["prune"]).exit_code == 0
    after = json.loads(CliRunner().invoke(cli, ["status", "--json"]).output)
    assert after["database"]["last_prune"] is not None
    pruned = after["database"]["last_pruned"]
    assert (pruned["stories"], pruned["articles"], pruned["kept_pending"]) == (2, 3, 1)
    text = CliRunner().invoke(cli, ["status"]).output
    assert "last prune never" not in text and "(2 stories deleted)" in text


def test_older_than_overrides_the_config(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["prune", "--older-than", "300"])
    assert result.exit_code == 0, result.output
    assert _stories(db_path) == ALL - {"ancient"}


@pytest.mark.parametrize(
    ("config", "days", "problem"),
    [
        ("", "7", "7 is under the 9-day minimum"),
        ("", "-5", "-5 is under the 9-day minimum"),
        ("[clustering]\nwindow_hours = 400\n", "10", "would cut into the clustering window"),
    ],
)
def test_an_unusable_older_than_is_a_one_line_usage_error(
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: str,
    days: str,
    problem: str,
) -> None:
    _config(tmp_path, monkeypatch, config)
    result = CliRunner().invoke(cli, ["prune", "--older-than", days])
    assert result.exit_code == 2
    assert "Invalid value for '--older-than'" in result.output and problem in result.output
    assert "Traceback" not in result.output
    assert _stories(db_path) == ALL


def test_retention_off_in_the_config_prunes_nothing(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, monkeypatch, "[storage]\nretention_days = 0\n")
    result = CliRunner().invoke(cli, ["prune"])
    assert result.exit_code == 0
    assert "Retention is off" in result.output
    assert _stories(db_path) == ALL


def test_a_bad_retention_in_the_config_names_the_key(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, monkeypatch, "[storage]\nretention_days = 2\n")
    result = CliRunner().invoke(cli, ["prune"])
    assert result.exit_code == 1
    assert "storage.retention_days: 2 is under the 9-day minimum" in result.output
    assert _stories(db_path) == ALL


def test_a_missing_database_is_an_error_not_a_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, monkeypatch, "")
    missing = tmp_path / "typo.db"
    monkeypatch.setenv("NEWSDIGEST_DB", str(missing))
    result = CliRunner().invoke(cli, ["prune", "--dry-run"])
    assert result.exit_code == 1
    assert f"NEWSDIGEST_DB={missing}: no such database" in result.output
    assert not missing.exists()


def test_the_report_counts_finished_notices_even_when_no_story_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notices.db"
    db = open_database(path)
    channel = add_channel(db, "C1", mode="instant")
    long_ago = utcnow() - timedelta(days=200)
    alerts.enqueue_alert(db, channel.id, "instant-more:then", "3 more stories", now=long_ago)
    (row,) = alerts.due_alerts(db, long_ago)
    alerts.set_alert_state(db, row.id, "sending", now=long_ago)
    alerts.set_alert_state(db, row.id, "sent", now=long_ago)
    db.close()
    monkeypatch.setenv("NEWSDIGEST_DB", str(path))
    _config(tmp_path, monkeypatch, "")
    result = CliRunner().invoke(cli, ["prune"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Deleted 0 stories, 0 articles"), result.output
    assert "1 finished notice:" in result.output
    again = CliRunner().invoke(cli, ["prune"])
    assert again.output.startswith("Nothing older than 180 days"), again.output
