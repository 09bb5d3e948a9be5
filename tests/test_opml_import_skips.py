"""Outlines `feeds import` leaves out are each named with the reason: a site's page without its
feed (`htmlUrl` only), and a feed listed twice in one file in two spellings of its URL, which is
a duplicate within the file, not a feed already subscribed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.ingest.opml import OpmlSkip, read_opml

PAGE_ONLY = b"""<?xml version="1.0"?><opml version="2.0"><body>
  <outline text="Harbour Gazette" htmlUrl="https://gazette.example/"/>
  <outline text="Tide Tables" type="rss" htmlUrl="https://tides.example/"/>
  <outline text="Ferry Notes" xmlUrl="https://ferry.example/rss"/>
  <outline text="Folder with a page" htmlUrl="https://folder.example/">
    <outline text="Inside" xmlUrl="https://inside.example/atom"/>
  </outline>
</body></opml>"""


Import = Callable[[bytes], tuple[Path, Result]]


@pytest.fixture
def import_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Import:
    """Runs `feeds import` of the given bytes against one database file."""
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    (tmp_path / "nd.db").touch()  # no "Created a new database" line among the skips

    def run(data: bytes) -> tuple[Path, Result]:
        path = tmp_path / "subs.opml"
        path.write_bytes(data)
        return path, CliRunner().invoke(cli, ["feeds", "import", str(path)])

    return run


def skips(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("skipped ")]


def test_a_page_without_its_feed_is_skipped_with_the_reason() -> None:
    contents = read_opml(PAGE_ONLY)
    assert [f.url for f in contents.feeds] == [
        "https://ferry.example/rss",
        "https://inside.example/atom",  # an outline with children is a folder, page or not
    ]
    reason = "a web page, not a feed: add the feed's address"
    assert contents.skipped == [
        OpmlSkip("https://gazette.example/", reason),
        OpmlSkip("https://tides.example/", reason),
    ]


def test_feeds_import_names_the_pages_it_skipped(import_file: Import) -> None:
    path, result = import_file(PAGE_ONLY)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported 2 feeds (2 skipped) from {path}\n"
    assert skips(result) == [
        "skipped https://gazette.example/: a web page, not a feed: add the feed's address",
        "skipped https://tides.example/: a web page, not a feed: add the feed's address",
    ]
