"""The CLI set-up the refused-feed tests share: a config file whose polling.allow_private_networks
a test turns off and on (the FeedServer is on 127.0.0.1, so off means refused), the database
beside it, and a one-item feed."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_env import cli_env

RSS = b"""<rss version="2.0"><channel><title>Harbour Desk</title>
<item><guid>1</guid><title>Ferry timetable changes</title><link>https://h.example/1</link></item>
</channel></rss>"""


def allow_private(config: Path, allowed: bool) -> None:
    value = "true" if allowed else "false"
    config.write_text(f"[polling]\nallow_private_networks = {value}\n", encoding="utf-8")


def refused_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config file (allowing private addresses at first), named by the environment."""
    path = cli_env(tmp_path, monkeypatch)
    allow_private(path, True)
    return path


def words(text: str) -> str:
    """Output with its line wrapping undone, to compare a message however the terminal cut it."""
    return " ".join(text.split())
