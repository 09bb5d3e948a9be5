"""Deleting a channel for good (`newsdigest channels remove`), and what it takes with it.

A channel taken out of the config file is only paused by the sync (`bot.store.sync`): its record
of what it was sent keeps it from getting the same stories again if it comes back. Deleting it
is the operator's deliberate step, so what goes with it is counted first, to be said: every
table that names a channel cascades from its row (its queued posts and notices, never sent; the
record of those sent; the topics it follows, its mutes, kept topic matches, listed and counted
stories, digest runs and heading).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from bot.store.database import transaction
from bot.textutil import plural


@dataclass(frozen=True, slots=True)
class ChannelHoldings:
    queued: int  # posts (stories, updates) and card edits not yet sent, in flight included
    notices: int  # notices not yet sent (a disabled feed's alert, a digest's listing)
    sent: int  # posts sent: the record that keeps a story from being posted there twice
    topics: int  # topics it follows
    mutes: int  # stories muted in it
    matches: int  # topic matches kept for it

    def dropped(self) -> list[str]:
        """What goes with the channel, as phrases, only the non-zero ones."""
        said = [
            (self.queued, plural(self.queued, "queued post") + " (never sent)"),
            (self.notices, plural(self.notices, "waiting notice") + " (never sent)"),
            (
                self.sent,
                f"the record of {plural(self.sent, 'post')} sent (added again, the channel may "
                "get those stories again)",
            ),
            (self.topics, plural(self.topics, "followed topic")),
            (self.mutes, plural(self.mutes, "mute")),
            (self.matches, plural(self.matches, "kept topic match", "kept topic matches")),
        ]
        return [words for count, words in said if count]


def holdings(db: sqlite_utils.Database, pk: int) -> ChannelHoldings:
    def count(sql: str) -> int:
        return int(db.execute(sql, [pk]).fetchone()[0])

    return ChannelHoldings(
        queued=count(
            "SELECT COUNT(*) FROM deliveries WHERE channel_pk = ?"
            " AND state IN ('pending', 'sending')"
        ),
        notices=count(
            "SELECT COUNT(*) FROM alerts WHERE channel_pk = ? AND state IN ('pending', 'sending')"
        ),
        sent=count(
            "SELECT COUNT(*) FROM deliveries WHERE channel_pk = ? AND state = 'sent'"
            " AND kind != 'refresh'"
        ),
        topics=count("SELECT COUNT(*) FROM subscriptions WHERE channel_pk = ?"),
        mutes=count("SELECT COUNT(*) FROM muted_stories WHERE channel_pk = ?"),
        matches=count("SELECT COUNT(*) FROM topic_matches WHERE channel_pk = ?"),
    )


def delete_channel(db: sqlite_utils.Database, pk: int) -> bool:
    """Delete the channel and, by cascade, all it holds; False if it was already gone."""
    with transaction(db):
        return db.execute("DELETE FROM channels WHERE id = ?", [pk]).rowcount > 0
