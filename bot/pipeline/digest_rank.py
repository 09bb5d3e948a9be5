"""The order of a digest's stories: what is new to the channel first.

A digest has room for a few cards, so their order decides what a channel sees as cards and
what only in the list after them. Ranking by size alone put a story days old first because it
had grown by absorbing others, week after week, while fresh two-source stories were crowded
out. The rank is instead, highest first:

1. the independent sources that reported the story since the channel's last digest (a story
   that is wholly new counts all of them; one the channel could have seen in its last
   digest's list counts only what it gained since). A report's time is when it was
   published, never later than when it was seen (`reported`): a feed's backlog of
   four-day-old items, stored in one poll, is not news to anyone, however big its story;
2. its newest report (`last_reported`), so among equals the fresher news leads;
3. its total independent sources, then its id: a fixed order for ties, so a preview and the
   scheduled digest made from the same database pick the same cards.

Sources are counted by `independent_sources`, as the card counts them: wire copies of one
report count once, whichever side of the line they fall on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.cluster.wire import independent_sources
from bot.models import Article
from bot.store.stories import StoryRow

_NEVER = datetime.min.replace(tzinfo=UTC)


def reported(article: Article) -> datetime:
    """When the article reported its story: its publication time, never later than when it was
    seen (a feed's clock error must not make a story look newest), else when it was seen; the
    same rule as `bot.store.stories.recent_stories`' `reported_since`."""
    if article.published is not None and article.seen is not None:
        return min(article.published, article.seen)
    return article.when or _NEVER


def last_reported(members: Sequence[Article]) -> datetime:
    """The story's newest report (`reported`)."""
    return max((reported(a) for a in members), default=_NEVER)


def new_sources(members: Sequence[Article], since: datetime) -> int:
    """Independent sources the story gained after `since`: all of them minus those it had
    then (articles reported at or before `since`)."""
    before = [a for a in members if reported(a) <= since]
    return independent_sources(members)[0] - independent_sources(before)[0]


def fresh_first(
    story: StoryRow, members: Sequence[Article], since: datetime
) -> tuple[int, float, int, str]:
    """The sort key (ascending) that puts the story newest to the channel first."""
    return (
        -new_sources(members, since),
        -last_reported(members).timestamp(),
        -story.source_count,
        story.id,
    )
