"""A digest held back by an outage is headed with its own time, when it was queued to go out,
not with the time the platform let it out: the 09:00 digest posted at 12:00 is still the 09:00
digest. Fake Slack server on 127.0.0.1, real SQLite file, real outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store.database import open_database

NINE = datetime(2027, 5, 4, 9, 0, tzinfo=UTC)
NOON = NINE + timedelta(hours=3)


async def test_a_digest_delayed_by_an_outage_is_headed_with_its_scheduled_time(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    for story in ("quay", "locks"):
        add_story(db, story, ["Gazette", "Courier"], now=NINE - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NINE, scheduled_for=NINE) == 2
    clock = [NINE]
    outbox = Outbox(
        db, make_card_source(db, NINE), settings=OutboxSettings(pace=0), clock=lambda: clock[0]
    )
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    # Slack is down at nine: the heading (looked for, not there, and posted again) and the
    # first card are refused, the cards wait.
    for _ in range(3):
        slack_api.script("chat.postMessage", status=503, body={"ok": False, "error": "down"})
    first = await outbox.drain()
    assert first.sent == 0
    clock[0] = NOON
    assert (await outbox.drain()).sent == 2
    headings = [
        p["text"] for p in slack_api.calls_to("chat.postMessage") if p["text"].startswith("News")
    ]
    assert headings[-1] == "News digest · 2027-05-04 09:00 UTC · 2 stories"
    db.close()


async def test_two_digests_sent_together_are_headed_with_the_later_time(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    # The 09:00 digest is held by an outage until the 21:00 one is queued: the cards go out
    # together, as the 21:00 digest (the earlier one's cards caught up), not as a 09:00 digest.
    evening = NINE + timedelta(hours=12)
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9,21 * * *")
    for story in ("quay", "locks"):
        add_story(db, story, ["Gazette", "Courier"], now=NINE - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NINE, scheduled_for=NINE) == 2
    clock = [NINE]
    outbox = Outbox(
        db, make_card_source(db, NINE), settings=OutboxSettings(pace=0), clock=lambda: clock[0]
    )
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    for _ in range(3):  # the heading, posted again when not found, and the first card
        slack_api.script("chat.postMessage", status=503, body={"ok": False, "error": "down"})
    assert (await outbox.drain()).sent == 0
    for story in ("mill", "dock"):
        add_story(db, story, ["Gazette", "Courier"], now=evening - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=evening, scheduled_for=evening) == 2
    clock[0] = evening + timedelta(minutes=1)
    assert (await outbox.drain()).sent == 4
    headings = [
        p["text"] for p in slack_api.calls_to("chat.postMessage") if p["text"].startswith("News")
    ]
    assert headings[-1] == "News digest · 2027-05-04 21:00 UTC · 4 stories"
    db.close()
