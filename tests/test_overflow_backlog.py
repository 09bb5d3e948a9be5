"""A channel matching more stories a day than its cards and list lines is told so, and no story
that matched it is dropped unsaid: the list says how many stories the channel is behind, that
/digest shows the next ones and which setting would show more, and counts the stories that waited
their longest (8 days) without a line. Real SQLite files through the real digest code; the
end-to-end run posts through the real outbox to the fake Slack Web API, which records the JSON."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import sqlite_utils
from fakes.clock import Clock
from fakes.discord_api import FakeDiscord
from fakes.runner import start_slack_service
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.commands.base import CommandContext
from bot.config import ChannelConfig
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.pipeline.digest import MAX_LOOKBACK
from bot.runner import digests
from bot.runner.backlog import behind_line
from bot.runner.overflow import MAX_BACKLOG, MAX_LISTED
from bot.store import channels as channel_store
from bot.store import counted_stories
from bot.store import deliveries as delivery_store
from bot.store.database import open_database

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)
CHANNEL = 111111111111111111
DAYS = 14
# Two cards, ten lines and the backlog's 25 a day cannot keep up with 100 new stories a day.
PER_DAY = 100
_DROPPED = re.compile(r"^(\d+) stor(?:y|ies) matching this channel waited 8 days without a line")


def _stories(db: sqlite_utils.Database, prefix: str, count: int, *, now: datetime) -> list[str]:
    names = [f"{prefix}s{i:02}" for i in range(count)]
    for name in names:
        add_story(db, name, ["Gazette", "Courier"], now=now)
    return names


def _notice(db: sqlite_utils.Database) -> list[str]:
    text = str(db.execute("SELECT text FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0])
    return text.splitlines()


def _behind(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("This channel is ")]


async def test_an_overloaded_channel_is_told_and_loses_no_story_unsaid(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    """Fourteen daily digests of 2 cards for 100 new stories a day, posted to Slack: every story
    is a card, a line, still waiting, or counted as dropped; none is posted or listed twice."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    channel = channel_store.update_channel(db, channel.id, digest_size=2)
    clock = [MONDAY]
    outbox = Outbox(
        db,
        make_card_source(db, MONDAY),
        settings=OutboxSettings(pace=0),
        clock=lambda: clock[0],
    )
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    created: list[str] = []
    behind_by_day: list[list[str]] = []
    for day in range(DAYS):
        at = MONDAY + timedelta(days=day)
        clock[0] = at
        created += _stories(db, f"d{day:02}", PER_DAY, now=at - timedelta(hours=1))
        calls = len(slack_api.calls)
        assert digests.enqueue_digest(db, channel, now=at, scheduled_for=at) == 2
        await outbox.drain()
        texts = [
            c.body["blocks"][0]["text"]["text"]
            for c in slack_api.calls[calls:]
            if c.method == "chat.postMessage" and "metadata" not in c.body
        ]
        notices = [t for t in texts if t.startswith(("Also matching", "More without a card"))]
        # The list, then from the second day on the backlog's own message.
        assert len(notices) == (1 if day == 0 else 2)
        behind_by_day.append([line for t in notices for line in _behind(t.splitlines())])
    posts = slack_api.calls_to("chat.postMessage")
    cards = [p["metadata"]["event_payload"]["story_id"] for p in posts if "metadata" in p]
    notices = [
        p["blocks"][0]["text"]["text"]
        for p in posts
        if p["text"].startswith(("Also matching", "More without a card"))
    ]
    listed = [
        line.split(" · ")[0].removeprefix("• Story ")
        for text in notices
        for line in text.splitlines()
        if line.startswith("• ")
    ]
    dropped = [
        int(m.group(1))
        for text in notices
        for line in text.splitlines()
        if (m := _DROPPED.match(line))
    ]
    # Waiting: counted, and no notice has listed them since (the last one's rows go next time).
    waiting = len(counted_stories.waiting(db, channel.id, since=clock[0] - MAX_LOOKBACK))
    assert len(cards) == len(set(cards)) == 2 * DAYS
    assert len(listed) == len(set(listed)) == DAYS * MAX_LISTED + (DAYS - 1) * MAX_BACKLOG
    assert not set(cards) & set(listed)
    # Nothing silently lost: what had neither a card nor a line waits or was counted as dropped.
    assert dropped and sum(dropped) + waiting == len(created) - len(cards) - len(listed)
    # The list cannot catch up, and every digest says so, with the setting that would help.
    for day, lines in enumerate(behind_by_day):
        [line] = lines
        behind = int(line.split()[3])
        assert behind > MAX_LISTED, day
        assert line.endswith(
            f"/digest shows the next ones now; /watchlist digest-size {min(50, 2 + behind)} "
            "gives each digest more cards (now 2)."
        )
    db.close()


