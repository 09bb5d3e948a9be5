"""Chat commands in the platform-neutral core: what a user types, what they get back."""

from __future__ import annotations

from _loop_ticks import LoopTicks
from _sign_up import SIGNED_UP

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.base import DigestNotQueued
from bot.store import channels as channel_store
from bot.store import feeds as feed_store

CTX = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")
ADMIN = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)


async def test_follow_with_a_query_creates_the_topic(core: NewsDigest) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("/follow", 'chips "chip export" OR semiconductor', CTX)
    assert not reply.ephemeral
    assert "now follows chips" in reply.text
    channel = channel_store.get_channel(core.db, "slack", "C9")
    assert channel is not None and channel.min_sources == 2  # first use: default settings
    assert [t.slug for t in channel_store.channel_topics(core.db, channel.id)] == ["chips"]
    again = await commands.dispatch("follow", "chips", CTX)
    assert "already follows" in again.text and again.ephemeral


async def test_follow_errors_are_helpful(core: NewsDigest) -> None:
    commands = Commands(core)
    unknown = await commands.dispatch("follow", "nosuch", CTX)
    assert "no topic 'nosuch'" in unknown.text and unknown.ephemeral
    bad = await commands.dispatch("follow", "chips (chip OR", CTX)
    assert "not valid" in bad.text and "^" in bad.text
    empty = await commands.dispatch("follow", "", CTX)
    assert "Usage: /follow" in empty.text


