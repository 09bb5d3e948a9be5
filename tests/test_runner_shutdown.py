"""`newsdigest run` as a real process: starts with no chat platform configured (console only)
and stops cleanly within a few seconds of SIGTERM or Ctrl-C (SIGINT), exiting 0 as its --help
says; the hourly terminal channel is made only when there is no console channel already."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli

ROOT = Path(__file__).resolve().parent.parent
# The stop takes under a second on a quiet machine. With a minute's grace, a part of it that sat
# out its share (30 s) instead of ending its work shows past HANG: a hang guard, not a speed
# budget, so a busy machine's slow exit passes and a stop that waits does not.
GRACE = 60
HANG = 20


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_the_bot_within_seconds(sig: signal.Signals, tmp_path: Path) -> None:
    config = tmp_path / "nd.toml"
    config.write_text('[[channels]]\nplatform = "console"\nid = "team"\n', encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEWSDIGEST_DB": str(tmp_path / "nd.db"),
        "NEWSDIGEST_HEALTH_PORT": "0",
        "NEWSDIGEST_SHUTDOWN_GRACE": str(GRACE),
    }
    for token in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        env.pop(token, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config), "run"],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    seen: list[str] = []
    for line in proc.stderr:
        seen.append(line)
        if '"event": "started"' in line:
            break
    else:
        raise AssertionError("bot did not start:\n" + "".join(seen))
    proc.send_signal(sig)
    try:
        _out, rest = proc.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"the bot was still running {HANG} s after {sig.name}")
    assert proc.returncode == 0, rest
    assert '"event": "stopped"' in (rest or "")
    # The config's console channel prints the digests: no `console:terminal` was added.
    with sqlite3.connect(tmp_path / "nd.db") as conn:
        keys = conn.execute("SELECT platform, channel_id FROM channels").fetchall()
    assert keys == [("console", "team")]


def test_run_help_says_what_a_stop_exits_with_and_when_the_terminal_channel_is_made() -> None:
    # It said Ctrl-C exited 130 (it exits 0) and that `run` always made the terminal channel.
    text = " ".join(CliRunner().invoke(cli, ["run", "--help"]).output.split())
    assert (
        "Stop with Ctrl-C or SIGTERM: the bot finishes the post it is sending and exits 0" in text
    )
    assert "With neither token and no console channel in the database, `run` creates" in text
    top = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    assert "`run` is a service: stopped by Ctrl-C or SIGTERM it exits 0." in top
