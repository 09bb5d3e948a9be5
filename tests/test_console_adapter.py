"""The console adapter's header line names the channel once with a '#': a config name written as
Slack shows it ("#ops", as the README's examples are) is not printed "##ops". A scheduled digest
is headed as `newsdigest digest` previews it; an instant post is a "new story"."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from _render_cards import make_card
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.console import ConsoleAdapter
from bot.app import NewsDigest
from bot.config import Config
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.render.text import digest_heading
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store


@pytest.mark.parametrize(
    ("name", "header"),
    [("#ops", "#ops"), ("ops", "#ops"), (None, "#terminal"), ("#team #ops", "#team #ops")],
)
async def test_the_channel_header_has_one_hash(
    db: sqlite_utils.Database, name: str | None, header: str
) -> None:
    channel = channel_store.ensure_channel(db, "console", "terminal", name=name)
    out = io.StringIO()
    await ConsoleAdapter(file=out, width=100).post_text(channel, "Feed disabled.")
    assert out.getvalue() == f"{header} · notice\nFeed disabled.\n"


NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)


async def _print_queued(db: sqlite_utils.Database, mode: str, timezone: str = "UTC") -> str:
    channel = add_channel(db, "team", platform="console", mode=mode, timezone=timezone)
    for story in ("rail", "ferry"):
        add_story(db, story, ["A", "B"], now=NOON - timedelta(hours=1))
    if mode == "digest":
        assert digests.enqueue_digest(db, channel, now=NOON, scheduled_for=NOON) == 2
    else:
        for story in ("rail", "ferry"):
            delivery_store.enqueue_story(db, story, channel.id, now=NOON)
    out = io.StringIO()
    outbox = Outbox(
        db, make_card_source(db, NOON), settings=OutboxSettings(pace=0), clock=lambda: NOON
    )
    outbox.register(ConsoleAdapter(file=out, width=100))
    assert (await outbox.drain()).sent == 2
    return out.getvalue()


async def test_a_scheduled_digest_is_headed_like_its_preview(db: sqlite_utils.Database) -> None:
    # Each card of a digest was labelled "#team · new story", as if posted on its own.
    printed = await _print_queued(db, "digest")
    assert "News digest · #team · 2027-05-04 12:00 UTC · 2 stories" in printed
    assert "new story" not in printed
    assert printed.count("rail") >= 1 and printed.count("ferry") >= 1


async def test_a_digest_heading_shows_the_channels_own_time(db: sqlite_utils.Database) -> None:
    printed = await _print_queued(db, "digest", timezone="Europe/Berlin")
    assert "News digest · #team · 2027-05-04 14:00 Europe/Berlin · 2 stories" in printed


async def test_an_instant_post_says_it_is_a_new_story(db: sqlite_utils.Database) -> None:
    printed = await _print_queued(db, "instant")
    assert printed.count("#team · new story") == 2
    assert "News digest" not in printed


async def test_a_digest_preview_shows_the_channels_own_time(db: sqlite_utils.Database) -> None:
    # `newsdigest digest CHANNEL` and /digest without a runner show the digest itself: its heading
    # on the channel's clock too, as the posted digest's is.
    channel = add_channel(db, "team", platform="console", timezone="Europe/Berlin")
    add_story(db, "rail", ["A", "B"], now=NOON - timedelta(hours=1))
    core = NewsDigest(Config(database=":memory:"), db=db)
    digest = core.digest(channel, now=NOON)
    assert digest_heading(digest) == "News digest · team · 2027-05-04 14:00 Europe/Berlin · 1 story"


async def test_a_digest_card_after_another_channels_post_is_labelled_again(
    db: sqlite_utils.Database,
) -> None:
    # A digest and an instant channel print into one terminal: a digest card right after the
    # instant channel's card would read as part of that post without its channel named again.
    daily = channel_store.ensure_channel(db, "console", "daily", name="daily")
    instant = channel_store.ensure_channel(db, "console", "instant", name="instant")
    out = io.StringIO()
    console = ConsoleAdapter(file=out, width=100)
    console.begin_digest(daily, 2, NOON)
    await console.post_card(daily, make_card(), nonce="a")
    labels = [line for line in out.getvalue().splitlines() if line.startswith("#")]
    assert labels == []  # under its heading: no label
    await console.post_card(instant, make_card(story_id="s2"), nonce="b")
    await console.post_card(daily, make_card(story_id="s3"), nonce="c")
    await console.post_card(daily, make_card(story_id="s4"), nonce="d")
    labels = [line for line in out.getvalue().splitlines() if line.startswith("#")]
    assert labels == ["#instant · new story", "#daily · news digest, continued"]
