"""A retention of 7 or 8 days, accepted before the minimum became 9 (a digest looks back 8
days), still loads: kept at 9 days with a warning, so an upgraded service starts instead of
exiting at every start. `prune` says the minimum, and what 0 means where."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.runner import stop
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import load_config
from bot.config_values import ConfigError
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database, utcnow

WARNING = (
    "storage.retention_days = {days} is under the 9-day minimum (a weekly digest, or one caught "
    "up after downtime, looks back 8 days, and its stories must still be there): 9 days are "
    "kept. Set retention_days = 9 or more (0 keeps everything)."
)


def _write(tmp_path: Path, days: int) -> Path:
    path = tmp_path / "newsdigest.toml"
    path.write_text(f'database = "nd.db"\n[storage]\nretention_days = {days}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("days", [7, 8])
def test_a_former_minimum_loads_at_the_minimum_with_a_warning(tmp_path: Path, days: int) -> None:
    path = _write(tmp_path, days)
    config = load_config(path)
    assert config.storage.retention_days == 9
    assert config.warnings == [f"{path}: {WARNING.format(days=days)}"]


def test_values_never_accepted_are_still_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="6 is under the 9-day minimum"):
        load_config(_write(tmp_path, 6))
    assert load_config(_write(tmp_path, 9)).warnings == []


async def test_run_starts_and_logs_the_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _write(tmp_path, 7)
    config = load_config(path)
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, health_host="127.0.0.1", post_pace=0)
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
    with caplog.at_level(logging.WARNING):
        await service.start()
        assert service.state == "running"
        await stop(service)
    said = [r.getMessage() for r in caplog.records if "retention_days" in r.getMessage()]
    assert said == [f"{path}: {WARNING.format(days=7)}"]


@pytest.fixture
def pruned_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db_path = tmp_path / "nd.db"
    db = open_database(db_path)
    now = utcnow()
    add_story(db, "eight-days", ["A"], now=now - timedelta(days=8))
    add_story(db, "ten-days", ["B"], now=now - timedelta(days=10))
    db.close()
    monkeypatch.setenv("NEWSDIGEST_DB", str(db_path))
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(_write(tmp_path, 7)))
    return db_path


def _stories(path: Path) -> set[str]:
    db = open_database(path)
    try:
        return {r[0] for r in db.execute("SELECT id FROM stories")}
    finally:
        db.close()


def test_prune_with_a_former_minimum_keeps_nine_days_and_says_so(pruned_db: Path) -> None:
    result = CliRunner().invoke(cli, ["prune"])
    assert result.exit_code == 0, result.output
    assert "older than 9 days" in result.stdout
    assert f"Warning: {pruned_db.parent / 'newsdigest.toml'}: {WARNING.format(days=7)}" in (
        " ".join(result.stderr.split())
    )
    assert _stories(pruned_db) == {"eight-days"}


def test_prune_help_names_the_minimum_and_what_0_means() -> None:
    text = " ".join(CliRunner().invoke(cli, ["prune", "--help"]).output.split())
    assert "at least 9 (a digest looks back up to 8 days)" in text
    assert "storage.retention_days = 0 in the config keeps everything" in text


def test_older_than_0_is_a_usage_error_that_says_what_0_means(pruned_db: Path) -> None:
    result = CliRunner().invoke(cli, ["prune", "--older-than", "0"])
    assert result.exit_code == 2
    text = " ".join(result.stderr.split())
    assert (
        "0 is under the 9-day minimum (0 means keep everything only as "
        "storage.retention_days in the config)" in text
    )
    assert _stories(pruned_db) == {"eight-days", "ten-days"}
