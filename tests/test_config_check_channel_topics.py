"""A channel following a topic that neither the file declares nor the database has: `run` refuses
it at its sync, and `config check` passed the file ("loads, no warnings"). Now the check refuses
it too, reading the database as the sync would leave it (none yet: no topic), and `run` refuses
it before creating a database, where it left an empty migrated one behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import load_config
from bot.runner import launch
from bot.runner.launch import run_service
from bot.store import channels as channel_store
from bot.store.database import open_database

CHANNEL = """
[[channels]]
platform = "console"
id = "ops"
topics = ["chips"]
"""
TOPIC = """
[[topics]]
slug = "chips"
query = 'semiconductor OR "chip export"'
"""
UNKNOWN = (
    "channels[0].topics[0]: unknown topic 'chips': neither under [[topics]] in the file nor in"
    " the database"
)


def refused(config: Path) -> str:
    return f"Error: invalid configuration: {config}: {UNKNOWN}"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    path = tmp_path / "nd.toml"
    path.write_text(f'database = "nd.db"\n{CHANNEL}', encoding="utf-8")
    return path


def check(config: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), "config", "check"])
    return result.exit_code, result.output


def test_check_refuses_a_topic_no_database_has_yet(config: Path) -> None:
    code, output = check(config)
    assert code == 1 and output.startswith(refused(config)), output
    assert not (config.parent / "nd.db").exists()  # nothing created by the check
    config.write_text(f'database = "nd.db"\n{TOPIC}{CHANNEL}', encoding="utf-8")
    code, output = check(config)
    assert code == 0 and "loads, no warnings" in output, output


def test_check_reads_the_topics_the_database_keeps(config: Path) -> None:
    db = open_database(config.parent / "nd.db")
    # Added with `topics add`: the sync keeps it, so the file may name it alone.
    channel_store.upsert_topic(db, "chips", "semiconductor", origin="cli")
    code, output = check(config)
    assert code == 0, output
    # One the file added once and no longer declares is deleted by the sync: refused.
    db.execute("UPDATE topics SET origin = 'config' WHERE slug = 'chips'")
    db.close()
    code, output = check(config)
    assert code == 1 and output.startswith(refused(config)), output


def test_run_refuses_it_before_creating_a_database(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDIGEST_HEALTH_PORT", "0")
    monkeypatch.setattr(launch, "configure_logging", lambda log_format: None)  # keep pytest's
    with pytest.raises(SystemExit) as stopped:
        run_service(load_config(str(config)))
    assert str(stopped.value.code).startswith(refused(config))
    assert sorted(p.name for p in config.parent.iterdir()) == ["nd.toml"]
