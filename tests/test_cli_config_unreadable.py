"""NEWSDIGEST_CONFIG naming a directory or a file that cannot be read: one line naming the file and
why, exit 1 as any other configuration error does, never a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bot.cli import main


def run_main(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["newsdigest", *args])
    try:
        main()
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0


def test_a_config_path_that_is_a_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(folder))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    assert run_main(["stories"], monkeypatch) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip() == (
        f"Error: invalid configuration: {folder}: config: cannot read the file: Is a directory"
    )


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file; needs POSIX modes"
)
def test_a_config_file_without_read_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\n", encoding="utf-8")
    config.chmod(0)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    try:
        assert run_main(["stories"], monkeypatch) == 1
    finally:
        config.chmod(0o600)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{config}: config: cannot read the file: Permission denied" in err
