"""Values the config file keeps that chat refuses (a fixed-offset zone like EST, a digest more often
than every 30 minutes, min_sources over 50) load exactly as before, firing at the same times, and
each channel holding one gets one warning naming the file, the entry, the value, why and the fix:
logged at `run`'s start, printed by `poll`, `digest` and `feeds` on stderr (at a terminal)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.chat import FakeChatAdapter
from fakes.runner import stop

from bot.app import NewsDigest
from bot.cli import cli, shown_warnings
from bot.config import load_config
from bot.config_entries import ChannelConfig
from bot.cron import cron_trigger
from bot.runner.schedule import fire_times
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database

EST_EVERY_5 = (
    "channels[0] (#news, slack:C1): "
    'timezone = "EST" is UTC-5 all year: where clocks change for summer, as in New York, '
    'digests will be an hour late all summer. Use timezone = "America/New_York", which follows '
    "the clock changes (or your city's zone if its clocks never change). "
    'schedule = "*/5 * * * *" posts a digest as often as every 5 minutes, a stream of '
    "near-empty posts: chat refuses a digest more often than every 30 minutes. Use a schedule "
    'at least 30 minutes apart, like "0 * * * *" (hourly), or mode = "instant" to post each '
    "story once as it qualifies. (Loaded as written: nothing changes until the entry is edited.)"
)


def _write(tmp_path: Path, *channels: str) -> Path:
    path = tmp_path / "newsdigest.toml"
    tables = "".join(f'\n[[channels]]\nplatform = "slack"\n{c}\n' for c in channels)
    path.write_text(f'database = "nd.db"\n{tables}', encoding="utf-8")
    return path


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_est_and_a_five_minute_cron_get_one_warning_and_keep_their_fire_times(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        'id = "C1"\nname = "#news"\ntimezone = "EST"\nschedule = "*/5 * * * *"',
        'id = "C2"\ntimezone = "EST"\nschedule = "0 9 * * *"',
    )
    config = load_config(path)
    # Read as before: nothing the file says is changed or refused.
    assert config.channels == [
        ChannelConfig(
            platform="slack", id="C1", name="#news", schedule="*/5 * * * *", timezone="EST"
        ),
        ChannelConfig(platform="slack", id="C2", schedule="0 9 * * *", timezone="EST"),
    ]
    first, second = (cron_trigger(c.schedule, c.timezone) for c in config.channels)
    july = _utc(2026, 7, 1, 12, 0)
    assert fire_times(first, july, _utc(2026, 7, 1, 12, 15)) == [
        _utc(2026, 7, 1, 12, 5),
        _utc(2026, 7, 1, 12, 10),
        _utc(2026, 7, 1, 12, 15),
    ]
    # 09:00 EST is 14:00 UTC all year: 10:00 in New York all summer, as it always fired.
    assert fire_times(second, july, _utc(2026, 7, 3, 12, 0)) == [
        _utc(2026, 7, 1, 14, 0),
        _utc(2026, 7, 2, 14, 0),
    ]
    assert fire_times(second, _utc(2026, 1, 5), _utc(2026, 1, 6)) == [_utc(2026, 1, 5, 14, 0)]
    # One warning per entry, however many of its values are off.
    assert config.warnings == [
        f"{path}: {EST_EVERY_5}",
        f"{path}: channels[1] (slack:C2): "
        'timezone = "EST" is UTC-5 all year: where clocks change for summer, as in New York, '
        'digests will be an hour late all summer. Use timezone = "America/New_York", which '
        "follows the clock changes (or your city's zone if its clocks never change). "
        "(Loaded as written: nothing changes until the entry is edited.)",
    ]


def test_a_place_zone_and_a_cron_at_the_floor_get_no_warning(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            'id = "C1"\ntimezone = "America/New_York"\nschedule = "0 9 * * mon-fri"',
            'id = "C2"\nschedule = "*/30 * * * *"\nmin_sources = 50',
            # Honolulu keeps one offset all year too: HST is its right time, late for no one.
            'id = "C3"\ntimezone = "HST"\nschedule = "weekdays 09:00"',
            # An instant channel's schedule fires nothing, and without quiet hours its zone
            # times nothing.
            'id = "C4"\nmode = "instant"\ntimezone = "EST"\nschedule = "*/5 * * * *"',
        )
    )
    assert config.warnings == []


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (
            'timezone = "MST"\nquiet_hours = "22:00-07:00"',
            'timezone = "MST" is UTC-7 all year: where clocks change for summer, as in Denver, '
            "digests and quiet hours will be an hour late all summer. Use timezone = "
            '"America/Denver", which follows the clock changes (or "America/Phoenix" if your '
            "clocks never change).",
        ),
        (
            'timezone = "Etc/GMT-10"',
            'timezone = "Etc/GMT-10" is UTC+10 all year: where clocks change for summer, as in '
            'Sydney, digests will be an hour late all summer. Use timezone = "Australia/Sydney", '
            'which follows the clock changes (or "Australia/Brisbane" if your clocks never '
            "change).",
        ),
        (
            'mode = "instant"\ntimezone = "EST"\nquiet_hours = "22:00-07:00"',
            'timezone = "EST" is UTC-5 all year: where clocks change for summer, as in New York, '
            'quiet hours will be an hour late all summer. Use timezone = "America/New_York", '
            "which follows the clock changes (or your city's zone if its clocks never change).",
        ),
        (
            # The chat form of a schedule is quoted as written.
            "schedule = \"cron '0,10 9 * * *'\"",
            "schedule = \"cron '0,10 9 * * *'\" posts a digest as often as every 10 minutes, a "
            "stream of near-empty posts: chat refuses a digest more often than every 30 minutes. "
            'Use a schedule at least 30 minutes apart, like "0 * * * *" (hourly), or mode = '
            '"instant" to post each story once as it qualifies.',
        ),
        (
            "min_sources = 60",
            "min_sources = 60 is over 50, the most chat accepts: a story needs 60 different "
            "outlets before this channel gets it, so it will get few stories or none. Use 50 or "
            "fewer.",
        ),
    ],
)
def test_each_value_chat_refuses_is_said_with_its_fix(
    tmp_path: Path, entry: str, said: str
) -> None:
    path = _write(tmp_path, f'id = "C1"\n{entry}')
    assert load_config(path).warnings == [
        f"{path}: channels[0] (slack:C1): {said} (Loaded as written: nothing changes until the "
        "entry is edited.)"
    ]


def test_a_leap_second_zone_is_said_with_its_plain_zone(tmp_path: Path) -> None:
    path = _write(tmp_path, 'id = "C1"\ntimezone = "right/Europe/Berlin"')
    try:
        config = load_config(path)
    except ValueError:
        pytest.skip("this system's tz database has no right/ zones")
    assert config.warnings == [
        f'{path}: channels[0] (slack:C1): timezone = "right/Europe/Berlin" counts leap seconds, '
        'which no clock does: digests will be 27 seconds late. Use timezone = "Europe/Berlin". '
        "(Loaded as written: nothing changes until the entry is edited.)"
    ]


@pytest.fixture
def est_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return _write(tmp_path, 'id = "C1"\nname = "#news"\ntimezone = "EST"\nschedule = "*/5 * * * *"')


def test_poll_digest_and_feeds_print_the_warning_once_on_stderr(
    est_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At a terminal, each of them, every time (cron's once per change: test_cli_warnings_once).
    monkeypatch.setattr(shown_warnings, "interactive", lambda: True)
    runner = CliRunner()
    warning = f"Warning: {est_config}: {EST_EVERY_5}\n"
    polled = runner.invoke(cli, ["--config", str(est_config), "poll"])
    assert polled.exit_code == 0, polled.output
    assert polled.stderr.startswith(warning) and polled.stderr.count("Warning:") == 1
    # `--config` after the command, where most people type it, is the file warned of.
    for command in (["digest", "slack:C1"], ["feeds", "list"]):
        result = runner.invoke(cli, [*command, "--config", str(est_config)])
        assert result.exit_code == 0, result.output
        assert result.stderr == warning
        assert "Warning" not in result.stdout
    # Commands that do not look at the channels stay quiet.
    listed = runner.invoke(cli, ["stories", "--config", str(est_config)])
    assert listed.exit_code == 0, listed.output
    assert "Warning" not in listed.stderr


async def test_run_logs_the_warning_once_at_start(
    est_config: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(est_config)
    core = NewsDigest(config, db=open_database(est_config.parent / "nd.db"))
    settings = RunnerSettings(health_port=None, health_host="127.0.0.1", post_pace=0)
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    with caplog.at_level(logging.WARNING):
        await service.start()
        await stop(service)
    said = [r.getMessage() for r in caplog.records if "channels[0]" in r.getMessage()]
    assert said == [f"{est_config}: {EST_EVERY_5}"]


def test_a_channel_name_in_a_warning_cannot_drive_the_terminal(tmp_path: Path) -> None:
    # The file's name for the channel, with a colour code, a bell and an OSC 8 hyperlink in it.
    name = "#news \\u001b[31mred\\u0007 \\u001b]8;;https://evil.example\\u001b\\\\click\\u001b]8;;\\u001b\\\\"
    path = _write(tmp_path, f'id = "C1"\nname = "{name}"\ntimezone = "EST"\nschedule = "0 9 * * *"')
    (warning,) = load_config(path).warnings
    assert warning.startswith(f"{path}: channels[0] (#news [31mred ]8;;https://evil.example")
    assert not any(ch in warning for ch in "\x1b\x07\x9b")
    checked = CliRunner().invoke(cli, ["config", "check", "--config", str(path)])
    assert "channels[0] (#news [31mred" in checked.output
    assert "\x1b" not in checked.output and "\x07" not in checked.output
