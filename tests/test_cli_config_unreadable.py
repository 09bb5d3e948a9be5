"""A config file that is a directory, cannot be read, is missing or is not TOML: one line naming
the file (a missing one also where its name came from) and why, exit 1 as any other configuration
error does, never a traceback."""

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
        f"Error: invalid configuration: {folder}: cannot read the file: Is a directory"
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
    assert f"{config}: cannot read the file: Permission denied" in err


def test_a_missing_config_file_says_where_its_name_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A NEWSDIGEST_CONFIG left in the environment is easily forgotten: "file not found" alone
    # sent people looking at the command line they typed.
    monkeypatch.setenv("NEWSDIGEST_CONFIG", "nope.toml")
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.chdir(tmp_path)
    assert run_main(["stories"], monkeypatch) == 1
    assert capsys.readouterr().err.strip() == (
        "Error: invalid configuration: file not found: nope.toml (from $NEWSDIGEST_CONFIG)"
    )
    assert run_main(["--config", "other.toml", "stories"], monkeypatch) == 1
    assert capsys.readouterr().err.strip() == (
        "Error: invalid configuration: file not found: other.toml (from --config)"
    )


def test_a_config_file_that_is_not_toml_names_no_made_up_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[polling\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    assert run_main(["stories"], monkeypatch) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"Error: invalid configuration: {config}: not valid TOML (")
