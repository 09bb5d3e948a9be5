"""What a channel gets when it unmutes a story (`/watchlist unmute`): one catch-up with the story
as it is now, never the posts the mute held back one by one.

While a story is muted in a channel nothing about it is queued there (the digest and instant
selection skip it, the update planner passes it over), and a row that comes due meanwhile is
settled unsent before it is claimed (`failed`, `MUTED_ERROR`: a card, an update, an edit of the
card). None of those is ever sent as it was. Lifting the mute and queueing the catch-up are one
durable transaction, so neither is lost to a crash or a restart, and nothing of it lives in
memory:

- A story whose card the channel got: one thread update, if the story has news the channel was
  not shown (the planner's own rule, `bot.delivery.updates`, against its last post or update). It
  names every outlet that joined meanwhile and edits the card to the current count, and it is
  paced and held for quiet hours as any update is (`bot.delivery.update_pacing`): a reply due
  later than now waits, and the card is edited to the count at once. With no news, the edit of
  the card a mute held back, if one did; else nothing.
- A story whose card never reached it: a card the mute held back is forgotten (it was never
  claimed, so nothing reached the channel), and the story is a candidate again like any the
  channel has not had. An instant channel gets it now if instant mode would post it now (its
  own selection, `digests.instant_selection`: its topics and minimum sources, news reported
  within `INSTANT_WINDOW`); a paused one gets nothing queued, and /watchlist resume posts it if
  it is still news then, as it does every story the pause held back. A digest channel gets it in
  its next digest, by that digest's own selection.
- A post or update still queued (held for quiet hours, say) goes out as queued, showing the story
  as it is then; a row given up on for another reason (stale, refused) stays given up.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from bot.cron import cron_trigger
from bot.pipeline.digest import remember_matches, select
from bot.runner import digests, update_planner
from bot.runner.schedule import next_fire, quiet_until
from bot.store import card_refreshes
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.channels import MUTED_ERROR, ChannelRow
from bot.store.deliveries import DeliveryRow


class CatchUp(enum.Enum):
    NOTHING = "nothing"  # nothing new, or the story no longer qualifies
    UPDATE = "update"  # one thread update queued
    EDIT = "edit"  # the card's edit the mute held back, queued
    CARD = "card"  # the card queued now (an instant channel)
    CARD_ON_RESUME = "card on resume"  # a paused instant channel's card, left to the resume
    NEXT_DIGEST = "next digest"  # the card comes with the next digest
    QUEUED = "queued"  # a post or update queued before the mute goes out as queued


@dataclass(frozen=True, slots=True)
class Unmuted:
    unmuted: bool
    catch_up: CatchUp = CatchUp.NOTHING


def unmute(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    story_id: str,
    *,
    now: datetime,
    interval: timedelta,
) -> Unmuted:
    """Lift the channel's mute of the (live) story and queue its catch-up (see the module
    docstring). `interval` is the update planner's."""
    with delivery_store.durable(db):
        if not channel_store.unmute_story(db, channel.id, story_id):
            return Unmuted(unmuted=False)
        post = delivery_store.story_post(db, story_id, channel.id)
        if post is None or _held_back(post):
            return Unmuted(True, _owed_card(db, channel, story_id, post, now=now))
        if post.state != "sent":
            return Unmuted(True, CatchUp.QUEUED if post.state != "failed" else CatchUp.NOTHING)
        if update_planner.plan_updates(
            db, [story_id], now=now, interval=interval, channel_pk=channel.id
        ):
            return Unmuted(True, CatchUp.UPDATE)
        if _update_waiting(db, story_id, channel.id):
            return Unmuted(True, CatchUp.QUEUED)  # it names all the channel was not shown
        if _edit_held_back(db, story_id, channel.id):
            card_refreshes.add(db, story_id, channel.id, now=now, not_before=None)
            return Unmuted(True, CatchUp.EDIT)
        return Unmuted(True)


def _held_back(row: DeliveryRow) -> bool:
    return row.state == "failed" and row.last_error == MUTED_ERROR


def _owed_card(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    story_id: str,
    held: DeliveryRow | None,
    *,
    now: datetime,
) -> CatchUp:
    """The card of a story the channel never got, as the channel gets any card."""
    if held is not None:
        # Settled before its claim, so it never reached the channel: the story is undelivered.
        db.execute("DELETE FROM deliveries WHERE id = ?", [held.id])
    if channel.mode == "instant":
        # Instant mode's own rule, so an unmute posts no story a poll pass would not (old news).
        picked = digests.instant_selection(db, channel, now=now, story_ids={story_id})
        if not picked.chosen:
            return CatchUp.NOTHING
        if channel.paused_reason:
            # Nothing is posted there now; the resume queues what is news by then.
            return CatchUp.CARD_ON_RESUME
        hold = quiet_until(now, channel.quiet_hours, channel.timezone)
        row_id = delivery_store.queue_story(db, story_id, channel.id, now=now, not_before=hold)
        cards = {story_id: row_id} if row_id is not None else {}
        remember_matches(db, channel, picked, now=now, cards=cards)
        return CatchUp.CARD
    # Nothing queued: the next digest picks the story as it picks any (said only if it will).
    slot = _next_digest(channel, now)
    since = digests.digest_start(db, channel, now=slot, slot=slot)
    picked = select(db, channel, since=since, story_ids={story_id})
    return CatchUp.NEXT_DIGEST if picked.chosen else CatchUp.NOTHING


def _next_digest(channel: ChannelRow, now: datetime) -> datetime:
    try:
        found = next_fire(cron_trigger(channel.schedule, channel.timezone), now)
    except (ValueError, KeyError):
        found = None
    return found or now


def _update_waiting(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> bool:
    """An update queued before the mute and not due yet (its interval, quiet hours)."""
    row = db.execute(
        "SELECT 1 FROM deliveries WHERE story_id = ? AND channel_pk = ? AND kind = 'update'"
        " AND state IN ('pending', 'sending')",
        [story_id, channel_pk],
    ).fetchone()
    return row is not None


def _edit_held_back(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> bool:
    """Whether the last word on the card in the channel is an edit the mute settled unsent: an
    update's reply landed, its edit of the card did not, and the retry came due while muted.
    An update sent after it edited the card itself."""
    row = db.execute(
        "SELECT kind, state, last_error FROM deliveries WHERE story_id = ? AND channel_pk = ?"
        " AND (kind = ? OR (kind = 'update' AND state = 'sent')) ORDER BY id DESC LIMIT 1",
        [story_id, channel_pk, card_refreshes.REFRESH],
    ).fetchone()
    return row is not None and row[0] == card_refreshes.REFRESH and row[2] == MUTED_ERROR
