"""An OPML file that is not UTF-8 and declares no encoding (an old reader's windows-1252 or
Latin-1 export) is read by the feeds' own charset rules, and `feeds import` says which encoding
it assumed; one that cannot be guessed is refused with what to do about it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.ingest.errors import OpmlError
from bot.ingest.opml import read_opml
from bot.store.database import open_database
from bot.store.feeds import list_feeds

# "Café “Notes”" and "Zoë's Kitchen" in windows-1252: é, the curly quotes and ë are one byte
# each, none of them valid UTF-8.
CP1252_BODY = (
    b'<opml version="1.0"><head><title>Export</title></head><body>'
    b'<outline text="Caf\xe9 \x93Notes\x94" xmlUrl="https://cafe.example/rss"/>'
    b'<outline text="Zo\xeb\x92s Kitchen" xmlUrl="https://kitchen.example/feed"/>'
    b"</body></opml>"
)
NAMES = ["Café “Notes”", "Zoë’s Kitchen"]


@pytest.mark.parametrize(
    "data",
    [CP1252_BODY, b'<?xml version="1.0"?>\n' + CP1252_BODY],
    ids=["no declaration", "declaration without encoding"],
)
def test_an_undeclared_windows_1252_file_is_read_and_the_guess_said(data: bytes) -> None:
    contents = read_opml(data)
    assert [f.title for f in contents.feeds] == NAMES
    assert contents.guessed_encoding == "windows-1252"


def test_a_declared_encoding_is_no_guess() -> None:
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + CP1252_BODY
    contents = read_opml(data)
    assert [f.title for f in contents.feeds] == NAMES  # ISO-8859-1 read as windows-1252
    assert contents.guessed_encoding is None
    utf8 = read_opml(CP1252_BODY.decode("cp1252").encode("utf-8"))
    assert [f.title for f in utf8.feeds] == NAMES
    assert utf8.guessed_encoding is None


def test_a_file_whose_encoding_cannot_be_guessed_says_how_to_fix_it() -> None:
    # Cyrillic words in KOI8-R: runs of high bytes, which windows-1252 text does not have.
    data = (
        b'<opml version="1.0"><body><outline text="\xee\xcf\xd7\xcf\xd3\xd4\xc9 '
        b'\xc4\xce\xd1" xmlUrl="https://ru.example/rss"/></body></opml>'
    )
    with pytest.raises(OpmlError, match="not UTF-8 and its encoding could not be guessed"):
        read_opml(data)


def test_feeds_import_says_which_encoding_it_assumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    path = tmp_path / "old-reader.opml"
    path.write_bytes(CP1252_BODY)
    result = CliRunner().invoke(cli, ["feeds", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported 2 feeds from {path}\n"
    assert (
        f"{path} is not UTF-8 and names no other encoding: read as windows-1252 "
        "(a guess: check the feeds' names)"
    ) in result.stderr
    db = open_database(tmp_path / "nd.db")
    assert [f.name for f in list_feeds(db)] == NAMES
    utf8 = tmp_path / "utf8.opml"
    utf8.write_bytes(CP1252_BODY.decode("cp1252").encode("utf-8").replace(b"rss", b"atom"))
    again = CliRunner().invoke(cli, ["feeds", "import", str(utf8)])
    assert again.exit_code == 0, again.output
    assert "encoding" not in again.stderr
