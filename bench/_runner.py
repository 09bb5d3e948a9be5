"""Shared helpers for the runner benches: loopback feeds, a config file, and `newsdigest run` as
a child process whose stdout/stderr lines are collected by a reader thread."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def rss(title: str, items: list[tuple[str, str]]) -> bytes:
    now = format_datetime(datetime.now(UTC))
    entries = "".join(
        f"<item><title>{t}</title><link>https://example.com/{g}</link><guid>{g}</guid>"
        f"<pubDate>{now}</pubDate><description>{t}. More text about {t}.</description></item>"
        for g, t in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.com/</link>{entries}</channel></rss>"
    ).encode()


def write_config(path: Path, feed_urls: list[str], *, interval: str, extra: str = "") -> None:
    lines = ["[polling]", "allow_private_networks = true", f'default_interval = "{interval}"', ""]
    for url in feed_urls:
        lines += ["[[feeds]]", f'url = "{url}"', ""]
    path.write_text("\n".join(lines) + extra, encoding="utf-8")


class Bot:
    """`python -m bot --config CFG run` in a child process."""

    def __init__(self, config: Path, db: Path, env: dict[str, str] | None = None) -> None:
        full_env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "NEWSDIGEST_DB": str(db),
            "NEWSDIGEST_HEALTH_PORT": "off",
            "NEWSDIGEST_LOG_FORMAT": "text",
            **(env or {}),
        }
        for token in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
            full_env.pop(token, None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(config), "run"],
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()
        for name, stream in (("out", self.proc.stdout), ("err", self.proc.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            with self._lock:
                self.lines.append((time.monotonic(), name, line.rstrip("\n")))

    def wait_for(self, match: Callable[[str], bool], timeout: float, *, since: float = 0) -> float:
        """The monotonic time of the first line (after `since`) that matches."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for at, _name, line in self.lines:
                    if at >= since and match(line):
                        return at
            if self.proc.poll() is not None:
                raise RuntimeError("bot exited:\n" + "\n".join(x for _, _, x in self.lines[-30:]))
            time.sleep(0.05)
        raise TimeoutError("\n".join(line for _, _, line in self.lines[-30:]))

    def stop(self) -> float:
        """SIGTERM; returns how long the bot took to exit."""
        started = time.monotonic()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return time.monotonic() - started
