"""The list after a digest's cards, as Slack and Discord show it: the headline escaped as feed
text, the first report's link clickable (it passed the safe-link check), the whole list one
message, and a story listed by an earlier digest not listed again unless it gained sources.
Fake Slack and Discord servers on 127.0.0.1 record the exact JSON; real SQLite file, real outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import discord
import pytest
import sqlite_utils
from fakes.discord_api import FakeDiscord
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter, webhook_session
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests, feed_alerts
from bot.runner.overflow import MAX_LISTED
from bot.store import alerts as alert_store
from bot.store import channels as channel_store
from bot.store.database import open_database

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
CHANNEL = 111111111111111111
WEBHOOK_ID = 222222222222222222
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"
LINK = "https://news.example/hp_lead?x=1&y=2"
HOSTILE = "Fares_rise *again* <@everyone> [x](https://evil.example)"


def _one_listed(tmp_path: Path, platform: str, channel_id: str) -> sqlite_utils.Database:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, channel_id, platform=platform)
    add_story(db, "quay", ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    add_story(db, "ferry", ["Gazette"], now=NOON - timedelta(hours=2))
    db.execute("UPDATE stories SET headline = ? WHERE id = 'ferry'", [HOSTILE])
    db.execute("UPDATE articles SET url = ? WHERE story_id = 'ferry'", [LINK])
    if platform == "discord" and channel_id == "hook":
        channel = channel_store.update_channel(db, channel.id, webhook_url=WEBHOOK_URL)
    assert digests.enqueue_digest(db, channel, now=NOON, default_size=1) == 1
    return db


def _outbox(db: sqlite_utils.Database) -> Outbox:
    return Outbox(
        db, make_card_source(db, NOON), settings=OutboxSettings(pace=0), clock=lambda: NOON
    )


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with webhook_session() as s:
        yield s


DISCORD_LINE = (
    "• Fares\\_rise \\*again\\* \\<@\u200beveryone> \\[x\\](https\u200b://evil.example)"
    " · 1 source · /story query:story-ferry · <https://news.example/hp_lead?x=1&y=2>"
)


async def test_discord_bot_list_links_open_and_headlines_stay_escaped(
    tmp_path: Path, discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    db = _one_listed(tmp_path, "discord", str(CHANNEL))
    outbox = _outbox(db)
    outbox.register(DiscordAdapter(bot=DiscordBotAdapter(discord_client)))
    await outbox.drain()
    calls = discord_api.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert calls[-1].body["content"].splitlines()[1] == DISCORD_LINE
    assert calls[-1].body["allowed_mentions"] == {"parse": []}
    db.close()


async def test_discord_webhook_list_links_open_too(
    tmp_path: Path, discord_api: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    discord_api.webhook_channels[WEBHOOK_ID] = CHANNEL
    db = _one_listed(tmp_path, "discord", "hook")
    outbox = _outbox(db)
    outbox.register(DiscordAdapter(webhooks=DiscordWebhookAdapter(session)))
    await outbox.drain()
    calls = discord_api.calls("POST", rf"/webhooks/{WEBHOOK_ID}/.+")
    assert calls[-1].body["content"].splitlines()[1] == DISCORD_LINE
    db.close()


async def test_slack_list_links_open_and_headlines_stay_escaped(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    db = _one_listed(tmp_path, "slack", "C1")
    outbox = _outbox(db)
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    await outbox.drain()
    post = slack_api.calls_to("chat.postMessage")[-1]
    line = post["blocks"][0]["text"]["text"].splitlines()[1]
    assert line == (
        "• Fares_rise ∗again∗ &lt;@\u200beveryone&gt; [x](https://evil.example)"
        " · 1 source · /story story-ferry · <https://news.example/hp_lead?x=1&amp;y=2>"
    )
    db.close()


def test_only_a_marked_safe_link_opens() -> None:
    from bot.adapters.discord.escape import notice_line
    from bot.adapters.slack.escape import notice_line as slack_notice_line
    from bot.pipeline.digest import Candidate
    from bot.render.literal import url_link
    from bot.runner.overflow import overflow_line
    from bot.store.stories import StoryRow

    # A link the safe-link check refuses is shown escaped, never linked.
    assert notice_line(url_link("javascript:alert(1)")) == "javascript:alert(1)"
    assert slack_notice_line(url_link("javascript:alert(1)")) == "javascript:alert(1)"
    # Feed text cannot forge the mark: the headline's marks are stripped before it is listed.
    forged = "\ue000\ue003https://evil.example/\ue001"

    story = StoryRow("quay", "quay", f"Quay {forged}", NOON, NOON, 2, 2, 2, None)
    line = overflow_line(Candidate(story, [], []), "discord", marked=True)
    assert "<https://evil" not in notice_line(line)
    assert "<https://evil" not in slack_notice_line(line)
    # Nor can a feed's own title in the notice that it was disabled.
    feed = {
        "id": 3,
        "url": "https://feeds.example/rss",
        "name": None,
        "title": f"Gazette {forged}",
        "origin": "chat",
        "disabled_reason": "HTTP 410",
        "consecutive_failures": 4,
    }
    text = feed_alerts.disabled_feed_text(feed)
    assert "<https://evil" not in notice_line(text)
    assert "<https://evil" not in slack_notice_line(text)


# --- one message, and not the same backlog again ------------------------------------------------


def _backlog(db: sqlite_utils.Database, count: int, *, headline: str) -> None:
    for i in range(count):
        add_story(db, f"s{i:02}", ["A", "B"], now=NOON - timedelta(minutes=i + 1))
        db.execute(
            "UPDATE stories SET headline = ? WHERE id = ?", [f"{headline} {i:02}", f"s{i:02}"]
        )
        db.execute(
            "UPDATE articles SET url = ? WHERE story_id = ?",
            [f"https://news.example/2027/05/04/{'a_b&c' * 12}-{i:02}", f"s{i:02}"],
        )


async def test_a_busy_digest_lists_in_one_discord_message_whatever_the_headlines(
    tmp_path: Path, discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, str(CHANNEL), platform="discord")
    # Every character of these headlines is one Discord escapes: the list must still fit.
    _backlog(db, 45, headline="_*~|`<[]>#" * 11)
    assert digests.enqueue_digest(db, channel, now=NOON, default_size=5) == 5
    outbox = _outbox(db)
    outbox.register(DiscordAdapter(bot=DiscordBotAdapter(discord_client)))
    await outbox.drain()
    texts = [
        c.body["content"]
        for c in discord_api.calls("POST", rf"/channels/{CHANNEL}/messages")
        if (c.body.get("content") or "").startswith("Also matching")
    ]
    [notice] = texts
    lines = notice.splitlines()
    listed = [line for line in lines if line.startswith("• ")]
    assert 0 < len(listed) <= MAX_LISTED
    assert len(notice.encode("utf-16-le")) // 2 <= 2000
    assert lines[-2] == f"…and {40 - len(listed)} more: /digest or /story query:\\<words>"
    behind = 40 - len(listed)
    assert lines[-1] == (
        f"This channel is {behind} stories behind: more match it than its digests can list, and "
        "a story waits 8 days at most for a line. /digest shows the next ones now; /watchlist "
        f"digest-size cards:{5 + behind} gives each digest more cards (now 5)."
    )
    db.close()


async def test_a_busy_digest_lists_in_one_slack_section(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    _backlog(db, 45, headline="&<>&<>" * 20)
    assert digests.enqueue_digest(db, channel, now=NOON, default_size=5) == 5
    outbox = _outbox(db)
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    await outbox.drain()
    posts = slack_api.calls_to("chat.postMessage")
    [post] = [p for p in posts if p["text"].startswith("Also matching")]
    text = post["blocks"][0]["text"]["text"]
    assert len(text) <= 3000 and not text.endswith("…")  # whole, not cut by the section limit
    lines = text.splitlines()
    assert lines[-2].endswith("more: /digest or /story &lt;words&gt;")
    behind = 40 - len([line for line in lines if line.startswith("• ")])
    assert lines[-1].startswith(f"This channel is {behind} stories behind")
    assert lines[-1].endswith(
        f"/watchlist digest-size {5 + behind} gives each digest more cards (now 5)."
    )
    db.close()


def _listed(db: sqlite_utils.Database) -> list[str]:
    text = db.execute("SELECT text FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0]
    return [line.split(" · ")[0][2:] for line in text.splitlines() if line.startswith("• ")]


def _sent(db: sqlite_utils.Database) -> None:
    """The latest notice sent, as the outbox does: a listing counts only once it is."""
    (alert_id,) = db.execute("SELECT MAX(id) FROM alerts").fetchone()
    alert_store.set_alert_state(db, alert_id, "sent", now=NOON)


def test_a_story_is_listed_again_only_once_it_has_gained_sources(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    for story in ("quay", "locks", "ferry", "tram"):
        add_story(db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, default_size=1) == 1
    first = _listed(db)
    assert len(first) == 3
    _sent(db)
    # The next day: two of them still without a card, one grown since, one new story.
    tomorrow = NOON + timedelta(days=1)
    grown = first[-1].removeprefix("Story ")
    grow_story(db, grown, ["Herald"], now=tomorrow - timedelta(hours=1))
    add_story(db, "bridge", ["Gazette", "Courier"], now=tomorrow - timedelta(hours=2))
    assert digests.enqueue_digest(db, channel, now=tomorrow, default_size=1) == 1
    text = db.execute("SELECT text FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0]
    again = [s for s in _listed(db) if s in first]
    assert again == [f"Story {grown}"] or (
        # The grown story may have ranked first and got the card instead.
        again == [] and f"Story {grown}" not in text
    )
    assert text.splitlines()[-1].endswith("listed in an earlier digest): /digest or /story <words>")
    # Listing is no delivery: nothing listed was queued as a card.
    queued = {r[0] for r in db.execute("SELECT story_id FROM deliveries")}
    assert len(queued) == 2
    db.close()


def test_a_backlog_listed_before_is_one_line(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    for story in ("quay", "locks", "ferry"):
        add_story(db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, default_size=1) == 1
    _sent(db)
    # No room for a card the next day, and nothing new: the two listed are counted, not listed.
    tomorrow = NOON + timedelta(days=1)
    assert digests.enqueue_digest(db, channel, now=tomorrow, default_size=0) == 0
    texts = [r[0] for r in db.execute("SELECT text FROM alerts ORDER BY id")]
    assert len(texts) == 2
    assert texts[1] == (
        "2 more stories match this channel without a card, listed in an earlier digest: "
        "/digest or /story <words>"
    )
    db.close()


def test_a_line_names_story_as_its_platform_takes_it() -> None:
    from bot.pipeline.digest import Candidate
    from bot.runner.overflow import backlog_line, overflow_line
    from bot.store.stories import StoryRow

    # Discord's /story takes its words as the `query` option: Slack's form is refused there.
    story = StoryRow("tram", "story-tram", "Tram line opens", NOON, NOON, 2, 2, 2, None)
    linkless = Candidate(story, [], [])
    assert overflow_line(linkless, "discord") == (
        "• Tram line opens · 2 sources · /story query:story-tram"
    )
    assert backlog_line(linkless, "discord") == "• Tram line opens · /story query:story-tram"
    assert overflow_line(linkless, "slack") == "• Tram line opens · 2 sources · /story story-tram"
    assert backlog_line(linkless, "slack") == "• Tram line opens · /story story-tram"
