"""The outbox's, notices' and digest headings' migration steps (`migrations.MIGRATIONS` lists
them in order): the delivery rows' waits, card edits, notice pieces and holds, the heading's
message and counts, instant posts returned to the pool."""

from __future__ import annotations

import sqlite_utils

from bot.store.schema_v2 import add_column as _add_column


def m014_delivery_waits(db: sqlite_utils.Database) -> None:
    # A send the platform did not take or answer (unreachable, 5xx, rate limited) no longer uses
    # one of the row's attempts, or an hour's outage dropped every queued story; the row counts
    # such failures apart, those with its route up only (the route's own outage backs it off),
    # so a row that fails alone still backs off on its own (bot.delivery.failures._row_wait).
    _add_column(db, "deliveries", "waits", "INTEGER NOT NULL DEFAULT 0")


def m015_delivery_release_at(db: sqlite_utils.Database) -> None:
    # The stale rule counts from when a row was meant to go out, not from its queuing, so a row
    # held for quiet hours or an update's interval is not dropped unsent (bot.store.stale). A
    # waiting row never tried can only be waiting for such a hold; others count from queuing.
    _add_column(db, "deliveries", "release_at", "TEXT")
    db.execute(
        "UPDATE deliveries SET release_at = MAX(created_at, COALESCE(next_attempt_at, ''))"
        " WHERE state = 'pending' AND attempts = 0 AND waits = 0"
    )


def m022_card_edit_rows(db: sqlite_utils.Database) -> None:
    # No table changes: deliveries may now hold rows of kind 'refresh' (a card edit left to
    # retry, bot.delivery.card_edits). The version step is the point: an older newsdigest takes
    # any row that is no 'update' for a story post, and would post the card a second time.
    pass


def m032_card_edit_members(db: sqlite_utils.Database) -> None:
    # The articles a card edit's story had (bot.store.card_refreshes.members_key): the planner
    # edits the card again once they differ. NULL: an edit sent before, compared by its counts.
    _add_column(db, "deliveries", "shown_members", "TEXT")


def m036_alert_pieces(db: sqlite_utils.Database) -> None:
    # How many of a notice's messages have landed (`bot.store.alerts.note_pieces`): a notice
    # refused partway is resent from the first piece not posted, not whole.
    _add_column(db, "alerts", "pieces_posted", "INTEGER NOT NULL DEFAULT 0")


def m040_notice_holds(db: sqlite_utils.Database) -> None:
    # A notice put off for its channel's own rate limit holds the channel's cards queued after
    # it until it is sent (`bot.store.alerts.hold_cards`), so none overtakes it.
    _add_column(db, "alerts", "holds_cards", "INTEGER NOT NULL DEFAULT 0")
    # The first piece not recorded may have landed (its answer lost, or a crash mid-send): it
    # is looked for before it is sent again, where the platform lets us (`unsure`, which also
    # counts the lookups that failed: `bot.store.alerts.set_unsure`).
    _add_column(db, "alerts", "unsure", "INTEGER NOT NULL DEFAULT 0")


def m044_heading_message(db: sqlite_utils.Database) -> None:
    from bot.store.digest_headings import add_message_ref  # it imports bot.store.database

    add_message_ref(db)


def m046_instant_posts_in_flight(db: sqlite_utils.Database) -> None:
    from bot.store.queued_posts import m046_instant_posts_in_flight as mark_in_flight

    mark_in_flight(db)  # imported here: queued_posts imports bot.store.database


def m048_heading_counts(db: sqlite_utils.Database) -> None:
    from bot.store.digest_headings import add_shown_count  # it imports bot.store.database

    add_shown_count(db)