async def test_unfollow_and_watchlist(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", "moon lunar OR moon", CTX)
    listing = await commands.dispatch("watchlist", "", CTX)
    assert listing.ephemeral
    assert "min-sources: 2" in listing.text and list(map(str, listing.lines)) == [
        "moon: lunar OR moon"
    ]
    gone = await commands.dispatch("unfollow", "moon", CTX)
    assert "no longer follows moon" in gone.text
    missing = await commands.dispatch("unfollow", "moon", CTX)
    assert "does not follow" in missing.text


async def test_watchlist_settings(core: NewsDigest) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("watchlist", "schedule weekdays 09:00 Europe/Berlin", CTX)
    assert "weekdays 09:00 Europe/Berlin" in reply.text
    channel = channel_store.get_channel(core.db, "slack", "C9")
    assert channel is not None
    assert (channel.schedule, channel.timezone) == ("0 9 * * mon-fri", "Europe/Berlin")
    await commands.dispatch("watchlist", "mode instant", CTX)
    await commands.dispatch("watchlist", "min-sources 3", CTX)
    await commands.dispatch("watchlist", "quiet 22:00-07:00", CTX)
    channel = channel_store.get_channel(core.db, "slack", "C9")
    assert channel is not None
    assert (channel.mode, channel.min_sources, channel.quiet_hours) == ("instant", 3, "22:00-07:00")
    for bad in (
        "schedule someday 9am",
        "mode loud",
        "min-sources lots",
        "quiet 10pm",
        "colour red",
    ):
        reply = await commands.dispatch("watchlist", bad, CTX)
        assert reply.ephemeral and ("Usage" in reply.text or "not" in reply.text), bad
    assert channel_store.get_channel(core.db, "slack", "C9").mode == "instant"  # type: ignore[union-attr]


async def test_feeds_add_is_for_admins_only(core: NewsDigest) -> None:
    commands = Commands(core)
    refused = await commands.dispatch("feeds", "add https://new.example/rss", CTX)
    assert "Only admins can add or remove feeds" in refused.text
    assert feed_store.get_feed(core.db, "https://new.example/rss") is None
    added = await commands.dispatch("feeds", "add <https://new.example/rss>", ADMIN)
    assert "Added feed `https://new.example/rss`" in added.text
    hostile = await commands.dispatch("feeds", "add file:///etc/passwd", ADMIN)
    assert "only http" in hostile.text
    listing = await commands.dispatch("feeds", "list", CTX)
    assert any("new.example" in str(line) for line in listing.lines)
    removed = await commands.dispatch("feeds", "remove https://new.example/rss", ADMIN)
    assert "Removed" in removed.text


async def test_feeds_add_and_remove_say_so_when_admin_status_could_not_be_checked(
    core: NewsDigest,
) -> None:
    """Slack did not answer whether the user is an admin: "Only admins can…" would tell a real
    admin the bot's config changed, so the reply says what happened, and nothing changes."""
    unknown = CommandContext(platform="slack", channel_id="C9", user_id="U2", admin_unknown=True)
    commands = Commands(core)
    added = await commands.dispatch("feeds", "add https://new.example/rss", unknown)
    assert added.text == (
        "I could not check whether you are an admin just now: Slack did not answer. "
        "The feed was not added; please try again in a minute."
    )
    assert feed_store.get_feed(core.db, "https://new.example/rss") is None

    await commands.dispatch("feeds", "add https://new.example/rss", ADMIN)
    removed = await commands.dispatch("feeds", "remove https://new.example/rss", unknown)
    assert removed.text == (
        "I could not check whether you are an admin just now: Slack did not answer. "
        "The feed was not removed; please try again in a minute."
    )
    assert feed_store.get_feed(core.db, "https://new.example/rss") is not None


async def test_story_command(core: NewsDigest) -> None:
    await core.poll()
    commands = Commands(core)
    found = await commands.dispatch("story", "kestrel lander", CTX)
    assert not found.ephemeral and found.full and len(found.cards) == 1
    assert found.cards[0].source_count == 4
    unknown = await commands.dispatch("story", "zzzz qqqq", CTX)
    assert unknown.ephemeral and not unknown.cards
    usage = await commands.dispatch("story", "", CTX)
    assert "Usage: /story" in usage.text


async def test_every_command_has_help_and_unknown_commands_are_named(core: NewsDigest) -> None:
    commands = Commands(core)
    for name in ("story", "follow", "unfollow", "watchlist", "digest", "feeds"):
        reply = await commands.dispatch(name, "help", CTX)
        assert reply.text.startswith(f"/{name}") and reply.ephemeral
    reply = await commands.dispatch("frobnicate", "", CTX)
    assert "Unknown command" in reply.text


async def test_digest_on_demand_uses_the_outbox_hook(core: NewsDigest) -> None:
    await core.poll()
    posted: list[str] = []

    async def post(channel: channel_store.ChannelRow) -> int:
        posted.append(channel.key)
        return 4

    reply = await Commands(core, post_digest=post).dispatch("digest", "", CTX)
    assert posted == ["slack:C9"] and "Posting 4 stories" in reply.text


async def test_digest_on_demand_says_what_changed_while_it_was_chosen(core: NewsDigest) -> None:
    await core.poll()

    async def post(channel: channel_store.ChannelRow) -> int:
        raise DigestNotQueued("This channel was paused meanwhile; no digest was queued.")

    reply = await Commands(core, post_digest=post).dispatch("digest", "", CTX)
    assert reply.text.startswith("This channel was paused meanwhile; no digest was queued.")


async def test_only_admins_change_a_shared_topic_query(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", "moon lunar OR moon", CTX)
    other = CommandContext(platform="discord", channel_id="D1", user_id="U7")
    refused = await commands.dispatch("follow", "moon crypto", other)
    assert "only admins can change" in refused.text
    assert channel_store.get_topic(core.db, "moon").query == "lunar OR moon"  # type: ignore[union-attr]
    same = await commands.dispatch("follow", "moon lunar OR moon", other)
    assert "now follows moon" in same.text
    # Even an admin changes a shared topic's query only by saying so with `query:`.
    unmarked = await commands.dispatch("follow", "moon lunar", ADMIN)
    assert "its query was not changed" in unmarked.text and unmarked.ephemeral
    assert channel_store.get_topic(core.db, "moon").query == "lunar OR moon"  # type: ignore[union-attr]
    changed = await commands.dispatch("follow", "moon query: lunar", ADMIN)
    assert "now follows moon" in changed.text, changed.text
    assert channel_store.get_topic(core.db, "moon").query == "lunar"  # type: ignore[union-attr]


async def test_digest_in_a_paused_channel_says_why(core: NewsDigest) -> None:
    posted: list[str] = []

    async def post(channel: channel_store.ChannelRow) -> int:
        posted.append(channel.key)
        return 1

    commands = Commands(core, post_digest=post)
    channel = channel_store.ensure_channel(core.db, "slack", "C9")
    channel_store.update_channel(core.db, channel.id, paused_reason="channel_not_found")
    reply = await commands.dispatch("digest", "", CTX)
    assert "paused: channel_not_found" in reply.text and posted == []
    await commands.dispatch("watchlist", "resume", CTX)
    reply = await commands.dispatch("digest", "", CTX)
    assert posted == ["slack:C9"]


async def test_story_command_writes_a_missing_summary_off_the_event_loop(
    core: NewsDigest, monkeypatch
) -> None:
    # An LLM call can take seconds and a big story's extractive pass about one; chat, the
    # scheduler and /healthz share the loop, so /story must not hold it meanwhile.
    import threading
    import time

    import bot.summarize

    await core.poll()
    real = bot.summarize.summarize
    threads: list[str] = []

    def slow_summarize(articles):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        time.sleep(0.3)
        return real(articles)

    monkeypatch.setattr(bot.summarize, "summarize", slow_summarize)
    async with LoopTicks() as ticks:
        found = await Commands(core).dispatch("story", "kestrel", CTX)
    assert found.cards and found.cards[0].tldr
    assert threads and threading.main_thread().name not in threads
    assert ticks.count >= 5  # the loop kept running while the summary was written
    again = await Commands(core).dispatch("story", "kestrel", CTX)
    assert again.cards[0].tldr == found.cards[0].tldr and len(threads) == 1  # cached


async def test_watchlist_refuses_a_schedule_that_never_fires(core: NewsDigest) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("watchlist", "schedule daily 08:00", CTX)
    reply = await commands.dispatch("watchlist", "schedule cron 0 9 31 2 *", CTX)
    assert "never fires" in reply.text and "Saved" not in reply.text
    channel = channel_store.get_channel(core.db, CTX.platform, CTX.channel_id)
    assert channel is not None and channel.schedule == "0 8 * * *"


async def test_feeds_remove_refuses_a_feed_declared_in_the_config(core: NewsDigest) -> None:
    config_feed = feed_store.list_feeds(core.db)[0]
    assert config_feed.origin == "config"
    reply = await Commands(core).dispatch("feeds", f"remove {config_feed.url}", ADMIN)
    assert "declared in the config file; remove it there" in reply.text
    assert feed_store.get_feed(core.db, config_feed.id) is not None


async def test_following_again_with_the_same_query_is_not_announced(core: NewsDigest) -> None:
    commands = Commands(core)
    first = await commands.dispatch("follow", "moon lunar OR moon", CTX)
    assert "now follows moon" in first.text and not first.ephemeral
    again = await commands.dispatch("follow", "moon lunar OR moon", CTX)
    assert again.text == "This channel already follows moon." and again.ephemeral
    # A changed query is news for the channel, even though it already follows the topic.
    changed = await commands.dispatch("follow", "moon query: lunar", ADMIN)
    assert changed.text == (
        "This channel now follows moon (matching lunar, changed from lunar OR moon for every "
        "channel that follows it)."
    )
    assert not changed.ephemeral


async def test_follow_with_plain_words_for_a_new_topic_asks_which_was_meant(
    core: NewsDigest,
) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("follow", "machine learning", CTX)
    assert reply.ephemeral
    assert reply.text == (
        "There is no topic 'machine' or 'machine-learning'. Known topics: none yet. "
        "To create 'machine' matching learning, mark the query: /follow machine query: learning "
        "(or, to create 'machine-learning': /follow machine-learning query: <words>)."
    )
    assert channel_store.list_topics(core.db) == []
    assert channel_store.get_channel(core.db, "slack", "C9") is None
    # The marked form creates it, as does a query that is plainly one (quotes, operators).
    marked = await commands.dispatch("follow", "machine query: learning", CTX)
    assert marked.text == "This channel now follows machine (matching learning)." + SIGNED_UP
    assert (
        "now follows ml" in (await commands.dispatch("follow", 'ml "machine learning"', CTX)).text
    )


async def test_follow_with_spaces_follows_the_hyphenated_topic_like_discord(
    core: NewsDigest,
) -> None:
    channel_store.upsert_topic(core.db, "machine-learning", '"machine learning"')
    reply = await Commands(core).dispatch("follow", "Machine Learning", CTX)
    assert reply.text == "This channel now follows machine-learning." + SIGNED_UP
    assert channel_store.get_topic(core.db, "machine") is None


async def test_a_feed_url_of_2048_characters_is_the_longest_added_in_chat(core: NewsDigest) -> None:
    commands = Commands(core)
    base = "https://long.example/"
    longest, over = base + "a" * (2048 - len(base)), base + "b" * (2049 - len(base))
    added = await commands.dispatch("feeds", f"add {longest}", ADMIN)
    assert added.text.startswith("Added feed #"), added.text
    assert feed_store.get_feed(core.db, longest) is not None
    refused = await commands.dispatch("feeds", f"add {over}", ADMIN)
    assert refused.text == (
        "Not added: that URL is 2,049 characters long; a feed URL added in chat is at most 2,048."
    )
    assert feed_store.get_feed(core.db, over) is None
