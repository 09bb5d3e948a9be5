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
    assert result.stdout == (
        f"Imported 2 feeds (2 skipped) from {path}\nFolders: Folder with a page (1)\n"
    )
    assert skips(result) == [
        "skipped https://gazette.example/: a web page, not a feed: add the feed's address",
        "skipped https://tides.example/: a web page, not a feed: add the feed's address",
    ]


TWO_SPELLINGS = b"""<?xml version="1.0"?><opml version="2.0"><body>
  <outline text="Loud" xmlUrl="HTTP://Example.com:80/feed"/>
  <outline text="Quiet" xmlUrl="http://example.com/feed"/>
  <outline text="Secure" xmlUrl="https://Lantern.example:443/news?Page=1"/>
  <outline text="Secure again" xmlUrl="https://lantern.example/news?Page=1#top"/>
  <outline text="Path case differs" xmlUrl="https://lantern.example/News?Page=1"/>
</body></opml>"""


def test_two_spellings_of_one_url_are_one_feed_listed_twice() -> None:
    contents = read_opml(TWO_SPELLINGS)
    assert [f.url for f in contents.feeds] == [
        "HTTP://Example.com:80/feed",
        "https://Lantern.example:443/news?Page=1",
        "https://lantern.example/News?Page=1",  # a path's case may name another feed
    ]
    assert contents.skipped == [
        OpmlSkip(
            "http://example.com/feed",
            "listed twice in the file (first as HTTP://Example.com:80/feed)",
        ),
        OpmlSkip(
            "https://lantern.example/news?Page=1#top",
            "listed twice in the file (first as https://Lantern.example:443/news?Page=1)",
        ),
    ]


def test_feeds_import_tells_a_duplicate_in_the_file_from_one_already_subscribed(
    import_file: Import,
) -> None:
    path, first = import_file(TWO_SPELLINGS)
    assert first.exit_code == 0, first.output
    assert first.stdout == f"Imported 3 feeds (2 skipped) from {path}\n"
    # Was: "skipped 2 feeds already in the database", of a database that had none of them.
    assert skips(first) == [
        "skipped http://example.com/feed: listed twice in the file "
        "(first as HTTP://Example.com:80/feed)",
        "skipped https://lantern.example/news?Page=1#top: listed twice in the file "
        "(first as https://Lantern.example:443/news?Page=1)",
    ]
    _, again = import_file(TWO_SPELLINGS)
    assert again.exit_code == 0, again.output
    assert skips(again)[-1] == "skipped 3 feeds already in the database"
    assert len(skips(again)) == 3


def test_the_help_says_what_import_skips_and_keeps() -> None:
    result = CliRunner().invoke(cli, ["feeds", "import", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for promise in (
        "listed twice in the file",
        "only a web page (htmlUrl)",
        "allow_private_networks = true under [polling]",
        "Folders are kept",
        "windows-1252",
        "Nothing is fetched",
    ):
        assert promise in text, promise


def test_a_trailing_slash_is_another_url_and_the_help_says_so() -> None:
    # The README promised duplicates "in any spelling of the URL"; a trailing slash may name
    # another resource on the server, so it is kept, and the docs say where the line is.
    contents = read_opml(b"""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="Slash" xmlUrl="https://NEWS.example.org/rss/"/>
      <outline text="No slash" xmlUrl="https://news.example.org/rss"/>
    </body></opml>""")
    assert [f.url for f in contents.feeds] == [
        "https://NEWS.example.org/rss/",
        "https://news.example.org/rss",
    ]
    assert contents.skipped == []
    help_text = " ".join(CliRunner().invoke(cli, ["feeds", "import", "--help"]).stdout.split())
    assert "a trailing / or the path's case is another URL" in help_text
    root = Path(__file__).parents[1]
    pages = [root / "README.md", *sorted((root / "docs").glob("*.md"))]  # the command table
    readme = " ".join(" ".join(page.read_text("utf-8").split()) for page in pages)
    assert "in any spelling of the URL" not in readme
    assert "`https://NEWS.example.org/rss/` and `https://news.example.org/rss` are both" in readme
