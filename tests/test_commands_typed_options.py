"""Discord's option names typed on Slack (`/follow topic:chips`, `/watchlist mode mode:instant`,
`/story query:kestrel`), as people who use both platforms type them, are read as the option's
value; so is `/story` pasted from a card's footer. Quiet hours as people say them (`10pm-7am`),
an empty `quiet`, and /unfollow in a channel following nothing each get a plain answer. Real
dispatch through Slack's app (signed requests, the Web API fake), real SQLite file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.stories import add_story, grow_story
from test_slack_app import Harness, ack_text

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database, utcnow
from bot.topics.query import TopicQuery

SLACK = CommandContext(platform="slack", channel_id="C1", user_id="U1", channel_name="news")


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    app = NewsDigest(
        Config(database=str(tmp_path / "nd.db"), admin_users=["UADMIN"]),
        db=open_database(tmp_path / "nd.db"),
    )
    now = utcnow() - timedelta(hours=1)
    add_story(app.db, "kestrel00001", ["Harbor Ledger", "Valley Times"], now=now)
    yield app
    app.close()


def _channel(core: NewsDigest) -> ChannelRow:
    found = channel_store.get_channel(core.db, "slack", "C1")
    assert found is not None
    return found


async def test_follow_takes_discords_topic_option(h: Harness, core: NewsDigest) -> None:
    _, body = await h.slash("/follow", "topic:chips query: chip OR wafer")
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    described = TopicQuery.parse("chip OR wafer").describe()
    # Public; what follows the sentence (a note on the sign-up) is not under test here.
    assert call["text"].startswith(f"This channel now follows chips (matching {described}).")
    assert [t.slug for t in channel_store.channel_topics(core.db, _channel(core).id)] == ["chips"]
    h.slack_api.calls.clear()
    _, again = await h.slash("/follow", "topic: chips")
    assert ack_text(again) == "This channel already follows chips."
    _, body = await h.slash("/unfollow", "topic:chips")
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    assert call["text"].startswith("This channel no longer follows chips.")


@pytest.mark.parametrize(
    ("typed", "column", "value"),
    [
        ("mode mode:instant", "mode", "instant"),
        ("quiet hours:22:00-07:00", "quiet_hours", "22:00-07:00"),
        ("quiet hours: 22:00 - 07:00", "quiet_hours", "22:00-07:00"),
        ("min-sources count:3", "min_sources", 3),
        ("min sources count:4", "min_sources", 4),
        ("digest-size cards:5", "digest_size", 5),
        ("schedule when:weekdays 07:30", "schedule", "30 7 * * mon-fri"),
        ("timezone zone:Europe/Berlin", "timezone", "Europe/Berlin"),
        ("tz zone:Asia/Tokyo", "timezone", "Asia/Tokyo"),
        # The option's name without its colon, and the setting's name with one, are the same
        # forms: "quiet hours: 22-7" worked while "quiet hours 22:00-07:00" was refused.
        ("quiet hours 22:00-07:00", "quiet_hours", "22:00-07:00"),
        ("quiet hours 22-7", "quiet_hours", "22:00-07:00"),
        ("mode: instant", "mode", "instant"),
        ("mode:instant", "mode", "instant"),
        ("quiet: 22:00-07:00", "quiet_hours", "22:00-07:00"),
        ("schedule: weekdays 07:30", "schedule", "30 7 * * mon-fri"),
        ("timezone: Europe/Berlin", "timezone", "Europe/Berlin"),
        ("min sources: 3", "min_sources", 3),
        ("digest size 5", "digest_size", 5),
        ("time zone: Asia/Tokyo", "timezone", "Asia/Tokyo"),
    ],
)
async def test_watchlist_takes_discords_option_names(
    h: Harness, core: NewsDigest, typed: str, column: str, value: object
) -> None:
    _, body = await h.slash("/watchlist", typed)
    assert ack_text(body).startswith("Saved. Mode: "), body
    assert getattr(_channel(core), column) == value


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10pm-7am", "22:00-07:00"),
        ("10 pm - 7 am", "22:00-07:00"),
        ("10:30pm – 6:45am", "22:30-06:45"),
        ("22-7", "22:00-07:00"),
        # An hour alone from 1 to 12 beside an end that shows the 24-hour clock is on it too.
        ("0-6", "00:00-06:00"),
        ("7-22", "07:00-22:00"),
        ("22:00-7", "22:00-07:00"),
        ("23-6am", "23:00-06:00"),
    ],
)
async def test_quiet_hours_as_people_say_them(
    h: Harness, core: NewsDigest, typed: str, stored: str
) -> None:
    _, body = await h.slash("/watchlist", f"quiet {typed}")
    # 07:00-22:00 holds the default 09:00 digest, which the reply notes before the settings.
    assert re.match(r"Saved\. (Note: [^\n]*\n)?Mode: ", ack_text(body))
    assert _channel(core).quiet_hours == stored


@pytest.mark.parametrize(
    ("typed", "stored", "said"),
    [
        # An hour alone beside an end with am or pm: the half of the day that gives a quiet
        # window of 12 hours or less, where "10pm-6" was refused as maybe morning or evening.
        ("10pm-6", "22:00-06:00", "10pm to 6am"),
        ("10 pm - 6", "22:00-06:00", "10pm to 6am"),
        ("10:30pm-6", "22:30-06:00", "10:30pm to 6am"),
        ("10-6am", "22:00-06:00", "10pm to 6am"),
        ("9am-5", "09:00-17:00", "9am to 5pm"),
        ("11pm-12", "23:00-00:00", "11pm to 12am"),
        # 8pm to 8pm would be no window at all.
        ("8pm-8", "20:00-08:00", "8pm to 8am"),
    ],
)
async def test_quiet_hours_an_hour_alone_beside_am_or_pm_is_read_and_said(
    h: Harness, core: NewsDigest, typed: str, stored: str, said: str
) -> None:
    _, body = await h.slash("/watchlist", f"quiet {typed}")
    tidied = typed.replace(" ", "")
    assert re.match(
        re.escape(f"Saved. Read '{tidied}' as {stored} ({said}).\n")
        + r"(Note: [^\n]*\n)?Mode: digest · schedule: ",
        ack_text(body),
    ), body
    assert f" · quiet hours: {stored} · " in ack_text(body)
    assert _channel(core).quiet_hours == stored


async def test_quiet_hours_typed_whole_are_saved_without_a_reading_said(
    h: Harness, core: NewsDigest
) -> None:
    _, body = await h.slash("/watchlist", "quiet 10pm-6am")
    assert ack_text(body).startswith("Saved. Mode: digest · schedule: ")
    assert "Read " not in ack_text(body)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "Which hours? Give a range like 22:00-07:00, or off."),
        ("hours:", "Which hours? Give a range like 22:00-07:00, or off."),
        ("hours", "Which hours? Give a range like 22:00-07:00, or off."),
        # Hours alone that may be morning or evening: "9-5" was saved as 09:00-05:00, twenty
        # quiet hours, where office hours were likely meant.
        (
            "9-5",
            "In '9-5', '9' and '5' may be morning or evening. Give each as a 24-hour time "
            "(22:00-07:00) or with am or pm (10pm-7am).",
        ),
        (
            "10-6",
            "In '10-6', '10' and '6' may be morning or evening. Give each as a 24-hour time "
            "(22:00-07:00) or with am or pm (10pm-7am).",
        ),
        (
            "12-6",
            "In '12-6', '12' and '6' may be morning or evening. Give each as a 24-hour time "
            "(22:00-07:00) or with am or pm (10pm-7am).",
        ),
        (
            "9:00-5",
            "In '09:00-5', '5' may be morning or evening. Give it as a 24-hour time "
            "(22:00-07:00) or with am or pm (10pm-7am).",
        ),
        ("22:00-25:00", "'25:00' is not a time: hours run 00 to 23."),
        (
            "10pm-13am",
            "'13am' is not a time: with am or pm, hours run 1 to 12 (or write "
            "13:00 on the 24-hour clock).",
        ),
    ],
)
async def test_quiet_hours_refusals_say_what_to_type(
    h: Harness, core: NewsDigest, typed: str, reason: str
) -> None:
    _, body = await h.slash("/watchlist", f"quiet {typed}".strip())
    assert ack_text(body) == f"{reason}\nUsage: /watchlist quiet 22:00-07:00 | /watchlist quiet off"
    assert channel_store.get_channel(core.db, "slack", "C1") is None


async def test_unfollow_in_a_channel_following_nothing_says_so(h: Harness) -> None:
    _, body = await h.slash("/unfollow", "chips")
    assert ack_text(body) == "This channel follows no topics, so it does not follow 'chips'."


@pytest.mark.parametrize(
    "typed",
    [
        "query:ferry-strike-looms",
        "query: ferry-strike",
        "story:ferry-strike-looms",
        "/story ferry-strike-looms",
        "/story ferry-strike-looms · ref tern00000001",  # a Discord card's footer, pasted
    ],
)
async def test_story_reads_the_name_after_an_option_or_a_pasted_command(
    core: NewsDigest, typed: str
) -> None:
    # A slug none of whose words its headline or articles use: a search for the words typed
    # ("story", "ferry", "strike") finds nothing, so only the slug read as a slug finds it.
    now = utcnow() - timedelta(hours=1)
    story_store.create_story(
        core.db, "tern00000001", "ferry-strike-looms", "Dockworkers walk out at the port", now
    )
    grow_story(core.db, "tern00000001", ["Harbor Ledger", "Valley Times"], now=now)
    reply = await Commands(core).dispatch("story", typed, SLACK)
    assert [card.slug for card in reply.cards] == ["ferry-strike-looms"]


async def test_mute_takes_discords_story_option(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("watchlist", "min-sources 2", SLACK)  # signs the channel up
    reply = await commands.dispatch("watchlist", "mute story:story-kestrel00001", SLACK)
    assert reply.text.startswith("Muted story-kestrel00001: ")
    reply = await commands.dispatch("watchlist", "unmute story: story-kestrel00001", SLACK)
    assert reply.text.startswith("Unmuted story-kestrel00001: ")


async def test_feeds_take_discords_option_names(h: Harness, core: NewsDigest) -> None:
    _, added = await h.slash("/feeds", "add url:https://harbour.example/rss", user="UADMIN")
    assert ack_text(added).startswith("Added feed `https://harbour.example/rss`.")
    (feed,) = feed_store.list_feeds(core.db)
    _, removed = await h.slash("/feeds", f"remove feed: #{feed.id}", user="UADMIN")
    assert ack_text(removed) == "Removed feed `https://harbour.example/rss`."
    assert feed_store.list_feeds(core.db) == []
