"""On a narrow terminal (80 columns) the tables still tell rows apart: URLs lose their middle,
not their end, and a story's headline is cut to one line with '…' (README: "long cells cut
with …")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _refused_feeds import RSS
from test_cli_piped_output import cli_env, newsdigest, on_terminal, set_up

from bot.cli.output import cut_middle
from bot.feedserver import FeedServer, Reply


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path)


def test_cut_middle_keeps_the_start_and_the_end() -> None:
    url = "example.org/section/world/regional/northern-provinces/feed.xml"
    cut = cut_middle(url, 30)
    assert len(cut) == 30 and "…" in cut
    assert cut.startswith("example.org") and cut.endswith("provinces/feed.xml")
    assert cut_middle("short", 30) == "short"


def test_feeds_list_urls_stay_distinguishable_at_80_columns(env: dict[str, str]) -> None:
    paths = [f"/section/world/regional/feeds/latest/{region}.xml" for region in ("north", "south")]
    with FeedServer() as srv:
        for path in paths:
            set_up(env, "feeds", "add", srv.url(path))
    listing = on_terminal(env, 80, "feeds", "list")
    lines = listing.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [line for line in lines if "/" in line and ".xml" in line]
    assert len(rows) == 2  # one line each, the URL's end showing
    cells = [row.split("│")[3].strip() for row in rows]
    assert cells[0] != cells[1]
    assert cells[0].endswith("latest/north.xml")
    assert cells[1].endswith("latest/south.xml")


def test_stories_headlines_are_cut_to_one_line_at_80_columns(
    env: dict[str, str], sample_server: FeedServer
) -> None:
    for path in ("/harbor-times/feed", "/northern-ledger/feed", "/civic-wire/feed"):
        set_up(env, "feeds", "add", sample_server.url(path))
    set_up(env, "poll")
    piped = newsdigest(env, "stories").stdout
    listing = on_terminal(env, 80, "stories")
    lines = listing.splitlines()
    assert max(len(line) for line in lines) <= 80
    body = [line for line in lines if line.startswith("│")]
    piped_body = [line for line in piped.splitlines() if line.startswith("│")]
    assert len(body) == len(piped_body)  # one line per story, none wrapped
    assert any("…" in line for line in body)
    # The date column is whole on every row.
    assert all(line.split("│")[-2].strip().count(":") == 1 for line in body)


def test_stories_give_the_headline_the_room_at_80_columns(
    env: dict[str, str], sample_server: FeedServer
) -> None:
    # The slug took its whole width first and left the headline ~25 cells.
    for path in ("/harbor-times/feed", "/northern-ledger/feed", "/civic-wire/feed"):
        set_up(env, "feeds", "add", sample_server.url(path))
    set_up(env, "poll")
    body = [line for line in on_terminal(env, 80, "stories").splitlines() if line.startswith("│")]
    slug, headline = (len(cell) for cell in body[0].split("│")[1:4:2])
    assert headline >= 30 and headline > 2 * slug, body[0]


def test_feeds_list_notes_name_an_unnamed_feed_by_its_address(env: dict[str, str]) -> None:
    page = b"<!doctype html><html><body><p>no feed here</p></body></html>"
    with FeedServer({"/page.html": Reply(body=page)}) as srv:
        set_up(env, "feeds", "add", "--no-check", srv.url("/page.html"))
        # Every feed failing, `poll` exits 1.
        subprocess.run([sys.executable, "-m", "bot", "poll"], env=env, capture_output=True)
        listing = " ".join(on_terminal(env, 80, "feeds", "list").split())
        assert f"1 {srv.url('/page.html')} (1 failure): a web page" in listing
        assert "1 - (1 failure)" not in listing


def test_feeds_list_prints_a_cut_state_whole_under_the_table(env: dict[str, str]) -> None:
    path = "/section/world/regional/feeds/latest/northern-provinces/harbour.xml"
    with FeedServer({path: Reply(body=RSS)}) as srv:
        set_up(env, "feeds", "add", srv.url(path))
        set_up(env, "poll")
        lines = on_terminal(env, 80, "feeds", "list").splitlines()
    row = next(line for line in lines if line.startswith("│ 1"))
    assert row.rstrip().endswith("…│") or "…" in row.split("│")[-2], row
    end = next(i for i, line in enumerate(lines) if line.startswith("└"))
    below = " ".join(" ".join(lines[end:]).split())
    assert "1 Harbour Desk: ok: 1 new (last new entry " in below
