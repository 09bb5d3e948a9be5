"""An OPML file is user input: one outline crowded with attributes is refused before lxml reads
them (walking them was quadratic: 20,000 on one outline took 18.6 s), an outline's attributes
are looked up by name, and a file too big to be a list of feeds is refused unread. Fixtures
written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bot.cli import cli
from bot.ingest.errors import OpmlError
from bot.ingest.opml import MAX_OPML_BYTES, read_opml
from tests._cost import assert_costs_at_most, assert_grows_linearly


def _opml(*outlines: str) -> bytes:
    return (
        f'<?xml version="1.0"?><opml version="2.0"><body>{"".join(outlines)}</body></opml>'.encode()
    )


def _outline(url: str, extra: int, spelling: str = "xmlUrl") -> str:
    padding = " ".join(f'x{i}="y"' for i in range(extra))
    return f'<outline text="Harbour notes" {padding} {spelling}="{url}"/>'


def _refused(data: bytes) -> None:
    with pytest.raises(OpmlError, match=r"one <outline> element carries [\d,]+ attributes"):
        read_opml(data)


def test_an_outline_crowded_with_attributes_is_refused_naming_it() -> None:
    with pytest.raises(OpmlError, match=r"one <outline> element carries 20,002 attributes"):
        read_opml(_opml(_outline("https://harbour.example/rss", 20_000)))
    # Refused by a scan linear in them, before lxml walks them in quadratic time.
    files = {n: _opml(_outline("https://harbour.example/rss", n)) for n in (20_000, 160_000)}
    assert_grows_linearly(lambda n: _refused(files[n]), 160_000)


def test_outlines_at_the_limit_are_read_in_linear_time_in_any_case_of_names() -> None:
    # 998 padding attributes, a text and an xmlUrl: the most one outline may carry. Walking
    # `attrib.items()` for each of the five names looked up took 13 s for these 300 (3.8 s of
    # CPU, about 50 times what lxml takes to parse the file); looked up by name, the whole read
    # takes 3 to 4 times the parse.
    outlines = [
        _outline(f"https://harbour.example/{n}", 998, "XMLURL" if n % 2 else "xmlUrl")
        for n in range(300)
    ]
    data = _opml(*outlines)
    feeds = read_opml(data).feeds
    assert [f.url for f in feeds] == [f"https://harbour.example/{n}" for n in range(300)]
    assert {f.title for f in feeds} == {"Harbour notes"}
    assert_costs_at_most(lambda: read_opml(data), lambda: etree.fromstring(data), 12)


def test_a_file_too_big_to_be_a_list_of_feeds_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    (tmp_path / "nd.db").touch()
    big = tmp_path / "big.opml"
    with big.open("wb") as out:
        out.write(_opml(_outline("https://harbour.example/rss", 0)))
        out.truncate(MAX_OPML_BYTES + 5_000_000)  # a sparse file: the import must not read it all
    result = CliRunner().invoke(cli, ["feeds", "import", str(big)])
    assert result.exit_code == 1
    assert f"{big}: the file is over 20 MB, more than any list of feeds" in result.stderr
