"""A feed's name where anyone in a channel reads it: an address in it shown without its key
(`bot.redact`), on the card, in its full breakdown and in what the summariser is given. A name
may be an address: `feeds import` takes an outline's title, which some readers set to the
feed's address, and `feeds add URL --name URL` takes one as typed. Real feeds over loopback
HTTP, a real SQLite file, the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from test_outlets import console_core, only_story

from bot.app import NewsDigest
from bot.config import FeedConfig
from bot.demo.feeds import render_feed
from bot.demo.sample_news import ITEMS, Outlet
from bot.feedserver import FeedServer, Reply
from bot.outlets import outlet_names
from bot.render.text import render_card_text
from bot.store import articles as article_store

KEY = "K3yS3cret"
MOON = [i for i in ITEMS if i.story == "lunar-lander"]
DESKS = [
    Outlet("one", "Desk One", "https://one.example/", "rss2"),
    Outlet("two", "Desk Two", "https://two.example/", "rss2"),
]


@pytest.fixture
def server(now: datetime) -> Iterator[FeedServer]:
    routes: dict[str, Reply | bytes] = {}
    for outlet, item in zip(DESKS, MOON[:2], strict=True):
        body, ctype = render_feed(outlet, [item], now)
        routes[f"/{outlet.slug}/feed"] = Reply(body=body, content_type=ctype)
    with FeedServer(routes) as feeds:
        yield feeds


def _core(tmp_path: Path, server: FeedServer, names: list[str]) -> NewsDigest:
    feeds = [
        FeedConfig(url=server.url(f"/{o.slug}/feed"), name=name)
        for o, name in zip(DESKS, names, strict=True)
    ]
    return console_core(tmp_path, feeds)


async def test_a_name_that_is_an_address_shows_no_key_on_the_card(
    tmp_path: Path, server: FeedServer
) -> None:
    names = [f"https://one.example/rss?apikey={KEY}", "Desk Two"]
    core = _core(tmp_path, server, names)
    await core.poll()
    story = only_story(core)
    card = core.card(story)
    shown = render_card_text(card, full=True)
    assert KEY not in shown
    assert "https://one.example/rss?…" in card.outlets
    assert "Desk Two" in card.outlets  # a plain name as it was configured
    articles = article_store.story_articles(core.db, story.id)
    assert all(KEY not in name for name in outlet_names(articles))  # the summariser's too
    core.close()


async def test_a_name_stored_with_its_key_before_the_upgrade_is_shown_without_it(
    tmp_path: Path, server: FeedServer
) -> None:
    core = _core(tmp_path, server, ["Desk One", "Desk Two"])
    await core.poll()
    # An older version stored the configured name as it was.
    core.db.execute(
        "UPDATE articles SET source = ? WHERE source = 'Desk One'",
        [f"reader:{KEY}@one.example/rss"],
    )
    card = core.card(only_story(core))
    assert KEY not in render_card_text(card, full=True)
    assert "…@one.example/rss" in card.outlets
    core.close()
