"""/follow and /unfollow through `Commands.dispatch`, as a reviewer typed them: the same query
typed another way, hints on Discord, names the slug rule refuses, unfollowing the last topic."""

from __future__ import annotations

from _sign_up import SIGNED_UP

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")
ADMIN = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
OTHER = CommandContext(platform="slack", channel_id="C7", user_id="U7")
DISCORD = CommandContext(platform="discord", channel_id="D1", user_id="U8")
CHIPS = '"chip export" OR semiconductor'


def _stored_query(core: NewsDigest, slug: str) -> str:
    topic = channel_store.get_topic(core.db, slug)
    assert topic is not None
    return topic.query


async def test_follow_with_the_same_query_typed_differently_is_not_a_change(
    core: NewsDigest,
) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", f"chips {CHIPS}", ADMIN)
    # Curly quotes (as macOS and iOS Slack insert them) and doubled spaces: the same query, so
    # a non-admin is not refused...
    curly = await commands.dispatch("follow", "chips “chip export” OR semiconductor", OTHER)
    assert curly.text == "This channel now follows chips." + SIGNED_UP and not curly.ephemeral
    spaced = await commands.dispatch("follow", 'chips "chip export"  OR semiconductor', OTHER)
    assert spaced.text == "This channel already follows chips." and spaced.ephemeral
    # ...and an admin gets no public re-announcement; the stored text keeps its spelling.
    again = await commands.dispatch("follow", "chips “chip export”  OR  Semiconductor", ADMIN)
    assert again.text == "This channel already follows chips." and again.ephemeral
    assert _stored_query(core, "chips") == CHIPS
    # A query that means something else is still a change, refused to a non-admin.
    other = await commands.dispatch("follow", 'chips "chip exports" semiconductor', OTHER)
    assert other.text == (
        f"The topic 'chips' already exists ({CHIPS}); only admins can change its query. "
        "Follow it as it is with /follow chips, or pick a new name."
    )


async def test_follow_hints_show_discord_its_own_options(core: NewsDigest) -> None:
    commands = Commands(core)
    unknown = await commands.dispatch("follow", "ai", DISCORD)
    assert unknown.text == (
        "There is no topic 'ai'. Create it with a query, e.g. "
        '/follow topic:ai query:"some phrase" OR keyword. Known topics: none yet'
    )
    await commands.dispatch("follow", "moon lunar OR moon", ADMIN)
    refused = await commands.dispatch("follow", "moon query: crypto", DISCORD)
    assert refused.text == (
        "The topic 'moon' already exists (lunar OR moon); only admins can change its query. "
        "Follow it as it is with /follow topic:moon, or pick a new name."
    )
    both = await commands.dispatch("follow", "machine learning", DISCORD)
    assert both.text == (
        "There is no topic 'machine' or 'machine-learning'. Known topics: moon. "
        "To create 'machine' matching learning, mark the query: "
        "/follow topic:machine query:learning "
        "(or, to create 'machine-learning': /follow topic:machine-learning query:<words>)."
    )
    # Slack keeps its one-line form.
    slack = await commands.dispatch("follow", "ai", SLACK)
    assert slack.text == (
        "There is no topic 'ai'. Create it with a query, e.g. "
        '/follow ai "some phrase" OR keyword. Known topics: moon'
    )


async def test_follow_says_what_topic_names_may_be(core: NewsDigest) -> None:
    commands = Commands(core)
    long = await commands.dispatch("follow", "a" * 200 + " query: ai", SLACK)
    assert long.text.splitlines()[0] == (
        "Topic names are at most 63 characters long; that one has 200."
    )
    accented = await commands.dispatch("follow", "Café query: coffee", SLACK)
    assert accented.text.splitlines()[0] == (
        "Topic names use only a-z, 0-9 and '-', at most 63 characters: 'Café'. Did you mean cafe?"
    )
    # Accents typed as combining marks fold too ("İstanbul" lowercases to i and a combining dot).
    for typed in ("cafe\u0301", "İstanbul"):
        combining = await commands.dispatch("follow", f"{typed} query: coffee", SLACK)
        assert combining.text.splitlines()[0].endswith(
            f". Did you mean {'cafe' if typed.startswith('c') else 'istanbul'}?"
        ), typed
    # No folded form for symbols: "c++" is not the topic "c".
    symbols = await commands.dispatch("follow", "c++ query: cpp", SLACK)
    assert symbols.text.splitlines()[0] == (
        "Topic names use only a-z, 0-9 and '-', at most 63 characters: 'c++'"
    )
    # The limit itself is a name.
    longest = await commands.dispatch("follow", "b" * 63 + " query: ai", SLACK)
    assert longest.text == f"This channel now follows {'b' * 63} (matching ai).{SIGNED_UP}"


