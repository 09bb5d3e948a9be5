"""Thread updates for a new angle: an outlet with reporting of its own triggers an update even
when the independent count did not grow; an outlet that only ran wire copy waits for the next
update and is named there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.delivery.updates import worth_an_update
from bot.pipeline.clustering import DEFAULT_WINDOW
from bot.pipeline.story_upkeep import refresh_counts
from bot.runner import digests, update_planner
from bot.store import articles as article_store
from bot.store import deliveries as store
from bot.store import stories as story_store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
WIRE_A = " ".join(f"alpha{i} harbour council vote lighthouse grant" for i in range(8))
WIRE_B = " ".join(f"beta{i} fishermen welcome coastal funding news" for i in range(8))
OWN = " ".join(f"gamma{i} mayor interview tells our reporter why" for i in range(8))


def add(db, outlet: str, text: str) -> None:  # type: ignore[no-untyped-def]
    (article,) = article_store.insert_new(
        db, [{"source": outlet, "guid": outlet, "title": outlet, "text": text, "seen_at": T0}]
    )
    article_store.set_story(db, article.id, "s1")
    refresh_counts(db, "s1", window=DEFAULT_WINDOW)


async def test_new_angle_without_count_growth_gets_an_update() -> None:
    db = open_database(":memory:")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    story_store.create_story(db, "s1", "story-s1", "Story", T0)
    add(db, "A", WIRE_A)
    add(db, "B", WIRE_B)
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    assert sorted(store.story_post(db, "s1", channel.id).outlets) == ["A", "B"]  # type: ignore[union-attr]
    later = T0 + timedelta(hours=2)
    # C ran both agency texts: A, B and C turn out to be one wire source. No update for that.
    add(db, "C", WIRE_A + " " + WIRE_B)
    assert update_planner.enqueue_updates(db, {"s1"}, now=later, interval=timedelta(0)) == 0
    # D reports on its own: the count is back at 2 (as shown), but D is a new voice.
    add(db, "D", OWN)
    assert story_store.get_story(db, "s1").source_count == 2  # type: ignore[union-attr]
    assert update_planner.enqueue_updates(db, {"s1"}, now=later, interval=timedelta(0)) == 1
    await outbox.drain()
    (update,) = chat.updates()
    assert sorted(update.new_outlets) == ["C", "D"]  # the wire-copy outlet is named in the update


def test_wire_copy_alone_is_not_worth_an_update() -> None:
    shown = {"shown_count": 2, "shown_outlets": ["A", "B"]}
    assert not worth_an_update(
        source_count=2, outlets=["A", "B", "C"], wire_groups=[["A", "C"]], **shown
    )
    assert worth_an_update(source_count=2, outlets=["A", "B", "D"], wire_groups=[], **shown)
    assert worth_an_update(source_count=3, outlets=["A", "B"], wire_groups=[], **shown)
