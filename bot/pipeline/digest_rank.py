"""The order of a digest's stories: what is new to the channel first.

A digest has room for a few cards, so their order decides what a channel sees as cards and
what only in the list after them. Ranking by size alone put a story days old first because it
had grown by absorbing others, week after week, while fresh two-source stories were crowded
out. The rank is instead, highest first:

1. the independent sources new to the channel since its last digest (`new_sources`): those the
   bot stored after that digest ran. A story the channel could not have had then (nothing
   stored yet, or fewer sources than its min-sources) counts all of them; one it could have
   seen in its last digest's cards or list counts only what it gained since. When a report was
   stored, not published, says whether the channel saw it: a report published at 07:55 and
   first polled at 08:05 was in no 08:00 digest. Publication time only discounts old news
   (`OLD_NEWS`): a feed's backlog of four-day-old items, stored in one poll, is not news to
   anyone, however big its story;
2. its newest report (`last_reported`), so among equals the fresher news leads;
3. its total independent sources, then its id: a fixed order for ties, so a preview and the
   scheduled digest made from the same database pick the same cards.

Sources are counted by `independent_sources`, as the card counts them: wire copies of one
report count once, whichever side of the line they fall on. The parts before and after the line
are counted from the whole story's copy pairs (`independent_count`), which every channel's
digest shares: the story is shingled once, not three times a channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.cluster.wire import independent_count
from bot.models import Article
from bot.store.stories import StoryRow

_NEVER = datetime.min.replace(tzinfo=UTC)
# A report published this long before the channel's last digest is old news whenever the bot
# stored it: a new feed's backlog, or a feed listing old items late. Feeds lag by minutes or
# hours, so a report published shortly before the digest and stored after it is still new.
OLD_NEWS = timedelta(days=1)


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


def stored(article: Article) -> datetime:
    """When the bot stored the article (its publication time if that is unknown)."""
    return article.seen or article.when or _NEVER


def new_sources(members: Sequence[Article], since: datetime, min_sources: int = 1) -> int:
    """Independent sources new to a channel whose last digest ran at `since` and which wants
    stories of `min_sources`: all of them, minus old news (`OLD_NEWS`), minus those stored by
    `since` if they were enough for the channel to have had the story then."""
    cutoff = since - OLD_NEWS
    # Indices into `members`: each part is counted from the whole story's copy pairs.
    old = [i for i, a in enumerate(members) if a.published is not None and a.published < cutoff]
    earlier = [
        i
        for i, a in enumerate(members)
        if stored(a) <= since and (a.published is None or a.published >= cutoff)
    ]
    had = [*old, *earlier] if independent_count(members, earlier) >= min_sources else old
    return independent_count(members, range(len(members))) - independent_count(members, had)


def fresh_first(
    story: StoryRow, members: Sequence[Article], since: datetime, min_sources: int = 1
) -> tuple[int, float, int, str]:
    """The sort key (ascending) that puts the story newest to the channel first."""
    return (
        -new_sources(members, since, min_sources),
        -last_reported(members).timestamp(),
        -story.source_count,
        story.id,
    )
