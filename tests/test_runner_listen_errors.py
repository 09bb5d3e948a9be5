"""A listener that cannot bind names the variable at fault: the host's for a name that does not
resolve or an address this machine does not have, the port's only for a port in use. Real
sockets on this machine; `nosuchhost.invalid` never resolves (RFC 6761), and 192.0.2.1 is a
documentation address (RFC 5737) no test machine has."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.config import Config
from bot.runner import launch
from bot.runner.launch import run_service
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings, SettingsError


async def start_error(tmp_path: Path, host: str, port: int) -> str:
    config = Config(database=str(tmp_path / "nd.db"))
    settings = RunnerSettings(health_host=host, health_port=port, start_spread=0)
    service = Service(config, settings=settings, env={})
    try:
        with pytest.raises(SettingsError) as raised:
            await service.start()
        assert service.health_server is None and not service.scheduler.running
    finally:
        await service.stop()
        service.core.close()
    return str(raised.value)


async def test_an_unresolvable_health_host_names_the_host(tmp_path: Path) -> None:
    message = await start_error(tmp_path, "nosuchhost.invalid", 18082)
    assert message.startswith("NEWSDIGEST_HEALTH_HOST: cannot resolve 'nosuchhost.invalid' (")
    # The resolver's own words, not "Unknown error -2".
    assert "Unknown error" not in message and "NEWSDIGEST_HEALTH_PORT" not in message
    assert "free the port" not in message


async def test_an_address_not_on_this_machine_names_the_host(tmp_path: Path) -> None:
    message = await start_error(tmp_path, "192.0.2.1", 18082)
    assert message.startswith("NEWSDIGEST_HEALTH_HOST: 192.0.2.1 is not an address of this machine")
    assert "NEWSDIGEST_HEALTH_PORT" not in message and "free the port" not in message


async def test_a_port_in_use_still_names_the_port(tmp_path: Path) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        message = await start_error(tmp_path, "127.0.0.1", port)
    assert message == (
        f"NEWSDIGEST_HEALTH_PORT: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "free the port, choose another, or set it to 'off'"
    )


def test_run_exits_with_one_line_naming_the_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSDIGEST_HEALTH_HOST", "nosuchhost.invalid")
    monkeypatch.setenv("NEWSDIGEST_HEALTH_PORT", "0")
    monkeypatch.setattr(launch, "configure_logging", lambda log_format: None)  # keep pytest's
    with pytest.raises(SystemExit) as raised:
        run_service(Config(database=str(tmp_path / "nd.db")))
    message = str(raised.value.code)
    assert (
        message.startswith("Error: NEWSDIGEST_HEALTH_HOST: cannot resolve") and "\n" not in message
    )
