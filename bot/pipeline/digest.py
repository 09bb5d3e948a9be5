"""Choosing what one channel gets: stories that match its topics (or matched them when the channel
was given them, `bot.store.topic_matches`), have enough independent sources, were not posted to
it before, and are not muted there."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import sqlite_utils

from bot.config_entries import DEFAULT_DIGEST_SIZE
from bot.models import Article
from bot.pipeline.digest_rank import fresh_first
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store import topic_matches
from bot.store.channels import ChannelRow, TopicRow
from bot.store.stale import STALE_CARD
from bot.store.stories import StoryRow
from bot.topics.answers import ANSWERS, askable, parsed, story_key
from bot.topics.query import QueryError, StoryDoc

log = logging.getLogger(__name__)

# A digest looks back at least this far (a daily digest's stories, with slack for a late run) and
# at most MAX_LOOKBACK (a weekly digest, or a bot that was down for a while, without dumping weeks
# of old news).
DEFAULT_WINDOW = timedelta(hours=48)
MAX_LOOKBACK = timedelta(days=8)
# Cards in one digest, unless the config (`[digests] size`, a channel's `digest_size`) or
# `/watchlist digest-size` says otherwise (`bot.config_entries`).
DEFAULT_LIMIT = DEFAULT_DIGEST_SIZE


@dataclass(slots=True)
class Candidate:
    story: StoryRow
    members: list[Article]
    topics: list[str]


def delivered_story_ids(db: sqlite_utils.Database, channel_pk: int) -> set[str]:
    """Stories the channel was sent, or queued, whatever became of the row: `failed` rows count
    too, on purpose. An outage no longer fails a row (it waits, using no attempt), so what is
    left failing is: a payload the platform refused (queued again it would be refused again), a
    story muted, gone or merged, and a send given up while it may have landed (queueing it again
    could post it twice). None of these should go out anew; the unique index on (story,
    channel) would refuse a second row anyway. A card that waited past `stale_after` is the
    exception (`bot.store.stale.STALE_CARD`): it never went out, and a story still growing
    after a pause or an outage would be lost to the channel for good; the selection's own
    window keeps old news out (a digest takes stories updated since the channel's last), and
    queueing it again replaces the stale row (`queued_posts.queue_story`)."""
    return {
        row[0]
        for row in db.execute(
            "SELECT story_id FROM deliveries WHERE channel_pk = ? AND kind = 'story'"
            f" AND NOT {STALE_CARD}",
            [channel_pk],
        )
    }


def queued_story_count(db: sqlite_utils.Database, channel_pk: int) -> int:
    """The channel's story posts queued and not yet sent (held for quiet hours, waiting their
    turn, or being sent)."""
    row = db.execute(
        "SELECT COUNT(*) FROM deliveries WHERE channel_pk = ? AND kind = 'story'"
        " AND state IN ('pending', 'sending')",
        [channel_pk],
    ).fetchone()
    return int(row[0])


def matching_topics(
    topics: list[TopicRow],
    members: list[Article],
    headline: str | None = None,
    *,
    also: frozenset[str] = frozenset(),
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """The topics that pick the story of `members`; `headline`, the one its card shows, is what a
    negated term is checked against beside the articles (default: the first report's title).
    A topic that answered for the story as it is now answers again from memory (`answers`).
    `also`: valid queries (`answers.askable`) of other topics, asked of the story too whenever it
    is read, so the next channel that follows them finds their answers kept; `names`, their
    topics' names by query, for the warning when one fails (`_asks`)."""
    story = story_key(members, headline or None)
    known: dict[str, bool] = {}
    unknown: set[str] = set()
    for topic in topics:
        answer = ANSWERS.get(story, topic.query)
        if answer is not None:
            known[topic.query] = answer
            continue
        try:
            parsed(topic.query)
        except QueryError as exc:
            # Queries are checked when they are saved, so this is an older database or a
            # hand edit: one bad topic must not stop every card that is checked against it.
            log.warning("topic %s has an invalid query, skipped: %s", topic.slug, exc)
            continue
        unknown.add(topic.query)
    if unknown:
        # Reading the story is the dear part: once read, it is asked every query at hand.
        asked = also if unknown <= also else also | unknown
        doc = StoryDoc.from_articles(members, headline or None)
        matched = _ask_all(story, doc, asked, topics, names or {})
        known |= {q: q in matched for q in unknown}
    return [t.slug for t in topics if known.get(t.query)]


def first_matching(
    topics: list[TopicRow],
    members: list[Article],
    headline: str | None = None,
    *,
    also: frozenset[str] = frozenset(),
    names: Mapping[str, str] | None = None,
) -> str | None:
    """The first of `topics`, in their order, that picks the story of `members` (a card's Follow
    offer, which shows that one alone), asked one at a time until one does. One some channel
    follows (`also`, as `matching_topics` takes it) is answered as the digests answer it, all of
    `also` kept at once; one nobody follows is asked of the story read here, its answer not kept.
    Kept, each carded story held the answers of every topic there is in a set of its own, beside
    the one set the digests' answers share: 2,000 topics, 30 channels following 300 of them, kept
    45 MiB more for 300 stories carded (5 channels each; 620 MiB at `answers.MAX_STORIES`)."""
    story = story_key(members, headline or None)
    doc: StoryDoc | None = None
    for topic in topics:
        answer = ANSWERS.get(story, topic.query)
        if answer is None:
            try:
                parsed(topic.query)
            except QueryError as exc:
                log.warning("topic %s has an invalid query, skipped: %s", topic.slug, exc)
                continue
            if doc is None:
                doc = StoryDoc.from_articles(members, headline or None)
            if topic.query in also:
                answer = topic.query in _ask_all(story, doc, also, topics, names or {})
            else:
                answer = _asks(topic.query, doc, topics, names or {})
        if answer:
            return topic.slug
    return None


def _ask_all(
    story: bytes,
    doc: StoryDoc,
    asked: frozenset[str],
    topics: list[TopicRow],
    names: Mapping[str, str],
) -> frozenset[str]:
    """The queries of `asked` that match the story read as `doc`, all their answers kept."""
    matched = frozenset(q for q in asked if _asks(q, doc, topics, names))
    ANSWERS.put_all(story, asked, matched)
    return matched


def _asks(query: str, doc: StoryDoc, topics: list[TopicRow], names: Mapping[str, str]) -> bool:
    """Whether `query` matches `doc`; a bug of ours in one query's matching is no match, not the
    failure of every channel's digest or card that reads the story (said once per query)."""
    try:
        return parsed(query).matches(doc)
    except Exception:
        if query not in _FAILED:
            if len(_FAILED) < _FAILED_KEPT:
                _FAILED.add(query)
            log.warning(
                "topic %s: its query %r failed on a story, taken as no match",
                next((t.slug for t in topics if t.query == query), None)
                or names.get(query, "(no name)"),
                query,
                exc_info=True,
            )
        return False


# Queries whose matching failed and was said: once per query, not once per story. Bounded: past
# it a failing query is said each time again, which is no worse than unbounded memory.
_FAILED: set[str] = set()
_FAILED_KEPT = 1024


@dataclass(slots=True)
class Selection:
    chosen: list[Candidate]
    # Stories that qualified but did not fit under the limit, in rank order: a digest lists
    # them after its cards (an instant catch-up counts them), so they do not vanish silently.
    # They are not marked delivered: a later digest may still post one as a card.
    overflow: list[Candidate] = field(default_factory=list)
    # The channel's topics as selected by, for keeping the matches a digest acts on
    # (`remember_matches`).
    topics: list[TopicRow] = field(default_factory=list)
    # The stories waiting for their line (`select`'s `also`), the longest waiting first: of
    # `overflow`, these lead it in this order. `line_only`: those of them in the pool only as
    # waiting (not updated within its window), promised a line and never given a card.
    waiting: tuple[str, ...] = ()
    line_only: frozenset[str] = frozenset()
    # Every story's place in `select`'s ranking, so `resized` takes further cards in that order,
    # not in the overflow's (which puts the waiting stories first).
    rank: tuple[str, ...] = ()

    @property
    def more(self) -> int:
        return len(self.overflow)

    def resized(self, limit: int) -> Selection:
        """This selection with `limit` cards (a preview's own size), ordered as `select` orders
        one: the line-only stories still kept out of the cards."""
        pool = self.chosen + self.overflow
        place = {story_id: i for i, story_id in enumerate(self.rank)}
        pool.sort(key=lambda c: place.get(c.story.id, len(place)))
        ranked = [c for c in pool if c.story.id not in self.line_only]
        beyond = [c for c in pool if c.story.id in self.line_only] + ranked[limit:]
        return replace(self, chosen=ranked[:limit], overflow=_waiting_first(beyond, self.waiting))


def followed_now(selection: Selection, topics: list[TopicRow]) -> Selection:
    """`selection` for the channel following `topics`, its topics read again where the digest
    is queued, after the selection was read (in a worker thread while the loop ran on:
    `bot.runner.digest_build`). A story stays if a topic it matched is still followed under the
    same query, or a topic followed or changed since matches it now; it goes if its topics were
    all unfollowed (or changed) and none matches, or if the channel followed none (every story
    was in) and now follows some that it does not match. A channel that follows none now takes
    every story. The cards are not resized here (`Selection.resized`)."""
    then = {t.slug: t.query for t in selection.topics}
    now = {t.slug: t.query for t in topics}
    if now == then:
        return selection  # the usual case: nothing changed, nothing read
    # Asked only of these: an unchanged topic's answer is the one the selection had.
    new = [t for t in topics if then.get(t.slug) != t.query]

    def still(c: Candidate) -> Candidate | None:
        if not topics:
            return replace(c, topics=[])
        held = {s for s in c.topics if s in now and now[s] == then.get(s)}
        found = set(matching_topics(new, c.members, c.story.headline)) if new else set()
        slugs = [t.slug for t in topics if t.slug in held or t.slug in found]
        return replace(c, topics=slugs) if slugs else None

    def kept(pool: list[Candidate]) -> list[Candidate]:
        return [c for c in map(still, pool) if c is not None]

    return replace(
        selection,
        chosen=kept(selection.chosen),
        overflow=kept(selection.overflow),
        topics=list(topics),
    )


def _waiting_first(overflow: list[Candidate], waiting: Sequence[str]) -> list[Candidate]:
    """`overflow` with the stories of `waiting` first, in its order, then the rest in theirs."""
    order = {story_id: i for i, story_id in enumerate(waiting)}
    first = sorted((c for c in overflow if c.story.id in order), key=lambda c: order[c.story.id])
    return first + [c for c in overflow if c.story.id not in order]


def digest_since(now: datetime, previous: datetime | None) -> datetime:
    """Where a digest's lookback starts: the channel's previous digest (or schedule slot), but
    never less than DEFAULT_WINDOW and never more than MAX_LOOKBACK back from `now`."""
    if previous is None:
        return now - DEFAULT_WINDOW
    return max(min(previous, now - DEFAULT_WINDOW), now - MAX_LOOKBACK)


def select(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    since: datetime,
    limit: int = DEFAULT_LIMIT,
    include_delivered: bool = False,
    story_ids: set[str] | None = None,
    reported_since: datetime | None = None,
    seen_since: datetime | None = None,
    also: Sequence[str] = (),
) -> Selection:
    """Stories updated since `since` for this channel (and the stories `also`, however long ago
    they changed: those an earlier digest only counted, the longest waiting first), at most
    `limit`, and those that qualified beyond it. A story of `also` is promised a line, not a
    card: one not updated since `since` is beyond the limit whatever its rank (else a weekly
    channel's next digest gave cards to stories last updated nearly two weeks before), and those
    beyond it lead the rest in `also`'s order, so the longest waiting are listed before they
    expire. With `seen_since` (a digest: the channel's last one), those new to the channel
    since then first (`bot.pipeline.digest_rank`); without, biggest first (among equals the most
    recently first reported). A channel that follows
    no topic gets every story that clears its minimum number of independent sources. `story_ids`
    narrows the pool before the limit applies, so a small story that just changed is not crowded
    out by bigger ones it was not asked about. `reported_since` keeps only stories with a report
    published since then (instant posts: news, not a feed's backlog stored just now). A story
    the channel was given by a topic it still follows, under the same query, still matches it
    (`remember_matches`), however it grew since."""
    topics = channel_store.channel_topics(db, channel.id)
    stories = story_store.recent_stories(
        db,
        since=since,
        min_sources=channel.min_sources,
        reported_since=reported_since,
        or_ids=also,
    )
    skip = channel_store.muted_story_ids(db, channel.id)
    if not include_delivered:
        skip |= delivered_story_ids(db, channel.id)
    stories = [s for s in stories if s.id not in skip and (story_ids is None or s.id in story_ids)]
    members = article_store.articles_for_stories(db, [s.id for s in stories])
    # Matches the channel was given before hold as the story grows (`bot.store.topic_matches`).
    kept = topic_matches.kept(db, channel.id, [s.id for s in stories]) if topics else {}
    # Every topic some channel follows is asked of a story once it is read, so the other
    # channels' digests find their answers kept rather than read the story again. Not every
    # topic: those nobody follows would cost each story read for nothing.
    followed = channel_store.followed_topics(db) if topics else []
    every = askable(t.query for t in followed)
    names = {t.query: t.slug for t in followed}
    found = []
    for story in stories:
        matched = (
            matching_topics(topics, members[story.id], story.headline, also=every, names=names)
            if topics
            else []
        )
        if story.id in kept:
            matched = [t.slug for t in topics if t.slug in kept[story.id] or t.slug in matched]
        if topics and not matched:
            continue
        found.append(Candidate(story=story, members=members[story.id], topics=matched))
    if seen_since is not None:
        found.sort(key=lambda c: fresh_first(c.story, c.members, seen_since, channel.min_sources))
    waiting = set(also)
    line_only = frozenset(
        c.story.id for c in found if c.story.id in waiting and c.story.last_updated < since
    )
    ranked = [c for c in found if c.story.id not in line_only]
    beyond = [c for c in found if c.story.id in line_only] + ranked[limit:]
    return Selection(
        chosen=ranked[:limit],
        overflow=_waiting_first(beyond, also),
        topics=topics,
        waiting=tuple(also),
        line_only=line_only,
        rank=tuple(c.story.id for c in found),
    )


def remember_matches(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    selection: Selection,
    *,
    now: datetime,
    cards: Mapping[str, int],
    noticed: Mapping[str, int] | None = None,
) -> None:
    """Keep the topic matches of every story the channel is given by `selection`: each card
    queued as the outbox row `cards[story_id]`, and each story beyond them that a notice lists
    or counts (`noticed[story_id]`: the notice's id), so none is taken back as the story grows once that
    card or notice reached the channel (`bot.store.topic_matches`). The caller holds the write
    transaction that queues them."""
    queries = {t.slug: t.query for t in selection.topics}
    matches = [
        topic_matches.Match(c.story.id, slug, queries[slug], delivery_id=cards[c.story.id])
        for c in selection.chosen
        if c.story.id in cards
        for slug in c.topics
        if slug in queries
    ]
    if noticed:
        matches += [
            topic_matches.Match(c.story.id, slug, queries[slug], alert_id=noticed[c.story.id])
            for c in selection.overflow
            if c.story.id in noticed
            for slug in c.topics
            if slug in queries
        ]
    topic_matches.remember(db, channel.id, matches, now=now)
