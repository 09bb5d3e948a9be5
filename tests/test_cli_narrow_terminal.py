"""On a narrow terminal (80 columns) the tables still tell rows apart: URLs lose their middle,
not their end, and a story's headline is cut to one line with '…' (README: "long cells cut
with …")."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli_piped_output import cli_env, newsdigest, on_terminal

from bot.cli.output import cut_middle
from bot.feedserver import FeedServer


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
            newsdigest(env, "feeds", "add", srv.url(path))
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
        newsdigest(env, "feeds", "add", sample_server.url(path))
    newsdigest(env, "poll")
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
