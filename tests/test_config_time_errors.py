"""The config file's errors for a time that is none: a bad cron quoted the value twice ("'0 25 *
* *' (…) (got '0 25 * * *'; …"), and quiet hours of `25:00-07:00` said only "expected
'HH:MM-HH:MM'" where chat names the hour that is wrong. Real config files, `config check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.cli import cli

CHANNEL = '[[channels]]\nplatform = "console"\nid = "team"\n'


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str) -> str:
    cli_env(tmp_path, monkeypatch, CHANNEL + line + "\n")
    checked = CliRunner().invoke(cli, ["config", "check"])
    assert checked.exit_code == 1
    return checked.stderr


def test_a_bad_cron_is_quoted_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said = _check(tmp_path, monkeypatch, 'schedule = "0 25 * * *"')
    assert said.count("'0 25 * * *'") == 1, said
    assert "channels[0].schedule: not a valid cron expression '0 25 * * *'" in said
    assert 'write 5 cron fields, "0 9 * * mon-fri"' in said


def test_a_bad_schedule_that_is_no_cron_still_says_what_it_got(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _check(tmp_path, monkeypatch, 'schedule = "someday 09:00"')
    assert "(got 'someday 09:00'; write 5 cron fields" in said


def test_quiet_hours_with_no_such_hour_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _check(tmp_path, monkeypatch, 'quiet_hours = "25:00-07:00"')
    assert (
        "channels[0].quiet_hours: '25:00' is not a time: hours run 00 to 23; expected "
        "'HH:MM-HH:MM', got '25:00-07:00'"
    ) in " ".join(said.split())


def test_quiet_hours_of_no_shape_keep_the_general_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _check(tmp_path, monkeypatch, 'quiet_hours = "nights"')
    assert "channels[0].quiet_hours: expected 'HH:MM-HH:MM', got 'nights'" in said
