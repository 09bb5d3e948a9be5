"""Ctrl-C while `newsdigest` starts (its modules take most of a second to load) exits 130 with
"Aborted.", as it does once a command runs, instead of a KeyboardInterrupt traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The console script's own steps (`from bot.cli import main; main()`), with Ctrl-C arriving as
# the command modules load: when `bot.cli.feeds` is looked for, deterministically.
CHILD = """
import os, signal, sys

class InterruptOnImport:
    def find_spec(self, name, path=None, target=None):
        if name == "bot.cli.feeds":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, InterruptOnImport())
sys.argv = ["newsdigest", "--help"]
from bot.cli import main
main()
"""


def _default_sigint() -> None:
    # A suite run as a background job of a non-interactive shell hands its children an ignored
    # SIGINT, which the bot rightly keeps ignoring (bot.cli); this test is about the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_while_starting_exits_130_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDIGEST_DB": str(tmp_path / "nd.db")}
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        preexec_fn=_default_sigint,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 130, result.stderr
    assert result.stderr == "Aborted.\n"
    assert result.stdout == ""  # stopped before the help was printed


def test_ctrl_c_handling_is_python_s_own_once_started() -> None:
    """The start-up handler is gone once the modules are loaded: a command's Ctrl-C is the
    usual KeyboardInterrupt (asyncio.run's own handling of it needs Python's handler)."""
    child = "import signal, bot.cli; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
    result = subprocess.run(
        [sys.executable, "-c", child],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=_default_sigint,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout == "True\n"


def test_an_ignored_ctrl_c_stays_ignored_while_starting(tmp_path: Path) -> None:
    """A background job of a non-interactive shell inherits SIGINT ignored: a Ctrl-C meant for
    the foreground must not stop it, in its first second either."""
    child = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n" + CHILD.replace(
        '"--help"', '"--version"'
    ).replace("main()\n", "assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN\nmain()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDIGEST_DB": str(tmp_path / "nd.db")}
    result = subprocess.run(
        [sys.executable, "-c", child],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("newsdigest, version")
