"""`newsdigest run` as a real process: starts with no chat platform configured (console only)
and stops cleanly within a few seconds of SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_sigterm_stops_the_bot_within_seconds(tmp_path: Path) -> None:
    config = tmp_path / "nd.toml"
    config.write_text('[[channels]]\nplatform = "console"\nid = "team"\n', encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEWSDIGEST_DB": str(tmp_path / "nd.db"),
        "NEWSDIGEST_HEALTH_PORT": "0",
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
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _out, rest = proc.communicate(timeout=15)
    assert proc.returncode == 0, rest
    assert time.monotonic() - started < 5
    assert '"event": "stopped"' in (rest or "")
