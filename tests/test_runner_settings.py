"""Runner settings from the environment: a bad value is a clean error naming the variable, and
/healthz listens on loopback unless told otherwise."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.config import Config
from bot.runner import launch
from bot.runner.launch import run_service
from bot.runner.service import Service
from bot.runner.settings import MAXIMUM, RunnerSettings, SettingsError


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSDIGEST_HEALTH_PORT", "abc"),
        ("NEWSDIGEST_HEALTH_PORT", "70000"),
        ("NEWSDIGEST_POLL_TICK", "soon"),
        ("NEWSDIGEST_POST_PACE", "-1"),
        ("NEWSDIGEST_SHUTDOWN_GRACE", "nan"),
        ("NEWSDIGEST_LOG_FORMAT", "xml"),
        ("NEWSDIGEST_LOG_FORMAT", "txt"),
    ],
)
def test_bad_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        RunnerSettings.from_env({name: value})


def test_run_exits_cleanly_on_a_bad_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDIGEST_HEALTH_PORT", "abc")
    with pytest.raises(SystemExit) as raised:
        run_service(Config())
    assert "NEWSDIGEST_HEALTH_PORT" in str(raised.value.code)


def test_health_defaults_to_loopback() -> None:
    settings = RunnerSettings.from_env({})
    assert settings.health_host == "127.0.0.1" and settings.health_port == 8080
    assert RunnerSettings().health_host == "127.0.0.1"
    assert RunnerSettings.from_env({"NEWSDIGEST_HEALTH_PORT": "off"}).health_port is None
    assert RunnerSettings.from_env({"NEWSDIGEST_HEALTH_HOST": "0.0.0.0"}).health_host == "0.0.0.0"


def _bound_socket() -> socket.socket:
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    return held


async def test_busy_health_port_is_a_clear_error_at_start(tmp_path: Path) -> None:
    held = _bound_socket()
    port = held.getsockname()[1]
    config = Config(database=str(tmp_path / "nd.db"))
    settings = RunnerSettings(health_host="127.0.0.1", health_port=port, start_spread=0)
    service = Service(config, settings=settings, env={})
    try:
        with pytest.raises(SettingsError, match=rf"NEWSDIGEST_HEALTH_PORT.*127\.0\.0\.1:{port}"):
            await service.start()
        assert service.health_server is None
        assert service.platforms == [] and not service.scheduler.running
    finally:
        await service.stop()
        service.core.close()
        held.close()


def test_run_exits_with_one_line_on_a_busy_health_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = _bound_socket()
    port = held.getsockname()[1]
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSDIGEST_HEALTH_PORT", str(port))
    monkeypatch.setattr(launch, "configure_logging", lambda log_format: None)  # keep pytest's
    try:
        with pytest.raises(SystemExit) as raised:
            run_service(Config(database=str(tmp_path / "nd.db")))
    finally:
        held.close()
    message = str(raised.value.code)
    assert message.startswith("Error: NEWSDIGEST_HEALTH_PORT") and str(port) in message
    assert "\n" not in message


@pytest.mark.parametrize("name", sorted(MAXIMUM))
def test_huge_durations_are_refused_by_name(name: str) -> None:
    # 1e12 s used to pass here and overflow datetime arithmetic at start.
    with pytest.raises(SettingsError, match=rf"{name} must be at most \d+ seconds, got '1e12'"):
        RunnerSettings.from_env({name: "1e12"})
    RunnerSettings.from_env({name: str(MAXIMUM[name])})  # the bound itself is accepted


def test_run_exits_cleanly_on_a_huge_catch_up_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDIGEST_CATCHUP_WINDOW", "1e12")
    with pytest.raises(SystemExit) as raised:
        run_service(Config())
    assert str(raised.value.code).startswith("Error: NEWSDIGEST_CATCHUP_WINDOW must be at most")


def test_log_format_is_json_or_text(monkeypatch: pytest.MonkeyPatch) -> None:
    assert RunnerSettings.from_env({}).log_format == "json"
    assert RunnerSettings.from_env({"NEWSDIGEST_LOG_FORMAT": ""}).log_format == "json"
    assert RunnerSettings.from_env({"NEWSDIGEST_LOG_FORMAT": " Text "}).log_format == "text"
    assert RunnerSettings.from_env({"NEWSDIGEST_LOG_FORMAT": "JSON"}).log_format == "json"
    # A typo used to fall back to JSON without a word; now it stops `run` as the others do.
    monkeypatch.setenv("NEWSDIGEST_LOG_FORMAT", "txt")
    with pytest.raises(SystemExit) as raised:
        run_service(Config())
    assert raised.value.code == "Error: NEWSDIGEST_LOG_FORMAT must be 'json' or 'text', got 'txt'"
