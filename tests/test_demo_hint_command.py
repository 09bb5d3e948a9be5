"""The end of the demo says how to look at its database with a command that works from this
shell: on a fresh machine after `make demo`, `newsdigest` is only `.venv/bin/newsdigest`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.demo.run import newsdigest_command


@pytest.fixture
def venv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "newsdigest"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    monkeypatch.chdir(tmp_path)
    return bin_dir


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX venv layout")
def test_a_venv_not_on_path_gets_the_scripts_path(venv: Path) -> None:
    assert newsdigest_command() == ".venv/bin/newsdigest"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX venv layout")
def test_run_from_elsewhere_the_path_is_absolute(
    venv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert newsdigest_command() == str(venv / "newsdigest")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX venv layout")
def test_an_activated_venv_gets_plain_newsdigest(
    venv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(venv))
    assert newsdigest_command() == "newsdigest"


def test_no_script_at_all_falls_back_to_python_m_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))
    assert newsdigest_command() == f"{tmp_path / 'python3'} -m bot"
