"""`newsdigest demo --output` where nothing can be written is one error line, not a traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli


def test_an_output_directory_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["demo", "--output", str(blocker / "demo")])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output == f"Error: {blocker / 'demo'}: cannot write there: Not a directory\n"


def test_a_stale_database_that_cannot_be_removed(tmp_path: Path) -> None:
    (tmp_path / "out" / "demo.db").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["demo", "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {tmp_path / 'out' / 'demo.db'}: cannot write there: Is a directory"
    )
