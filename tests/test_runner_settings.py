"""Runner settings from the environment: a bad value is a clean error naming the variable, and
/healthz listens on loopback unless told otherwise."""

from __future__ import annotations

import pytest

from bot.config import Config
from bot.runner.service import run_service
from bot.runner.settings import RunnerSettings, SettingsError


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSDIGEST_HEALTH_PORT", "abc"),
        ("NEWSDIGEST_HEALTH_PORT", "70000"),
        ("NEWSDIGEST_POLL_TICK", "soon"),
        ("NEWSDIGEST_POST_PACE", "-1"),
        ("NEWSDIGEST_SHUTDOWN_GRACE", "nan"),
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
