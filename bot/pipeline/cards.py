"""From a stored story to a platform-neutral StoryCard: summary (cached per member count), source
links, independent-source count and the freshness line."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

import sqlite_utils

from bot.cards import SourceLink, StoryCard
from bot.cluster.wire import independent_sources
from bot.models import Article, Summary
from bot.outlets import outlet_names, story_outlets
from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store import summaries as summary_store
from bot.store.database import is_busy
from bot.store.readonly import is_read_only_error
from bot.store.stories import StoryRow
from bot.summarize import Summarizer, summary_input
from bot.summarize.headline import choose_headline
from bot.summarize.wordmodel import word_probabilities


def build_card(
    db: sqlite_utils.Database,
    story: StoryRow,
    summarizer: Summarizer,
    *,
    now: datetime,
    topics: Sequence[str] = (),
    members: list[Article] | None = None,
    llm: bool = True,
    save: bool = True,
    summary: Summary | None = None,
) -> StoryCard:
    """`llm` False: the LLM is not called (a preview, or a caller that asked it already off the
    event loop); a missing summary is the extractive one, cached as a fallback to retry.
    `save` False: nothing is written (`newsdigest story`, a command that only reads).
    `summary`: one the caller wrote for these members but could not cache, shown as it is."""
    members = members if members is not None else article_store.story_articles(db, story.id)
    if summary is None:
        summary = _summary(db, story, summarizer, members, llm=llm, save=save)
    independent, wire_groups = independent_sources(members)
    return StoryCard(
        story_id=story.id,
        slug=story.slug,
        headline=summary.headline or story.headline,
        source_count=independent,
        outlets=story_outlets(members),
        tldr=summary.tldr,
        sources=_links(members),
        angles=summary.angles,
        also_reporting=summary.also_reporting,
        first_seen=story.first_seen,  # the story's first report, kept by `refresh_counts`
        as_of=now,
        wire_groups=wire_groups,
        topics=list(topics),
        writer=summary.writer,
        headline_url=summary.headline_url if summary.headline else None,
    )


def _summary(
    db: sqlite_utils.Database,
    story: StoryRow,
    summarizer: Summarizer,
    members: list[Article],
    *,
    llm: bool,
    save: bool,
) -> Summary:
    """The story's cached summary, else one written now (and cached unless `save` is False)."""
    cached = summary_store.cached_summary(db, story.id, len(members))
    if cached is not None and not (llm and summarizer.wants_llm(cached, members)):
        return cached
    summary = summarizer.summarize(members, story=story.slug, llm=llm)
    # A fallback again over a cached fallback: nothing new to keep.
    if save and (cached is None or not summary.llm_fallback):
        save_if_writable(db, story, summary, len(members))
    return summary


def save_if_writable(
    db: sqlite_utils.Database, story: StoryRow, summary: Summary, member_count: int
) -> bool:
    """`save_summary`, passed over where the database takes no write now: whether it saved."""
    try:
        save_summary(db, story, summary, member_count)
        return True
    except sqlite3.OperationalError as exc:
        # A database opened read-only (a command run by a user who may only read it), or
        # another process's write lock outlasting the wait (a chat command's is short,
        # `bot.store.loop_waits`): the cache only saves the next card the work, so the card
        # is shown uncached rather than not at all.
        if not (is_read_only_error(exc) or is_busy(exc)):
            raise
        return False


def save_summary(
    db: sqlite_utils.Database, story: StoryRow, summary: Summary, member_count: int
) -> None:
    """Cache a story's summary for its current size; its headline (bounded) becomes the story's."""
    summary_store.store_summary(db, story.id, summary, member_count)
    headline = story_store.bounded_headline(summary.headline)
    if headline and headline != story.headline:
        db.table("stories").update(story.id, {"headline": headline})


# Members a story's listed headline is chosen from while no card is cached for its size: every
# polling pass that touches a story recomputes it, inside the clustering transaction, and the
# choice costs about a millisecond a member (1.2 s for an 800-article story). A story's first
# reports settle what it is about; its card, once built, replaces the pick with its own.
HEADLINE_MEMBERS = 60


def story_headline(db: sqlite_utils.Database, story_id: str, members: list[Article]) -> str:
    """The headline the story's card shows (bounded by the store): its cached summary's, else the
    extractive choice among the member titles (its first `HEADLINE_MEMBERS`), which is the card's
    unless an LLM writes it or the story is bigger. Kept on the story as it grows, so
    `newsdigest stories` lists what the card will say, not the first article's raw title."""
    cached = summary_store.cached_summary(db, story_id, len(members))
    if cached is not None and cached.headline:
        return cached.headline
    # The summariser's own input bounds, so the choice is the one its card makes.
    bounded = summary_input(members[:HEADLINE_MEMBERS])
    return choose_headline(bounded, word_probabilities(bounded, outlet_names(bounded)))[0]


def _links(members: list[Article]) -> list[SourceLink]:
    """One link per article, in first-report order: two articles of one outlet (a paper's World
    and Business desks) are both listed, though they count as one source. An article seen twice
    under one URL (one feed's copy and another's) is listed once."""
    links: dict[str, SourceLink] = {}
    for article in members:
        key = article.url or article.id
        links.setdefault(
            key, SourceLink(source=article.source, title=article.title, url=article.url)
        )
    return list(links.values())
