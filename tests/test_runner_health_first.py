"""`newsdigest run` answers /healthz from the start: while it is still loading its code and
opening (here: held opening) the database, the endpoint is up and says "starting" with a 503, so
an orchestrator's probe sees a starting bot rather than a refused connection; once the service
runs, it answers 200. A real process, a real port; the database open is held by a gate file."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import httpx
import pytest

from bot.config import Config
from bot.runner.health import loading_status, start_health
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import utcnow

ROOT = Path(__file__).resolve().parent.parent

# Run as the bot's `python -m bot`, with the database's open held until the gate file exists:
# the stand-in for a long migration on a big database.
HELD_OPEN = """
import os, sys, time
import bot.app
real = bot.app.open_database
def held(path, **kwargs):
    gate = os.environ["GATE"]
    deadline = time.monotonic() + 60
    while not os.path.exists(gate) and time.monotonic() < deadline:
        time.sleep(0.02)
    return real(path, **kwargs)
bot.app.open_database = held
from bot.cli import main
sys.argv = ["newsdigest", *sys.argv[1:]]
main()
"""


def healthz(port: int) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_healthz_answers_starting_while_the_database_is_opened(tmp_path: Path) -> None:
    config = tmp_path / "nd.toml"
    config.write_text('[[channels]]\nplatform = "console"\nid = "team"\n', encoding="utf-8")
    gate = tmp_path / "gate"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEWSDIGEST_DB": str(tmp_path / "nd.db"),
        "NEWSDIGEST_HEALTH_PORT": "0",
        "GATE": str(gate),
    }
    for token in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        env.pop(token, None)
    proc = subprocess.Popen(
        [sys.executable, "-c", HELD_OPEN, "--config", str(config), "run"],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    try:
        seen: list[str] = []
        port = None
        for line in proc.stderr:
            seen.append(line)
            if found := re.search(r"health endpoint on http://127\.0\.0\.1:(\d+)/", line):
                port = int(found[1])
                break
        assert port is not None, "no health endpoint before the database was opened:\n" + "".join(
            seen
        )
        # The database is still held closed: the endpoint answers, and says the bot is starting.
        assert not gate.exists()
        code, body = healthz(port)
        assert (code, body["status"], body["scheduler_running"]) == (503, "starting", False)
        gate.touch()
        for line in proc.stderr:
            seen.append(line)
            if '"event": "started"' in line:
                break
        else:
            raise AssertionError("bot did not start:\n" + "".join(seen))
        code, body = healthz(port)
        assert (code, body["status"], body["scheduler_running"]) == (200, "ok", True)
        proc.send_signal(signal.SIGTERM)
        _out, rest = proc.communicate(timeout=15)
        assert proc.returncode == 0, rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


async def test_the_service_answers_through_the_endpoint_bound_before_it(tmp_path: Path) -> None:
    # `run` binds the endpoint first (`launch.start_health`, "starting"), then hands it to the
    # service it has loaded: the same port goes on answering, now with the service's status,
    # and the service's stop closes it.
    started = utcnow()
    settings = RunnerSettings(health_port=0, post_pace=0, start_spread=300)
    server = await start_health(settings, lambda: loading_status(started))
    assert server is not None
    url = f"http://127.0.0.1:{server.port}/healthz"
    config = Config(database=str(tmp_path / "nd.db"))
    service = Service(config, settings=settings, env={}, health_server=server)
    async with httpx.AsyncClient() as client:
        loading = await client.get(url)
        await service.start()
        running = await client.get(url)
        await service.stop()
        with pytest.raises(httpx.ConnectError):
            await client.get(url)
    service.core.close()
    assert (loading.status_code, loading.json()["status"]) == (503, "starting")
    assert loading.json()["scheduler_running"] is False
    assert (running.status_code, running.json()["status"]) == (200, "ok")
    assert service.health_server is server
