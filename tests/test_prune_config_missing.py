"""With config/newsdigest.toml missing, the retention read (the shipped example's 180 days, or the
default) is not the operator's, who may have kept everything or a year: neither the service's
daily prune nor `newsdigest prune` deletes anything by it."""

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
from bot.runner.retention import PRUNE_JOB
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database, utcnow

SHIPPED = Path(__file__).resolve().parent.parent / "config" / "newsdigest.example.toml"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with the shipped example whose operator's copy (retention 365 days) is moved
    away; a story 200 days old in the database."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdigest.example.toml").write_text(SHIPPED.read_text("utf-8"))
    (tmp_path / "newsdigest.toml.bak").write_text("[storage]\nretention_days = 365\n")
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "prod.db"))
    monkeypatch.chdir(tmp_path)
    db = open_database(tmp_path / "prod.db")
    add_story(db, "old", ["A", "B"], now=utcnow() - timedelta(days=200))
    db.close()
    return tmp_path


def _stories(path: Path) -> set[str]:
    db = open_database(path)
    try:
        return {r[0] for r in db.execute("SELECT id FROM stories")}
    finally:
        db.close()


async def _service(site: Path) -> Service:
    config = load_config(None)
    core = NewsDigest(config, db=open_database(site / "prod.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    clock = lambda: datetime(2027, 5, 3, 10, 0, tzinfo=UTC)  # noqa: E731
    service = Service(config, core=core, settings=settings, clock=clock, env={})
    await service.start()
    return service


async def test_run_schedules_no_prune_while_the_config_is_missing(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert load_config(None).missing_path == Path("config/newsdigest.toml")
    with caplog.at_level(logging.WARNING, logger="bot.runner.retention"):
        service = await _service(site)
    try:
        assert service.scheduler.get_job(PRUNE_JOB) is None
        assert service.health()["retention"]["days"] is None
        assert "config/newsdigest.toml not found: nothing is pruned" in caplog.text
    finally:
        await stop(service)
        service.core.close()
    # The operator's copy back in place: its own retention is scheduled as ever.
    (site / "newsdigest.toml.bak").rename(site / "config" / "newsdigest.toml")
    service = await _service(site)
    try:
        assert service.scheduler.get_job(PRUNE_JOB) is not None
        assert service.health()["retention"]["days"] == 365
    finally:
        await stop(service)
        service.core.close()
    assert _stories(site / "prod.db") == {"old"}


def test_the_warning_says_nothing_is_pruned(site: Path) -> None:
    (warning, *_) = load_config(None).warnings
    assert "nothing is pruned" in warning


def test_prune_refuses_without_the_config(site: Path) -> None:
    for args in (["prune"], ["prune", "--dry-run"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert "config/newsdigest.toml not found" in result.stderr
        assert "nothing pruned" in result.stderr and "--older-than DAYS" in result.stderr
    assert _stories(site / "prod.db") == {"old"}
    # Days given on the command line are the operator's own: pruned by them.
    result = CliRunner().invoke(cli, ["prune", "--older-than", "100"])
    assert result.exit_code == 0, result.output
    assert _stories(site / "prod.db") == set()
