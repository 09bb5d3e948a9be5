"""Chat commands as typed on Slack (the text unchanged) and as Discord's slash command builds them:
a topic name of several words before `query:`, an empty `query:`, untidy hyphens in a topic name,
a bare cron for `/watchlist schedule`, `resume` on a channel that is not paused, and `/digest` on
a channel never sent a digest. Real dispatch, real SQLite file."""

from __future__ import annotations

import pytest
from _sign_up import SIGNED_UP
from fakes.discord_api import FakeDiscord
from fakes.stories import add_story
from test_discord_commands import CHANNEL, answer, make_bot, slash

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.schedule import SCHEDULE_USAGE, ScheduleError, parse_schedule
from bot.store import channels as channel_store
from bot.store import deliveries, digest_runs
from bot.store.channels import PAUSED_IN_CHAT, ChannelRow
from bot.store.database import utcnow

SLACK = CommandContext(platform="slack", channel_id="C5", user_id="U1", channel_name="news")


def _channel(core: NewsDigest, platform: str = "slack", channel_id: str = "C5") -> ChannelRow:
    found = channel_store.get_channel(core.db, platform, channel_id)
    assert found is not None
    return found


def _followed(core: NewsDigest) -> list[str]:
    return [t.slug for t in channel_store.channel_topics(core.db, _channel(core).id)]


# --- /follow: the topic name before `query:` -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "slug", "query"),
    [
        ("machine learning query: machine learning", "machine-learning", "machine learning"),
        ("ai policy query: ai AND regulation", "ai-policy", "ai AND regulation"),
        ("AI  Policy QUERY: ai AND regulation", "ai-policy", "ai AND regulation"),
        ("machine learning query:machine learning", "machine-learning", "machine learning"),
        ("ml query: machine learning", "ml", "machine learning"),  # the README's example
    ],
)
async def test_the_words_before_query_are_the_topic_name(
    core: NewsDigest, typed: str, slug: str, query: str
) -> None:
    reply = await Commands(core).dispatch("follow", typed, SLACK)
    assert reply.text.startswith(f"This channel now follows {slug} (matching ")
    assert "query" not in reply.text.lower().replace("query:", "")  # never a search word
    topic = channel_store.get_topic(core.db, slug)
    assert topic is not None and topic.query == query
    assert _followed(core) == [slug]


async def test_query_is_the_marker_only_outside_the_querys_quotes(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("follow", 'faq "query: answers" OR faq', SLACK)
    assert reply.text.startswith("This channel now follows faq (matching ")
    topic = channel_store.get_topic(core.db, "faq")
    assert topic is not None and topic.query == '"query: answers" OR faq'


async def test_slack_and_discord_make_the_same_topic_of_a_name_with_spaces(
    discord_api: FakeDiscord, core: NewsDigest
) -> None:
    bot: DiscordBot = await make_bot(core)
    try:
        await slash(bot, "follow", topic="machine learning", query="machine learning")
        discord_reply = answer(discord_api)["content"]
    finally:
        await bot.close()
    slack_reply = await Commands(core).dispatch(
        "follow", "machine learning query: machine learning", SLACK
    )
    assert discord_reply.startswith("This channel now follows machine-learning (matching ")
    # Same topic, same query: Slack's channel just follows it (nothing to announce as changed).
    assert slack_reply.text == "This channel now follows machine-learning." + SIGNED_UP
    assert [t.slug for t in channel_store.list_topics(core.db)] == ["machine-learning"]


@pytest.mark.parametrize(
    "typed", ["x query:", "x query:   ", "x QUERY:", "machine learning query:"]
)
async def test_an_empty_query_is_named_as_such(core: NewsDigest, typed: str) -> None:
    reply = await Commands(core).dispatch("follow", typed, SLACK)
    assert reply.ephemeral
    assert reply.text.startswith("The query after `query:` is empty.")
    assert "There is no topic" not in reply.text
    assert channel_store.list_topics(core.db) == []
    assert channel_store.get_channel(core.db, "slack", "C5") is None  # refused: not signed up


async def test_an_empty_query_for_an_existing_topic_changes_nothing(core: NewsDigest) -> None:
    channel_store.upsert_topic(core.db, "moon", "lunar OR moon")
    reply = await Commands(core).dispatch("follow", "moon query:", SLACK)
    assert reply.text.startswith("The query after `query:` is empty. To follow moon as it is")
    topic = channel_store.get_topic(core.db, "moon")
    assert topic is not None and topic.query == "lunar OR moon"


async def test_no_topic_name_before_query(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("follow", "query: chips", SLACK)
    assert reply.text.startswith("Which topic?\nUsage: /follow")


# --- topic names: hyphens tidied, the shared slug rule for the rest ------------------------------


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("bad-topic- query: x", "bad-topic"),
        ("-bad-topic query: x", "bad-topic"),
        ("bad--topic query: x", "bad-topic"),
        ("bad - topic query: x", "bad-topic"),
        ("bad-topic- x OR y", "bad-topic"),
    ],
)
async def test_untidy_hyphens_in_a_new_topic_name_are_tidied(
    core: NewsDigest, typed: str, slug: str
) -> None:
    reply = await Commands(core).dispatch("follow", typed, SLACK)
    assert reply.text.startswith(f"This channel now follows {slug} (matching ")
    assert [t.slug for t in channel_store.list_topics(core.db)] == [slug]


