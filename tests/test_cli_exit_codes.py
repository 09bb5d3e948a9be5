"""The exit status a command asks for reaches the shell: through `main()` (the `newsdigest`
script) and `python -m bot`, not only through click's test runner on the group."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.feedserver import FeedServer, Reply

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))


def _main(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """The exit status `newsdigest ARGS` ends with (0 when main() returns)."""
    monkeypatch.setattr(sys, "argv", ["newsdigest", *args])
    try:
        main()
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else 1
    return 0


@pytest.fixture
def failing() -> Iterator[FeedServer]:
    with FeedServer({"/a": Reply(status=500), "/b": Reply(status=500)}) as srv:
        yield srv


def test_poll_where_every_feed_failed_exits_1_through_main(
    failing: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _main(["feeds", "add", "--no-check", failing.url("/a")], monkeypatch) == 0
    assert _main(["feeds", "add", "--no-check", failing.url("/b")], monkeypatch) == 0
    assert _main(["poll"], monkeypatch) == 1
    assert len(failing.requests) == 2
    # The next pass polls nothing (both back off): nothing failed, so 0.
    assert _main(["poll"], monkeypatch) == 0


def test_poll_with_one_feed_working_exits_0(
    failing: FeedServer, sample_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _main(["feeds", "add", failing.url("/a")], monkeypatch) == 0
    assert _main(["feeds", "add", sample_server.url("/civic-wire/feed")], monkeypatch) == 0
    assert _main(["poll"], monkeypatch) == 0


def test_help_and_version_exit_0_and_usage_errors_2(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _main(["--version"], monkeypatch) == 0
    assert _main(["poll", "--help"], monkeypatch) == 0
    assert _main(["poll", "--no-such-option"], monkeypatch) == 2


def test_python_m_bot_poll_exits_1_when_every_feed_failed(failing: FeedServer) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert run("feeds", "add", failing.url("/a")).returncode == 0
    polled = run("poll")
    assert polled.returncode == 1, polled.stderr
    assert "Polled 1 feed" in polled.stderr and "✗" in polled.stderr
