"""A card's Follow offer asks only what it shows: the first topic by name that matches the story
and the channel does not follow. Before, the card source asked every topic there is of every
story it carded and kept the answers, each story with a set of its own holding all of them (at
2,000 topics and 30 channels: 45 MiB more for 300 stories carded). Real SQLite, the sample
news polled from a loopback server; the cards are checked, rendered for Slack and Discord,
against the old rule: every topic asked, the matches the channel does not follow offered."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from bot.adapters.discord.embeds import card_embeds
from bot.adapters.discord.views import card_view
from bot.adapters.slack.blocks import card_messages
from bot.app import NewsDigest
from bot.cards import StoryCard
from bot.pipeline import digest
from bot.pipeline.digest import matching_topics
from bot.runner.cards import CardSource
from bot.store import channels as channel_store
from bot.store import topic_matches
from bot.store.channels import ChannelRow
from bot.store.database import utcnow
from bot.topics.answers import Answers, story_key

# Words of the sample news's headlines as one-word topics, in their order: some followed by
# the channels below, the rest by nobody.
STOP = {"after", "with", "from", "into", "over", "says", "that", "this", "their", "amid"}


def word_topics(core: NewsDigest) -> list[str]:
    """A topic for each word of four letters or more in the stories' headlines."""
    words: list[str] = []
    for (headline,) in core.db.execute("SELECT headline FROM stories ORDER BY id"):
        for word in re.findall(r"[a-z]{4,}", (headline or "").lower()):
            if word not in STOP and word not in words:
                words.append(word)
    for word in words:
        channel_store.upsert_topic(core.db, f"w-{word}", word, origin="chat")
    return words


def old_card_topics(core: NewsDigest, story_id: str, channel: ChannelRow) -> tuple[list, list]:
    """The card's topics and Follow topics as the card source chose them before: every topic
    asked of the story."""
    story = core.story(story_id)
    assert story is not None
    members = core.story_members(story_id)
    followed = {t.slug for t in channel_store.channel_topics(core.db, channel.id)}
    matched = matching_topics(channel_store.list_topics(core.db), members, story.headline)
    kept = topic_matches.kept_for(core.db, channel.id, story_id, queued=True) if followed else set()
    topics = sorted(t for t in followed if t in matched or t in kept)
    return topics, [t for t in matched if t not in followed]


def rendered(card: StoryCard) -> str:
    """Everything a platform is sent of the card: Slack's messages, Discord's embeds and
    buttons."""
    slack = [(m.text, m.blocks) for m in card_messages(card)]
    embeds = [e.to_dict() for e in card_embeds(card)]
    buttons = card_view([card]).to_components()
    return json.dumps([slack, embeds, buttons], sort_keys=True, default=str)


async def test_the_follow_offer_and_the_card_are_as_every_topic_asked_gave_them(
    core: NewsDigest,
) -> None:
    await core.poll()
    words = word_topics(core)
    assert len(words) > 40
    # A topic whose query no longer parses (a hand edit): skipped, as before.
    core.db.execute(
        "INSERT INTO topics (slug, query, origin, created_at) VALUES ('a-broken', '(', 'chat', ?)",
        [utcnow().isoformat()],
    )
    channels = [channel_store.ensure_channel(core.db, "slack", f"C{n}") for n in range(4)]
    for n, channel in enumerate(channels[1:], 1):
        # Every third word for C1, C2 and C3 in turn, a third of them followed by nobody: C0
        # follows none.
        for word in words[n - 1 :: 4]:
            channel_store.follow(core.db, channel.id, f"w-{word}")
    source = CardSource(core, clock=utcnow)
    story_ids = [r[0] for r in core.db.execute("SELECT id FROM stories WHERE merged_into IS NULL")]
    offered = several = 0
    for story_id in story_ids:
        for channel in channels:
            card = await source.card_for_async(story_id, channel)
            assert card is not None
            topics, follow = old_card_topics(core, story_id, channel)
            assert card.topics == topics, (story_id, channel.channel_id)
            assert card.follow_topics == follow[:1], (story_id, channel.channel_id)
            assert rendered(card) == rendered(replace(card, follow_topics=follow))
            offered += bool(follow)
            several += len(follow) > 1
    # The comparison covered offers, and offers chosen among several matches.
    assert offered > 10 and several > 5, (offered, several)


async def test_a_card_keeps_no_answer_of_a_topic_nobody_follows(
    core: NewsDigest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A map of its own: the process-wide one holds what earlier tests asked of the same sample
    # stories (the test before this one asks every topic of them).
    answers = Answers()
    monkeypatch.setattr(digest, "ANSWERS", answers)
    await core.poll()
    words = word_topics(core)
    channel = channel_store.ensure_channel(core.db, "slack", "C1")
    followed, nobody = words[::2], words[1::2]
    for word in followed:
        channel_store.follow(core.db, channel.id, f"w-{word}")
    source = CardSource(core, clock=utcnow)
    story_ids = [r[0] for r in core.db.execute("SELECT id FROM stories WHERE merged_into IS NULL")]
    for story_id in story_ids:
        assert await source.card_for_async(story_id, channel) is not None
        story = core.story(story_id)
        assert story is not None
        key = story_key(core.story_members(story_id), story.headline)
        # Every followed topic answered, as a digest asks them; no unfollowed one kept.
        assert all(answers.get(key, w) is not None for w in followed), story_id
        assert [w for w in nobody if answers.get(key, w) is not None] == [], story_id