@pytest.mark.parametrize("typed", ["- query: x", "-- query: x", "bad_topic query: x", "é query: x"])
async def test_a_name_that_is_no_slug_is_refused_by_the_shared_rule(
    core: NewsDigest, typed: str
) -> None:
    reply = await Commands(core).dispatch("follow", typed, SLACK)
    assert reply.text.startswith("Topic names use only a-z, 0-9 and '-', at most 63 characters: ")
    assert channel_store.list_topics(core.db) == []


async def test_a_saved_topic_with_a_trailing_hyphen_can_still_be_followed(
    core: NewsDigest,
) -> None:
    # The config file and `newsdigest topics add` accept such a name (SLUG_RE): chat must not
    # make it unreachable by tidying it into another name.
    channel_store.upsert_topic(core.db, "legacy-", "legacy", origin="config")
    reply = await Commands(core).dispatch("follow", "legacy-", SLACK)
    assert reply.text == "This channel now follows legacy-." + SIGNED_UP
    assert _followed(core) == ["legacy-"]


# --- /watchlist schedule: a cron without the `cron` keyword ----------------------------------------


@pytest.mark.parametrize(
    ("text", "cron", "zone"),
    [
        ("0 9 1 * mon", "0 9 1 * mon", "UTC"),
        ("0 9 * * 1-5 Europe/Berlin", "0 9 * * 1-5", "Europe/Berlin"),
        ("'30 8 * * mon' asia/kathmandu", "30 8 * * mon", "Asia/Kathmandu"),
        ("*/30 7-9 * * *", "*/30 7-9 * * *", "UTC"),
        ("cron 0 9 1 * mon", "0 9 1 * mon", "UTC"),  # the keyword still works
        ("weekdays 09:00 Europe/Berlin", "0 9 * * mon-fri", "Europe/Berlin"),  # human forms too
        ("daily 8:30", "30 8 * * *", "UTC"),
    ],
)
def test_five_cron_fields_need_no_keyword(text: str, cron: str, zone: str) -> None:
    schedule = parse_schedule(text)
    assert (schedule.cron, schedule.timezone) == (cron, zone)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0 9 31 2 *", r"'0 9 31 2 \*' never fires.*not changed"),
        ("0 9 * *", "a cron schedule has 5 fields, got 4"),
        ("0 9 * * * * UTC", "a cron schedule has 5 fields, got 7"),
        ("0 9 * * * Mars/Base", "not a time zone I know"),
        # Four words that are no cron: day names (typed apart, read as a list) needing a time.
        ("mon wed fri sat", "'mon,wed,fri,sat' needs a time of day"),
    ],
)
def test_a_bare_cron_is_checked_like_one_with_the_keyword(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text)


async def test_slack_watchlist_schedule_takes_a_bare_cron(core: NewsDigest) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("watchlist", "schedule 0 9 1 * mon", SLACK)
    assert reply.text == (
        "Saved. Mode: digest · schedule: cron '0 9 1 * mon' UTC · min-sources: 2"
        " · digest-size: 10 (default)"
    )
    assert _channel(core).schedule == "0 9 1 * mon"
    never = await commands.dispatch("watchlist", "schedule 0 9 31 2 *", SLACK)
    assert never.text.startswith("`0 9 31 2 *` never fires")
    assert never.text.endswith("\nUsage: " + SCHEDULE_USAGE)
    assert _channel(core).schedule == "0 9 1 * mon"


async def test_discord_schedule_when_takes_a_cron(
    discord_api: FakeDiscord, core: NewsDigest
) -> None:
    bot = await make_bot(core)
    try:
        await slash(bot, "watchlist", "schedule", when="0 9 1 * mon")
        saved = answer(discord_api)["content"]
        await slash(bot, "watchlist", "schedule", when="0 9 31 2 *")
        never = answer(discord_api)["content"]
    finally:
        await bot.close()
    assert saved.startswith("Saved. Mode: digest · schedule: cron '0 9 1 * mon' UTC")
    # The cron as typed, in a code span: it copies back as typed.
    assert never.startswith("`0 9 31 2 *` never fires")
    assert _channel(core, "discord", str(CHANNEL)).schedule == "0 9 1 * mon"