async def test_unfollowing_the_last_topic_says_every_story_comes_now(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", "moon lunar OR moon", SLACK)
    await commands.dispatch("follow", "chips " + CHIPS, SLACK)
    first = await commands.dispatch("unfollow", "chips", SLACK)
    assert first.text == "This channel no longer follows chips." and not first.ephemeral
    await commands.dispatch("watchlist", "min-sources 3", ADMIN)
    last = await commands.dispatch("unfollow", "moon", SLACK)
    assert last.text == (
        "This channel no longer follows moon. It follows no topics now, so every story with "
        "at least 3 independent sources will be posted; /follow a topic to narrow it."
    )
    assert not last.ephemeral
    # Paused, the channel posts nothing now: every story comes once posting resumes.
    await commands.dispatch("follow", "moon", SLACK)
    channel = channel_store.get_channel(core.db, "slack", SLACK.channel_id)
    assert channel is not None
    channel_store.update_channel(core.db, channel.id, paused_reason="the bot was removed from it")
    paused = await commands.dispatch("unfollow", "moon", SLACK)
    assert paused.text.endswith(
        "at least 3 independent sources will be posted once posting resumes; /follow a topic to "
        "narrow it."
    )


async def test_follow_reads_every_quote_the_query_language_accepts(core: NewsDigest) -> None:
    """«…», ‹…›, »…« and ‚…’ quote a phrase in a topic query as "…" does, so /follow must see
    them as query syntax too: a quoted phrase is a query, not the rest of a topic name, and a
    `query:` inside the quotes is part of the phrase, not the marker."""
    commands = Commands(core)
    french = await commands.dispatch("follow", "eu «trade deal»", ADMIN)
    assert french.text.startswith("This channel now follows eu"), french.text
    assert _stored_query(core, "eu") == "«trade deal»"
    single = await commands.dispatch("follow", "port ‹dock strike›", ADMIN)
    assert single.text.startswith("This channel now follows port"), single.text
    marked = await commands.dispatch("follow", "search «query: rewrite» OR engines", ADMIN)
    assert marked.text.startswith("This channel now follows search"), marked.text
    assert _stored_query(core, "search") == "«query: rewrite» OR engines"


async def test_follow_changing_a_query_when_the_admin_check_failed_says_so(
    core: NewsDigest,
) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", f"chips {CHIPS}", ADMIN)
    # Slack did not answer whether U2 is an admin: refused, but not as a non-admin.
    unknown = CommandContext(platform="slack", channel_id="C9", user_id="U2", admin_unknown=True)
    refused = await commands.dispatch("follow", "chips query: wafer", unknown)
    assert refused.text == (
        f"The topic 'chips' already exists ({CHIPS}); I could not check whether you are an "
        "admin just now: Slack did not answer, so its query was not changed; please try again "
        "in a minute. Follow it as it is with /follow chips, or pick a new name."
    )
    assert _stored_query(core, "chips") == CHIPS


async def test_a_name_with_punctuation_between_words_is_quoted_as_typed_with_a_usable_name(
    core: NewsDigest,
) -> None:
    # Discord's topic option reaches the core in quotes when it has several words
    # (bot.adapters.discord.slash); Slack's users quote it themselves.
    reply = await Commands(core).dispatch(
        "follow", '"Floods & Disasters" query: flood OR evacuated', SLACK
    )
    assert reply.text.splitlines()[0] == (
        "Topic names use only a-z, 0-9 and '-', at most 63 characters: 'Floods & Disasters'. "
        "To follow it under a name of those words: floods-disasters"
    )
