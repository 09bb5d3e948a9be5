"""Another search engine's syntax in a /follow query is not reinterpreted silently: a field other
than `source:` (`title:chip`, which read as the phrase "title chip") and a `*` wildcard (`chip*`,
which read as `chip`) are refused pointing at them; a word written as an operator this language
lacks (`NEAR`) is saved as the word it is, and the reply says so. Saved queries keep their
meaning and are flagged. Real dispatch through Slack's app and Discord's, real SQLite file."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store
from bot.topics.query import TopicQuery
from bot.topics.saved import saved_query_note

FIELD = (
    '"title:" is not a field here: the one field is source: (source:reuters); quote '
    '"title:chip" to find its words as written'
)
WILDCARD = (
    "* is not a wildcard here: a word already finds its plural and singular (chip finds chips); "
    "write other words out with OR (chip OR chipmaker)"
)


# `core`, and the `h` and `bot` over it, on an empty database (conftest).
pytestmark = pytest.mark.empty_core


@pytest.mark.parametrize(
    ("typed", "message", "caret"),
    [
        ("chips query: title:chip", FIELD, "  title:chip\n  ^"),
        (
            "chips query: semiconductor OR -title:chip",
            FIELD,
            "  semiconductor OR -title:chip\n" + " " * 20 + "^",
        ),
        ("chips query: chip*", WILDCARD, "  chip*\n      ^"),
        ("chips chip* OR wafer", WILDCARD, "  chip* OR wafer\n      ^"),
    ],
)
async def test_slack_follow_refuses_another_engines_field_or_wildcard(
    h: Harness, core: NewsDigest, typed: str, message: str, caret: str
) -> None:
    _, body = await h.slash("/follow", typed)
    # The place first, counted from 1 as people count characters (the caret's column too).
    position = caret.rsplit("\n", 1)[1].index("^") - 1
    # The query as read is quoted before the block too, as typed text (Slack's look-alike ∗).
    query = caret.split("\n", 1)[0].strip().replace("*", "∗")
    assert ack_text(body) == (
        f"That query is not valid (topic 'chips', query '{query}'):\n```\n"
        f"At character {position}: {message}\n{caret}\n```"
    )
    assert channel_store.get_topic(core.db, "chips") is None


async def test_discord_follow_refuses_a_wildcard(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "follow", topic="chips", query="semicon*")
    assert WILDCARD in answer(discord_api)["content"]
    assert channel_store.get_topic(core.db, "chips") is None


async def test_follow_says_an_operator_lookalike_is_a_word(h: Harness, core: NewsDigest) -> None:
    _, body = await h.slash("/follow", "chips query: chip NEAR wafer")
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    described = TopicQuery.parse("chip NEAR wafer").describe()
    assert call["text"].startswith(
        f"This channel now follows chips (matching chip NEAR wafer, read as {described})."
    )
    assert (
        " Note: NEAR is a word to find here, not an operator; the operators are AND, OR and NOT."
        in call["text"]
    )
    topic = channel_store.get_topic(core.db, "chips")
    assert topic is not None and topic.query == "chip NEAR wafer"


async def test_acronyms_links_times_and_emphasis_are_no_lookalikes(
    h: Harness, core: NewsDigest
) -> None:
    """A guard, passing before the lookalike checks too: they must not refuse or annotate an
    acronym, a link, a time or *emphasis*, which are no other engine's operators."""
    _, body = await h.slash(
        "/follow", "space query: NASA OR example.com/launch OR 10:30 OR *liftoff*"
    )
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    assert "Note:" not in call["text"]
    assert channel_store.get_topic(core.db, "space") is not None


@pytest.mark.parametrize(
    ("query", "problem", "read_as"),
    [
        ("title:chip", '"title:" is no field here, just words to find', '"title chip"'),
        ("chip*", "* is no wildcard here, just punctuation", "chip"),
    ],
)
def test_saved_queries_keep_their_meaning_and_are_flagged(
    query: str, problem: str, read_as: str
) -> None:
    # From the config file or an older version: matched as always, pointed out where shown.
    note = saved_query_note(query)
    assert note is not None
    assert (note.problem, note.read_as) == (problem, read_as)
    assert TopicQuery.parse(query).describe() == read_as