def test_a_channel_that_catches_up_is_not_told_it_is_behind(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    # 20 counted: more than a list holds, but not than the next digest's list and backlog.
    names = _stories(db, "a", 1 + MAX_LISTED + 20, now=MONDAY - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=MONDAY, default_size=1) == 1
    lines = _notice(db)
    assert lines[-1] == "…and 20 more: /digest or /story <words>"
    tomorrow = MONDAY + timedelta(days=1)
    _stories(db, "b", 3, now=tomorrow - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=tomorrow, default_size=1) == 1
    # Ten of the counted lead the list, the backlog's message has the other ten and today's
    # two without a card: all listed, nothing carried, nothing to say.
    texts = [r[0] for r in db.execute("SELECT text FROM alerts ORDER BY id")][1:]
    listed = [
        line.split(" · ")[0].removeprefix("• Story ")
        for text in texts
        for line in text.splitlines()
        if line.startswith("• ")
    ]
    assert listed == [*names[1 + MAX_LISTED :], "bs01", "bs02"]
    assert texts[1].splitlines()[0] == (
        "More without a card, a line each (the longest waiting first):"
    )
    assert not [line for text in texts for line in _behind(text.splitlines())]
    assert counted_stories.waiting(db, channel.id, since=MONDAY) == []
    db.close()


def test_a_story_carried_a_second_time_makes_the_channel_behind() -> None:
    """Fewer waiting than a list holds, but one was carried already: the list did not catch up
    (long lines, fewer of them within the message). No backlog, nothing said."""
    line = behind_line("slack", behind=3, carried=1, cards=5, min_sources=1, next_lines=35)
    assert line is not None and line.startswith("This channel is 3 stories behind: ")
    assert line.endswith("/watchlist digest-size 8 gives each digest more cards (now 5).")
    assert behind_line("slack", behind=3, carried=0, cards=5, min_sources=1, next_lines=35) is None
    assert behind_line("slack", behind=0, carried=0, cards=5, min_sources=1, next_lines=35) is None


def test_at_the_largest_size_the_hint_is_fewer_matches(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "D1", platform="discord", min_sources=2)
    channel = channel_store.update_channel(db, channel.id, digest_size=50)
    # More than the next digest could list (its list's and its backlog's lines) are carried.
    _stories(
        db, "a", 50 + MAX_LISTED + MAX_LISTED + MAX_BACKLOG + 1, now=MONDAY - timedelta(hours=1)
    )
    assert digests.enqueue_digest(db, channel, now=MONDAY) == 50
    [line] = _behind(_notice(db))
    assert line == (
        "This channel is 36 stories behind: more match it than its digests can list, and a "
        "story waits 8 days at most for a line. /digest shows the next ones now; /watchlist "
        "min-sources count:3 (now 2) or narrower topics let fewer stories match."
    )
    db.close()


def _counted_then_late(tmp_path: Path) -> tuple[sqlite_utils.Database, list[str], datetime]:
    """A monthly channel whose digest counted 5 stories, and its next digest more than
    MAX_LOOKBACK later, when they have waited their longest."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 1 * *")
    names = _stories(db, "a", 1 + MAX_LISTED + 5, now=MONDAY - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    counted = names[1 + MAX_LISTED :]
    got = [r[0] for r in db.execute("SELECT story_id FROM counted_stories ORDER BY story_id")]
    assert got == counted
    return db, counted, MONDAY + MAX_LOOKBACK + timedelta(hours=1)


def test_stories_dropped_after_waiting_are_counted_in_a_notice_of_their_own(
    tmp_path: Path,
) -> None:
    db, counted, late = _counted_then_late(tmp_path)
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None
    # One muted since, one given its card since (an instant post, a /digest): not lost to it.
    channel_store.mute_story(db, channel.id, counted[0])
    delivery_store.enqueue_story(db, counted[1], channel.id, now=MONDAY + timedelta(days=1))
    db.conn.commit()
    assert digests.enqueue_digest(db, channel, now=late, scheduled_for=late, default_size=1) == 0
    assert _notice(db) == [
        "3 stories matching this channel waited 8 days without a line and are no longer "
        "carried: /story <words> finds any story."
    ]
    assert db.execute("SELECT COUNT(*) FROM counted_stories").fetchone()[0] == 0
    # Counted once: the next digest says nothing of them.
    alerts = db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    digests.enqueue_digest(db, channel, now=late + timedelta(days=1), default_size=1)
    assert db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == alerts
    db.close()


def test_a_dropped_story_updated_lately_is_listed_not_counted(tmp_path: Path) -> None:
    db, counted, late = _counted_then_late(tmp_path)
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None
    # One of them gained a source yesterday: it is in the digest's window, a story like any.
    add_story(db, counted[2], ["Herald"], now=late - timedelta(days=1))
    fresh = _stories(db, "b", 2, now=late - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=late, scheduled_for=late, default_size=1) == 1
    lines = _notice(db)
    shown = [line.split(" · ")[0].removeprefix("• Story ") for line in lines if "• " in line]
    # One of the new stories has the card; the other and the grown one are listed.
    assert sorted(shown) == sorted([counted[2], fresh[1]])
    assert lines[-1] == (
        "4 stories matching this channel waited 8 days without a line and are no longer "
        "carried: /story <words> finds any story."
    )
    db.close()


# --- the backlog's own message ------------------------------------------------------------------

HOSTILE = "Fares_rise *again* <@everyone> [x](https://evil.example) " * 2


async def test_the_backlog_message_fits_one_discord_message_and_its_links_open(
    tmp_path: Path, discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, str(CHANNEL), platform="discord")
    for day in range(2):
        at = MONDAY + timedelta(days=day)
        for name in _stories(db, f"d{day}", 60, now=at - timedelta(hours=1)):
            db.execute("UPDATE stories SET headline = ? WHERE id = ?", [HOSTILE + name, name])
            db.execute(
                "UPDATE articles SET url = ? WHERE story_id = ?",
                [f"https://news.example/2027/06/{name}?a=1&b=2", name],
            )
        db.conn.commit()
        digests.enqueue_digest(db, channel, now=at, scheduled_for=at, default_size=5)
    outbox = Outbox(
        db,
        make_card_source(db, MONDAY),
        settings=OutboxSettings(pace=0),
        clock=lambda: MONDAY + timedelta(days=1),
    )
    outbox.register(DiscordAdapter(bot=DiscordBotAdapter(discord_client)))
    await outbox.drain()
    texts = [
        c.body.get("content") or ""
        for c in discord_api.calls("POST", rf"/channels/{CHANNEL}/messages")
    ]
    [backlog] = [t for t in texts if t.startswith("More without a card")]
    assert len(backlog.encode("utf-16-le")) // 2 <= 2000
    lines = backlog.splitlines()
    entries = [line for line in lines if line.startswith("• ")]
    assert entries and lines[1 : 1 + len(entries)] == entries
    # The headline escaped as feed text, the first report's link marked to open.
    escaped = (
        "Fares\\_rise \\*again\\* \\<@\u200beveryone> \\[x\\](https\u200b://evil.example) " * 2
    )
    for entry in entries:
        name = re.fullmatch(r"• .* (d0s\d\d) · <https://news\.example/2027/06/\1\?a=1&b=2>", entry)
        assert name is not None and entry == f"• {escaped}{name.group(1)} · <{entry.split('<')[-1]}"
    assert lines[-1].startswith("This channel is ")
    assert lines[-1].endswith(
        "/watchlist digest-size cards:50 gives each digest more cards (now 5)."
    )
    # The list before it says where the rest went.
    [first] = [t for t in texts if t.startswith("Also matching") and "longest waiting next" in t]
    assert first.splitlines()[-1].endswith(
        ", the longest waiting next: /digest or /story query:\\<words>"
    )
    db.close()


def test_a_failed_backlog_message_leaves_its_stories_first_in_line(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    first = _stories(db, "a", 1 + MAX_LISTED + 15, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    tomorrow = MONDAY + timedelta(days=1)
    _stories(db, "b", 5, now=tomorrow - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=tomorrow, scheduled_for=tomorrow, default_size=1)
    keys = [r[0] for r in db.execute("SELECT key FROM alerts ORDER BY id")]
    assert [k.split(":")[0] for k in keys] == ["digest-more", "digest-more", "digest-backlog"]
    backlog = _notice(db)
    waited = [
        line.split(" · ")[0].removeprefix("• Story ") for line in backlog if line.startswith("• ")
    ]
    # The 15 counted: ten took the list's lines, the backlog's message has the other five, then
    # today's four without a card.
    assert waited == [*first[1 + MAX_LISTED + MAX_LISTED :], "bs01", "bs02", "bs03", "bs04"]
    waited = waited[:5]
    db.execute("UPDATE alerts SET state = 'failed' WHERE key LIKE 'digest-backlog:%'")
    db.conn.commit()
    later = tomorrow + timedelta(hours=6)
    digests.enqueue_digest(db, channel, now=later, default_size=1)
    text = db.execute(
        "SELECT text FROM alerts WHERE key LIKE 'digest-more:%' ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    lines = [line.split(" · ")[0].removeprefix("• Story ") for line in text.splitlines()]
    assert lines[1 : 1 + len(waited)] == waited
    db.close()


async def test_slash_digest_with_no_new_card_says_it_lists_the_waiting_stories(
    tmp_path: Path,
) -> None:
    """The behind line's "/digest shows the next ones now" holds in the running bot: with no
    story for a card, /digest still lists the waiting ones, and its reply says so rather than
    "nothing new"."""
    clock = Clock(MONDAY)
    channel_config = ChannelConfig(platform="slack", id="C1", schedule="0 9 * * 1", digest_size=1)
    service, chat = await start_slack_service(tmp_path, clock, channel_config)
    try:
        # Last week's digest counted 40 stories, none updated since.
        names = _stories(service.db, "a", 1 + MAX_LISTED + 40, now=MONDAY - timedelta(days=1))
        channel = channel_store.find_channel(service.db, "slack:C1")
        assert channel is not None
        digests.enqueue_digest(service.db, channel, now=MONDAY, scheduled_for=MONDAY)
        service.db.execute("UPDATE alerts SET state = 'sent'")
        service.db.conn.commit()
        clock.now = MONDAY + timedelta(days=3)
        ctx = CommandContext(platform="slack", channel_id="C1", user_id="U1")
        reply = await service.commands.dispatch("digest", "", ctx)
        texts = [r[0] for r in service.db.execute("SELECT text FROM alerts ORDER BY id")][1:]
        listed = [
            line.split(" · ")[0].removeprefix("• Story ")
            for text in texts
            for line in text.splitlines()
            if line.startswith("• ")
        ]
        assert listed == names[1 + MAX_LISTED : 1 + MAX_LISTED + len(listed)]
        assert reply.text == (
            f"No new card for this channel; listing {len(listed)} stories still waiting for a line."
        )
        await service.outbox.drain()
        # The outbox posts both: the list, then the backlog's message.
        assert [m.text for m in chat.texts()][-len(texts) :] == texts
        assert len(texts) == 2
    finally:
        await service.stop()
        service.core.close()
