"""A parsed feed's entries as the article rows a poll stores.

Dates are made plausible here (a CMS's lost date, a scheduled post's future one); which of the
rows are new is the store's call (`bot.store.articles.insert_new`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ingest.normalize import canonical_url
from bot.ingest.parser import ParsedFeed
from bot.store import feeds as feed_store
from bot.store.feeds import FeedRow

# A feed item dated in the future is clock skew or a scheduled post: treat it as published now.
MAX_FUTURE_SKEW = timedelta(minutes=10)
# Before web feeds: the Unix epoch or 1900-01-01 a CMS writes for a lost date. Taken as old, a
# whole feed with that bug would go silent (older than retention) and join no open story.
OLDEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)


def entry_rows(
    feed: FeedRow, parsed: ParsedFeed, url: str, now: datetime, oldest: datetime | None = None
) -> list[dict[str, object]]:
    """The rows `bot.store.articles.insert_new` takes for a parsed feed's entries, as seen at
    `now`: under the feed's outlet name (`bot.store.feeds.outlet_name`), an entry with neither
    title nor text left out, and, with `oldest` (the retention cutoff), one dated before it.
    A date before web feeds is taken as none, and one in the future as `now`."""
    source = feed_store.outlet_name(feed.name, parsed.title, url, parsed.link)
    rows: list[dict[str, object]] = []
    for entry in parsed.entries:
        if not entry.title and not entry.text:
            continue
        published = entry.published
        if published is not None and published < OLDEST_PLAUSIBLE:
            published = None  # a placeholder, not a date: taken as undated rather than as old
        if oldest is not None and published is not None and published < oldest:
            continue  # undated entries are kept: nothing says they are old
        if published is not None and published > now + MAX_FUTURE_SKEW:
            published = now
        link = entry.url
        rows.append(
            {
                "feed_id": feed.id,
                "source": source,
                "guid": entry.guid,
                "url": link,
                "canonical_url": canonical_url(link) if link else None,
                "title": entry.title or entry.text[:80],
                "text": entry.text,
                "author": entry.author,
                "published": published,
                "seen_at": now,
            }
        )
    return rows
