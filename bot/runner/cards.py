"""The outbox's card source: a story and a channel in, a `StoryCard` out (with the channel's
matching topics, and the first matching topic it could follow), writing a missing summary without
blocking the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.cards import StoryCard
from bot.models import Article, Summary
from bot.pipeline.cards import build_card, save_summary
from bot.pipeline.digest import first_matching, matching_topics
from bot.store import channels as channel_store
from bot.store import summaries as summary_store
from bot.store import topic_matches
from bot.store.channels import ChannelRow
from bot.topics.answers import askable

if TYPE_CHECKING:
    from bot.app import NewsDigest


class CardSource:
    def __init__(self, core: NewsDigest, *, clock: Callable[[], datetime]) -> None:
        self.core = core
        self.db = core.db
        self.clock = clock
        self._summaries: dict[tuple[str, int], asyncio.Future[Summary]] = {}

    async def card_for_async(self, story_id: str, channel: ChannelRow) -> StoryCard | None:
        """The outbox's card source. A missing summary is written without blocking the loop (an
        LLM call can take 20 s): the LLM path is awaited, the extractive one runs in a thread on
        members loaded here. The shared SQLite connection is only ever used on the loop."""
        story = self.core.story(story_id)
        if story is None or story.article_count == 0:
            return None
        members = self.core.story_members(story.id)
        summarizer = self.core.summarizer
        if summarizer.wants_llm(
            summary_store.cached_summary(self.db, story.id, len(members)), members
        ):
            summary = await self._summary(story.id, story.slug, members)
            # Another channel's drain may have stored it while this one awaited: a fallback
            # does not replace it.
            cached = summary_store.cached_summary(self.db, story.id, len(members))
            if cached is None or (cached.llm_fallback and not summary.llm_fallback):
                save_summary(self.db, story, summary, len(members))
            story = self.core.story(story.id) or story
        mine = channel_store.channel_topics(self.db, channel.id)
        followed = {t.slug for t in mine}
        # Asked as the digests ask them: the topics some channel follows, their answers kept in
        # the one set every story shares (`bot.topics.answers`).
        every = channel_store.topics_and_followed(self.db)
        anyone = [t for t, followed_somewhere in every if followed_somewhere]
        also = askable(t.query for t in anyone)
        names = {t.query: t.slug for t in anyone}
        matched = matching_topics(mine, members, story.headline, also=also, names=names)
        # A topic the channel keeps the story matched by (`bot.store.topic_matches`) still
        # names it on the card as the story grows: a thread update's card, an edit, and the card
        # itself, queued as matching.
        kept = (
            topic_matches.kept_for(self.db, channel.id, story.id, queued=True)
            if followed
            else set()
        )
        card = build_card(
            self.db,
            story,
            self.core.summarizer,
            now=self.clock(),
            topics=sorted(t for t in followed if t in matched or t in kept),
            members=members,
            llm=False,  # asked above, off the loop; build_card runs on it
        )
        # The Follow button offers one topic: the first by name that matches and the channel
        # does not follow. Only those before it are asked (`first_matching`).
        others = [t for t, _ in every if t.slug not in followed]
        offer = first_matching(others, members, story.headline, also=also, names=names)
        card.follow_topics = [offer] if offer is not None else []
        return card

    async def _summary(self, story_id: str, slug: str, members: list[Article]) -> Summary:
        # Channels drain in parallel: one summary per story and member count, shared.
        key = (story_id, len(members))
        task = self._summaries.get(key)
        if task is None:
            summarizer = self.core.summarizer
            if summarizer.llm is not None:
                task = asyncio.ensure_future(summarizer.asummarize(members, story=slug))
            else:
                task = asyncio.ensure_future(asyncio.to_thread(summarizer.summarize, members))
            self._summaries[key] = task
            task.add_done_callback(lambda _t: self._summaries.pop(key, None))
        return await asyncio.shield(task)
