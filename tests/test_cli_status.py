"""`newsdigest status`: the bot's state read from its database file, neither migrated nor
written. On the database `newsdigest demo` builds through the real pipeline (copied per test),
edited with the store's own functions; the real lock for a running service; an older schema
made by the real migrations stopped early."""

from __future__ import annotations

import json
import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import database, digest_runs, service_state
from bot.store import feeds as feed_store
from bot.store.database import applied_migrations, open_database, utcnow
from bot.store.lock import lock_database, lock_path
from bot.store.migrations import MIGRATIONS
from tests._cli_env import cli_env

NEWEST = max(version for version, _, _ in MIGRATIONS)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out / "demo.db"


@pytest.fixture
def db_path(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_env(tmp_path, monkeypatch)
    path = tmp_path / "nd.db"
    shutil.copy(demo_db, path)
    return path


def _status(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["status", *args])
    return result.exit_code, result.output


def _json() -> dict[str, Any]:
    code, output = _status("--json")
    assert code == 0, output
    found: dict[str, Any] = json.loads(output)
    return found


def test_the_demo_database_as_text_and_json(db_path: Path) -> None:
    report = _json()
    assert set(report) == {"database", "feeds", "stories", "channels", "service"}
    feeds = report["feeds"]
    assert (feeds["total"], feeds["ok"], feeds["failing"], feeds["disabled"]) == (8, 7, 1, 0)
    broken = feeds["worst_failing"][0]
    assert broken["failures"] == 1 and broken["last_success"] is None
    assert broken["error"].startswith("a web page, not a feed")
    assert report["stories"] | {"newest": None} == {
        "articles": 31,
        "stories": 13,
        "open": 13,
        "last_24h": 13,
        "newest": None,
    }
    assert report["channels"] == [
        {
            "channel": "console:team-news",
            "platform": "console",
            "id": "team-news",
            "name": "#team-news",
            "mode": "digest",
            "schedule": "0 9 * * *",
            "timezone": "UTC",
            "paused": None,
            "not_posting": None,
            "last_digest": None,
            "pending": 0,
            "failed_last_24h": 0,
        }
    ]
    assert report["service"] == {
        "running": False,
        "pid": None,
        "lock_file": str(lock_path(str(db_path))),
        "last_health_check": None,
        "platforms": None,
    }
    assert report["database"]["schema"] == NEWEST and not report["database"]["upgrade_needed"]

    code, output = _status()
    assert code == 0, output
    lines = output.splitlines()
    size = report["database"]["size_bytes"] / 1024
    assert lines[:5] == [
        f"database  {db_path}",
        f"          {size:.1f} KB on disk (+ 0 B WAL), schema {NEWEST}",
        "          last prune never",
        "feeds     8 total: 7 ok, 1 failing, 0 disabled",
        f"          last poll {feeds['last_poll'][:10]} {feeds['last_poll'][11:16]} UTC",
    ]
    # `feeds list`'s words (bot.feed_status), whatever marks that adds after the error.
    assert broken["state"].startswith(f"1 failure: {broken['error']}")
    # When it is tried next is said once, in its state, not on the line naming it too.
    next_try = f"{broken['next_try'][:10]} {broken['next_try'][11:16]} UTC"
    assert lines[5] == f"          failing #{broken['id']} {broken['name']}: never succeeded"
    assert lines[6] == f"            {broken['state']}"
    assert output.count(f"next try {next_try}") == 1
    assert lines[7] == "stories   31 articles, 13 stories (13 open, 13 new in the last 24 h)"
    assert lines[9:] == [
        # As `channels list` and /watchlist word it, not the stored cron.
        "channels  console:team-news (#team-news): digest, daily 09:00 UTC",
        "            last digest never; 0 pending, 0 failed in the last 24 h",
        "service   not running: no `newsdigest run` holds the database",
        "          last /healthz check never",
    ]


def test_disabled_feeds_paused_channels_prunes_and_health_checks(db_path: Path) -> None:
    now = utcnow().replace(microsecond=0)
    db = open_database(str(db_path))
    feed_store.update_feed(db, 1, disabled_reason="HTTP 410 Gone", disabled_at=now)
    channel = channel_store.list_channels(db)[0]
    channel_store.update_channel(db, channel.id, paused_reason="archived in Slack")
    service_state.save(
        db, service_state.LAST_PRUNE, {"at": database.iso(now), "counts": {"stories": 2}}, now=now
    )
    db.execute(
        "INSERT OR REPLACE INTO write_probe (id, written_at) VALUES (1, ?)", [database.iso(now)]
    )
    db.conn.commit()
    db.conn.close()
    when = f"{now:%Y-%m-%d %H:%M} UTC"
    report = _json()
    name = report["feeds"]["disabled_feeds"][0]["name"]
    assert report["feeds"]["disabled_feeds"] == [
        {
            "id": 1,
            "name": name,
            "reason": "HTTP 410 Gone",
            # `feeds list`'s words, as bot.feed_status says them (its one poll worked).
            "state": "disabled: HTTP 410 Gone",
        }
    ]
    assert (report["feeds"]["ok"], report["feeds"]["disabled"]) == (6, 1)
    assert report["channels"][0]["paused"] == "archived in Slack"
    assert report["database"]["last_prune"] == database.iso(now)
    assert report["service"]["last_health_check"] == database.iso(now)
    _, output = _status()
    lines = output.splitlines()
    assert f"          last prune {when} (2 stories deleted)" in lines
    assert "feeds     8 total: 6 ok, 1 failing, 1 disabled" in lines
    at = lines.index(f"          disabled #1 {name}")
    assert lines[at + 1] == f"            {report['feeds']['disabled_feeds'][0]['state']}"
    assert (
        "channels  console:team-news (#team-news): digest, daily 09:00 UTC; paused: archived in Slack"
    ) in lines
    assert lines[-1] == f"          last /healthz check {when}"


def test_status_writes_nothing(db_path: Path) -> None:
    before = db_path.read_bytes()
    assert _status()[0] == 0
    assert db_path.read_bytes() == before
    # No lock file is made by a look, and nothing is written to the WAL (SQLite's reader may
    # leave an empty one beside a WAL-mode file).
    assert not lock_path(str(db_path)).exists()
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_running_service_is_seen_through_its_lock(db_path: Path) -> None:
    lock = lock_database(str(db_path))
    assert lock is not None
    try:
        report = _json()
        assert report["service"]["running"] is True
        assert report["service"]["pid"] == os.getpid()
        _, output = _status()
        assert (
            f"service   running: `newsdigest run` holds the database (pid {os.getpid()})"
            in output.splitlines()
        )
    finally:
        lock.release()
    # Once released (the service stopped), the lock file stays and says nothing.
    assert _json()["service"]["running"] is False


def test_a_missing_database_is_the_usual_error_and_is_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    code, output = _status()
    assert code == 1
    assert output.startswith(f"Error: NEWSDIGEST_DB={tmp_path / 'nd.db'}: ")
    assert not (tmp_path / "nd.db").exists()
    assert not lock_path(str(tmp_path / "nd.db")).exists()


def test_an_older_schema_is_shown_as_far_as_it_goes_and_not_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    path = tmp_path / "nd.db"
    old = 20
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= old])
        db = open_database(str(path))
        feed_store.add_feed(db, "https://example.org/quayline.xml")
        channel_store.ensure_channel(db, "console", "desk", name="desk")
        db.conn.close()
    code, output = _status()
    assert code == 0, output
    lines = output.splitlines()
    assert lines[1].endswith(
        f"schema {old} (this version's is {NEWEST}: any command but `backup` upgrades it "
        "(`newsdigest stories`, or `run` at its start))"
    )
    assert "feeds     1 total: 0 ok, 0 failing, 0 disabled, 1 not polled yet" in lines
    # What its schema lacks is said so, not as SQLite's error.
    assert f"channels  unavailable: needs schema {NEWEST} (the file's is {old})" in lines
    assert "no such" not in output
    report = _json()
    assert report["database"]["upgrade_needed"] is True
    assert "no such table" in report["channels"]["error"]
    # The older version still running holds it: every command refuses to migrate under it.
    lock = lock_database(str(path))
    assert lock is not None
    try:
        held = _json()["database"]["upgrade_hint"]
    finally:
        lock.release()
    assert held == (
        f"an older newsdigest run (pid {os.getpid()}) holds it: stop it, then any command "
        "but `backup` upgrades it, as `run` does"
    )
    db = database.sqlite_utils.Database(path)
    assert max(applied_migrations(db)) == old  # not upgraded by the look
    db.conn.close()


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    db = database.sqlite_utils.Database(db_path)
    db.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', ?)",
        [NEWEST + 1, database.iso(utcnow() - timedelta(days=1))],
    )
    db.conn.commit()
    db.conn.close()
    code, output = _status()
    assert code == 1
    assert f"created by a newer newsdigest (schema {NEWEST + 1}" in output


