"""/story: an exact slug, then a story with the typed words as whole words, outrank a story
whose slug merely starts with them ("ai" is not "airline"). Real dispatch, real SQLite."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.store import stories as story_store
from bot.store.database import open_database, transaction, utcnow

CTX = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")


def _story(core: NewsDigest, story_id: str, slug: str, headline: str, hours_ago: int) -> None:
    seen = utcnow() - timedelta(hours=hours_ago)
    story_store.create_story(core.db, story_id, slug, headline, seen)
    story_store.update_counts(
        core.db, story_id, article_count=1, outlet_count=1, source_count=2, last_updated=seen
    )


@pytest.fixture
def news(tmp_path: Path) -> NewsDigest:
    core = NewsDigest(
        Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db")
    )
    _story(core, "s1", "sovereign-ai", "Nations race to build sovereign AI", 2)
    _story(core, "s2", "airline-strike", "Pilots strike at major airline", 1)
    _story(core, "s3", "fed-rate-cut", "Fed announces rate cut", 1)
    _story(core, "s4", "rates-rise-in-uk", "Bank of England raises rates", 0)
    _story(core, "old", "harbour-blaze", "Harbour blaze", 3)
    _story(core, "new", "harbour-fire-spreads", "Harbour fire spreads", 0)
    with transaction(core.db):
        story_store.merge(core.db, "old", "new")
    return core


@pytest.mark.parametrize(
    ("typed", "story_id"),
    [
        ("ai", "s1"),  # a word of sovereign-ai, only the start of "airline"
        ("rate", "s3"),  # a word of fed-rate-cut, only the start of "rates"
        ("fed-rate-cut", "s3"),  # the exact slug
        ("airl", "s2"),  # no story has the word: the one slug starting with it
        ("harbour-blaze", "new"),  # a merged story's old slug
    ],
)
async def test_story_resolves_by_the_rules_in_order(
    news: NewsDigest, typed: str, story_id: str
) -> None:
    reply = await Commands(news).dispatch("story", typed, CTX)
    assert [c.story_id for c in reply.cards] == [story_id], reply.text


async def test_a_whole_word_answer_offers_the_prefix_matches(news: NewsDigest) -> None:
    found = await news.find_story_async("rate")
    assert found.story is not None and found.story.slug == "fed-rate-cut"
    assert [s.slug for s in found.suggestions] == ["rates-rise-in-uk"]


async def test_whole_words_in_two_stories_still_ask(news: NewsDigest) -> None:
    _story(news, "s5", "ai-safety-summit", "AI safety summit opens", 0)
    reply = await Commands(news).dispatch("story", "ai", CTX)
    assert not reply.cards
    assert reply.text.startswith("'ai' matches several stories. Did you mean: "), reply.text
    assert "`ai-safety-summit`" in reply.text and "`sovereign-ai`" in reply.text


async def test_the_card_names_the_other_stories_the_words_match(news: NewsDigest) -> None:
    reply = await Commands(news).dispatch("story", "rate", CTX)
    assert [c.story_id for c in reply.cards] == ["s3"]
    assert reply.see_also == "Also matching: `rates-rise-in-uk` (`/story <slug>` for one of them)"
    # Each platform shows that line after the card, as the bot's own words.
    slack = reply_messages(reply)
    escaped = reply.see_also.replace("<", "&lt;").replace(">", "&gt;")
    assert slack[-1].blocks == [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escaped, "verbatim": True}]}
    ]
    discord = render_reply(reply)
    assert discord[-1].content == reply.see_also and not discord[-1].embeds
    # An exact slug has nothing else to name.
    exact = await Commands(news).dispatch("story", "fed-rate-cut", CTX)
    assert exact.cards and exact.see_also == ""
    assert len(reply_messages(exact)) == len(slack) - 1


async def test_the_public_line_does_not_repeat_what_was_typed(news: NewsDigest) -> None:
    # The card goes to the whole channel: words typed after the ones searched must not ride
    # along into it (a masked link under the bot's name).
    typed = "rate" + " " * 300 + "[Your account is locked](https://evil.example/login) **NOW**"
    reply = await Commands(news).dispatch("story", typed, CTX)
    assert [c.story_id for c in reply.cards] == ["s3"] and not reply.ephemeral
    assert reply.see_also == "Also matching: `rates-rise-in-uk` (`/story <slug>` for one of them)"


def test_the_cli_names_the_other_stories_the_words_match(news: NewsDigest, tmp_path: Path) -> None:
    news.close()
    result = CliRunner().invoke(
        cli, ["story", "rate"], env={"NEWSDIGEST_DB": str(tmp_path / "nd.db"), "COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.output
    assert "Fed announces rate cut" in result.output
    assert result.output.rstrip().endswith("Also matching 'rate': rates-rise-in-uk")


async def test_the_start_of_a_slug_word_for_word_settles_words_in_several_stories(
    news: NewsDigest,
) -> None:
    _story(news, "g1", "gaza-ceasefire-talks", "Ceasefire talks resume in Cairo", 2)
    _story(news, "g2", "ceasefire-vote-un", "UN votes on Gaza ceasefire resolution", 0)
    reply = await Commands(news).dispatch("story", "gaza-ceasefire", CTX)
    assert [c.story_id for c in reply.cards] == ["g1"], reply.text
    assert "`ceasefire-vote-un`" in reply.see_also
