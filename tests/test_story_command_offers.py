"""/story's card and its "did you mean": the card offers "Follow <topic>" as the posted card of
the same story does (bot.runner.cards), and a query no story has suggests only stories that
share its words. Real dispatch, real SQLite."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.database import open_database, transaction, utcnow

HERE = CommandContext(platform="discord", channel_id="701", user_id="U1", channel_name="berlin")


def _story(core: NewsDigest, story_id: str, slug: str, headline: str, hours_ago: int) -> None:
    seen = utcnow() - timedelta(hours=hours_ago)
    story_store.create_story(core.db, story_id, slug, headline, seen)
    with transaction(core.db):
        rows = [
            {"source": outlet, "guid": f"{story_id}-{outlet}", "title": headline, "seen_at": seen}
            for outlet in ("Harbor Daily", "Valley Post")
        ]
        for article in article_store.insert_new(core.db, rows):
            article_store.set_story(core.db, article.id, story_id)
    story_store.update_counts(
        core.db, story_id, article_count=2, outlet_count=2, source_count=2, last_updated=seen
    )


@pytest.fixture
def news(tmp_path: Path) -> NewsDigest:
    core = NewsDigest(
        Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db")
    )
    _story(core, "s1", "corvale-evacuated", "Corvale evacuated as river flood rises", 1)
    _story(core, "s2", "think-light", "Think light: the lamps that save power", 2)
    _story(core, "s3", "jesse-jackson", "Jesse Jackson, civil rights leader, dies at 84", 3)
    _story(core, "s4", "iran-toll", "Iran quake death toll rises to 40", 4)
    _story(core, "s5", "using-phone", "Using a phone at the wheel to be fined", 5)
    return core


def _buttons(reply: object) -> list[str]:
    cards = reply.cards  # type: ignore[attr-defined]
    return [action.label for action in cards[0].actions(full=True)]


async def test_the_story_card_offers_the_matching_topic_another_channel_follows(
    news: NewsDigest,
) -> None:
    channel_store.upsert_topic(news.db, "floods", "flood OR evacuated", origin="chat")
    elsewhere = channel_store.ensure_channel(news.db, "discord", "702")
    channel_store.follow(news.db, elsewhere.id, "floods")
    reply = await Commands(news).dispatch("story", "corvale-evacuated", HERE)
    assert _buttons(reply) == ["Follow floods", "Mute story"]
    # In the channel that follows it already, the button would do nothing: "Follow topic".
    there = CommandContext(platform="discord", channel_id="702", user_id="U1")
    reply = await Commands(news).dispatch("story", "corvale-evacuated", there)
    assert _buttons(reply) == ["Follow topic", "Mute story"]
    # A story the topic does not pick: no offer of it.
    reply = await Commands(news).dispatch("story", "think-light", HERE)
    assert _buttons(reply) == ["Follow topic", "Mute story"]


async def test_an_unknown_query_suggests_only_stories_sharing_its_words(
    news: NewsDigest,
) -> None:
    reply = await Commands(news).dispatch("story", "nonexistent-thing", HERE)
    assert reply.text == "No story matches 'nonexistent-thing'. Try a few words from its headline."
    reply = await Commands(news).dispatch("story", "jesse jackson death", HERE)
    assert reply.text == (
        "'jesse jackson death' is not a story I know. Did you mean: `jesse-jackson`?"
    )
    # A long word typed with a slip still finds its story.
    reply = await Commands(news).dispatch("story", "evacuatd villages", HERE)
    assert "`corvale-evacuated`" in reply.text and "`think-light`" not in reply.text
