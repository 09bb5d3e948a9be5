"""The shipped example read in place of a missing config/newsdigest.toml lends its settings but is
never synced: synced, its empty lists removed every feed and topic the operator's file declared
(the feed came back later with a new id and no history) and paused its channels."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.clock import Clock
from test_cli_config_sync import CONFIG

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import load_config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database

SHIPPED = Path(__file__).resolve().parent.parent / "config" / "newsdigest.example.toml"

State = tuple[list[tuple[int, str]], list[tuple[str, str]], list[tuple[str, str | None]]]
# The operator's file with its topic taken out: back in place, it syncs as ever.
WITHOUT_TOPIC = CONFIG.replace('[[topics]]\nslug = "chips"\nquery = "chip"\n', "").replace(
    'topics = ["chips"]\n', ""
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with the shipped example and the operator's copy, the database elsewhere."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdigest.example.toml").write_text(SHIPPED.read_text("utf-8"))
    (tmp_path / "config" / "newsdigest.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "prod.db"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _state(db_path: Path) -> State:
    """Feeds and topics with their ids or creation times (a row made again has lost its history
    and matches), and the channels' pauses."""
    db = open_database(db_path)
    try:
        return (
            [(r["id"], r["url"]) for r in db.execute_returning_dicts("SELECT id, url FROM feeds")],
            [
                (r["created_at"], r["slug"])
                for r in db.execute_returning_dicts("SELECT created_at, slug FROM topics")
            ],
            [
                (r["channel_id"], r["paused_reason"])
                for r in db.execute_returning_dicts(
                    "SELECT channel_id, paused_reason FROM channels WHERE platform = 'slack'"
                )
            ],
        )
    finally:
        db.close()


def _poll() -> str:
    result = CliRunner().invoke(cli, ["poll"])
    return result.stderr


def _move_away(site: Path) -> Path:
    own = site / "config" / "newsdigest.toml"
    return own.rename(site / "newsdigest.toml.bak")


def test_poll_with_the_example_in_place_of_a_moved_config_keeps_its_feeds_and_topics(
    site: Path,
) -> None:
    _poll()
    synced = _state(site / "prod.db")
    assert [url for _, url in synced[0]] == ["http://127.0.0.1:9/rss"]
    assert [slug for _, slug in synced[1]] == ["chips"] and synced[2] == [("C1", None)]
    backup = _move_away(site)

    said = _poll()

    assert _state(site / "prod.db") == synced  # same ids: nothing removed and made again
    assert "removed" not in said
    assert "config/newsdigest.toml not found: read the shipped example" in said
    assert "nothing is synced from a config file" in said
    # Back in place, the file syncs as ever: an entry taken out of it is removed.
    backup.rename(site / "config" / "newsdigest.toml")
    (site / "config" / "newsdigest.toml").write_text(WITHOUT_TOPIC)
    assert "removed 1 topic no longer in config/newsdigest.toml: chips" in _poll()
    assert _state(site / "prod.db") == (synced[0], [], [("C1", None)])


async def test_run_start_with_the_example_in_place_of_a_moved_config_keeps_its_entries(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def start() -> None:
        config = load_config(None)
        core = NewsDigest(config, db=open_database(site / "prod.db"))
        settings = RunnerSettings(health_port=None, post_pace=0, start_spread=300)
        clock = Clock(datetime(2027, 5, 3, 10, 0, tzinfo=UTC))
        service = Service(config, core=core, settings=settings, clock=clock, env={})
        await service.start()
        await service.stop()
        core.close()

    await start()
    synced = _state(site / "prod.db")
    assert len(synced[0]) == 1 and len(synced[1]) == 1 and synced[2] == [("C1", None)]
    backup = _move_away(site)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.runner.service"):
        await start()
    assert _state(site / "prod.db") == synced
    assert not [r for r in caplog.records if r.getMessage().startswith("config: removed")]
    backup.rename(site / "config" / "newsdigest.toml")
    (site / "config" / "newsdigest.toml").write_text(WITHOUT_TOPIC)
    await start()
    assert _state(site / "prod.db") == (synced[0], [], [("C1", None)])