# --- /watchlist resume ---------------------------------------------------------------------------


async def test_resume_on_a_channel_that_is_not_paused_says_so(core: NewsDigest) -> None:
    commands = Commands(core)
    fresh = await commands.dispatch("watchlist", "resume", SLACK)
    assert fresh.text == "Posting to this channel is not paused, so there is nothing to resume."
    assert channel_store.get_channel(core.db, "slack", "C5") is None  # nothing written
    channel_store.ensure_channel(core.db, "slack", "C5", name="news")
    saved = await commands.dispatch("watchlist", "resume", SLACK)
    assert saved.text == fresh.text and not saved.text.startswith("Saved.")


async def test_resume_on_a_paused_channel_still_resumes(core: NewsDigest) -> None:
    channel = channel_store.ensure_channel(core.db, "slack", "C5", name="news")
    channel_store.update_channel(core.db, channel.id, paused_reason="channel archived")
    reply = await Commands(core).dispatch("watchlist", "resume", SLACK)
    assert reply.text.startswith("Saved. Mode: digest")
    assert _channel(core).paused_reason is None


async def test_pause_twice_says_it_is_paused_already(core: NewsDigest) -> None:
    # `/watchlist pause` (session 21) applied again changes nothing and says so, as resume does.
    channel_store.ensure_channel(core.db, "slack", "C5", name="news")
    commands = Commands(core)
    first = await commands.dispatch("watchlist", "pause", SLACK)
    assert first.text.startswith("Saved. Mode: digest")
    again = await commands.dispatch("watchlist", "pause", SLACK)
    assert again.text == f"Posting to this channel is already paused: {PAUSED_IN_CHAT}."
    assert _channel(core).paused_reason == PAUSED_IN_CHAT


# --- /digest on a channel never sent one ---------------------------------------------------------


async def test_digest_preview_never_speaks_of_a_last_digest_that_never_was(
    core: NewsDigest,
) -> None:
    channel_store.upsert_topic(core.db, "moon", "lunar OR moon")
    commands = Commands(core)
    await commands.dispatch("follow", "moon", SLACK)
    reply = await commands.dispatch("digest", "", SLACK)
    assert reply.text == (
        "Nothing to post to this channel yet: no recent story matches its topics and has at "
        "least 2 independent sources. /watchlist shows its settings."
    )


async def test_digest_speaks_of_a_last_digest_only_once_a_story_was_posted(
    core: NewsDigest,
) -> None:
    async def post_digest(channel: ChannelRow) -> int:
        # As the runner does: the run is recorded even when it had no stories (and the scheduler
        # records a baseline run for every digest channel at start).
        now = utcnow()
        digest_runs.record_digest_run(core.db, channel.id, scheduled_for=now, now=now, stories=0)
        return 0

    commands = Commands(core, post_digest=post_digest)
    never = (
        "Nothing to post to this channel yet: no recent story has at least 2 independent "
        "sources. /watchlist shows its settings."
    )
    # The first signs the channel up, and says so once.
    assert (await commands.dispatch("digest", "", SLACK)).text == never + SIGNED_UP
    assert (await commands.dispatch("digest", "", SLACK)).text == never
    # A story the channel was really sent, and there is a last digest to speak of.
    now = utcnow()
    add_story(core.db, "s-posted", ["A", "B"], now=now)
    channel = _channel(core)
    assert deliveries.enqueue_story(core.db, "s-posted", channel.id, now=now)
    (row,) = deliveries.in_state(core.db, "pending")
    deliveries.mark_sent(
        core.db,
        row.id,
        message_ref="m1",
        thread_ref=None,
        source_count=2,
        outlets=["A", "B"],
        now=now,
    )
    again = await commands.dispatch("digest", "", SLACK)
    assert again.text == "Nothing new for this channel since the stories it was last sent."


async def test_unfollow_names_a_topic_of_several_words_as_follow_does(core: NewsDigest) -> None:
    await Commands(core).dispatch("follow", "machine learning query: machine learning", SLACK)
    reply = await Commands(core).dispatch("unfollow", "Machine  Learning", SLACK)
    assert reply.text == (
        "This channel no longer follows machine-learning. It follows no topics now, so every "
        "story with at least 2 independent sources will be posted; /follow a topic to narrow it."
    )
    assert _followed(core) == []


async def test_unfollow_tidies_a_name_as_follow_does(core: NewsDigest) -> None:
    await Commands(core).dispatch("follow", "machine learning- query: machine learning", SLACK)
    assert _followed(core) == ["machine-learning"]
    reply = await Commands(core).dispatch("unfollow", "machine learning-", SLACK)
    assert reply.text == (
        "This channel no longer follows machine-learning. It follows no topics now, so every "
        "story with at least 2 independent sources will be posted; /follow a topic to narrow it."
    )
