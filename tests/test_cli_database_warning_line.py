"""The warning that a command uses the database an older newsdigest left in the current
directory reads as the CLI's other warnings ("Warning: ..."), not as a raw log line with a
timestamp and a module name; `run` still logs it as a structured warning."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.database_location import DATABASE_WARNING
from bot.runner.logs import JsonFormatter


def test_the_old_databases_warning_is_a_cli_warning_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_logging: None
) -> None:
    deploy = tmp_path / "deploy"
    (deploy / "config").mkdir(parents=True)
    config = deploy / "config" / "newsdigest.toml"
    config.write_text('database = "newsdigest.db"\n', encoding="utf-8")
    monkeypatch.chdir(deploy)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    runner = CliRunner()
    with monkeypatch.context() as before:
        # Where an older version put it: the current directory.
        before.setenv("NEWSDIGEST_DB", "newsdigest.db")
        assert runner.invoke(cli, ["feeds", "add", "https://a.example/rss"]).exit_code == 0
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    # The earlier run's handler writes to its own, finished, stream: start afresh.
    monkeypatch.setattr(logging.getLogger(), "handlers", [])

    listed = runner.invoke(cli, ["feeds", "list"])

    assert listed.exit_code == 0, listed.output
    assert "a.example" in listed.stdout
    lines = listed.stderr.splitlines()
    [warning] = [line for line in lines if "older newsdigest" in line]
    assert warning.startswith(f"Warning: {config}, database = 'newsdigest.db', means ")
    assert "WARNING" not in listed.stderr and "bot.database_location" not in listed.stderr


def test_run_logs_it_as_a_structured_warning() -> None:
    record = logging.getLogger("bot.database_location").makeRecord(
        "bot.database_location",
        logging.WARNING,
        __file__,
        1,
        "using %s",
        ("./newsdigest.db",),
        None,
        extra={"event": DATABASE_WARNING},
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "warning" and entry["event"] == DATABASE_WARNING
    assert entry["msg"] == "using ./newsdigest.db"