def test_the_readme_documents_every_json_key(db_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    # The README and the docs/ pages its reference moved to (`status` is in docs/RUNNING.md).
    pages = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    readme = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    report = _json()
    keys = set(report)
    for value in report.values():
        for item in value if isinstance(value, list) else [value]:
            keys |= set(item)
            for inner in item.values():
                for entry in inner if isinstance(inner, list) else [inner]:
                    keys |= set(entry) if isinstance(entry, dict) else set()
    missing = sorted(key for key in keys if f"`{key}`" not in readme)
    assert not missing


def test_last_digest_is_the_last_run_even_of_one_card_not_a_baseline(db_path: Path) -> None:
    # A digest of 0 or 1 card posts no heading (RUNNING.md): the run itself is the last digest.
    now = utcnow().replace(microsecond=0)
    db = open_database(str(db_path))
    channel = channel_store.list_channels(db)[0]
    # A baseline (sign-up, first start) is no digest: still "never".
    digest_runs.record_baseline(db, channel.id, at=now)
    db.conn.commit()
    assert _json()["channels"][0]["last_digest"] is None
    ran = now + timedelta(seconds=40)
    digest_runs.record_digest_run(db, channel.id, scheduled_for=now, now=ran, stories=1)
    db.conn.commit()
    db.conn.close()
    assert _json()["channels"][0]["last_digest"] == database.iso(ran)
    _, output = _status()
    assert f"            last digest {ran:%Y-%m-%d %H:%M} UTC; 0 pending" in output


def test_a_digest_that_found_nothing_new_is_still_the_last_digest(db_path: Path) -> None:
    # One row per channel: a `/digest` of no card overwrote the 1-card digest's row with the
    # shape baselines had (0 stories, slot == ran), and status went back to "never".
    now = utcnow().replace(microsecond=0)
    db = open_database(str(db_path))
    channel = channel_store.update_channel(db, channel_store.list_channels(db)[0].id, digest_size=1)
    slot = now - timedelta(minutes=5)
    assert digests.enqueue_digest(db, channel, now=slot + timedelta(seconds=40), scheduled_for=slot)
    db.conn.commit()
    assert _json()["channels"][0]["last_digest"] == database.iso(slot + timedelta(seconds=40))
    channel = channel_store.get_channel_by_pk(db, channel.id)
    assert channel is not None
    assert digests.enqueue_digest(db, channel, now=now) == 0
    db.conn.commit()
    db.conn.close()
    assert _json()["channels"][0]["last_digest"] == database.iso(now)


def test_the_newest_story_is_the_one_with_the_newest_report_not_the_last_stored(
    db_path: Path,
) -> None:
    # An OPML import's first poll: every story first seen at once, stored in any order.
    db = open_database(str(db_path))
    seen = database.iso(utcnow().replace(microsecond=0))
    db.execute("UPDATE stories SET first_seen = ?", [seen])
    db.execute("UPDATE articles SET seen_at = ?, published = '2020-03-01T10:00:00+00:00'", [seen])
    last_stored = db.execute(
        "SELECT id FROM stories WHERE merged_into IS NULL ORDER BY rowid DESC LIMIT 1"
    ).fetchone()[0]
    fresh = db.execute(
        "SELECT id, slug FROM stories WHERE merged_into IS NULL AND id != ? ORDER BY rowid LIMIT 1",
        [last_stored],
    ).fetchone()
    db.execute(
        "UPDATE articles SET published = '2026-11-30T09:00:00+00:00' WHERE story_id = ?", [fresh[0]]
    )
    db.conn.commit()
    db.conn.close()
    assert _json()["stories"]["newest"]["slug"] == fresh[1]
