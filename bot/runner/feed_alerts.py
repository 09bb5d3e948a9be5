"""Feed alerts: the one-time notice to the channels that relied on a feed once it is disabled.

Which channels relied on it lately (those queued one of the stories of its last 30 days of
articles, else those following a topic that matches one), and the notice's text. The notice is an `alerts` row the outbox sends like any
other (`bot.delivery.notices`), its text rendered again as it is sent, for the channel's platform
and from the feed as it is then, while the feed is still disabled by the disabling it tells of
(`disabled_feed_text_now`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.ingest.policy import REFUSED, UNUSABLE
from bot.pipeline.digest import matching_topics
from bot.redact import hidden_in_text, hidden_url
from bot.render.literal import strip_marks, url_code
from bot.store import alerts
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import feeds as feed_store
from bot.store.database import iso, parse_iso
from bot.textutil import plural, squash_spaces

log = logging.getLogger(__name__)

# The feed's address in its notice is there to recognise it, not to copy (its commands take the
# id): a longer one is cut, so it stays in one of Discord's 2,000-character messages.
SHOWN_URL_CHARS = 200


# The feed's articles a channel relied on it for: those it stored in the 30 days up to its last
# one (a feed failing for days before it is disabled stored nothing since). Older ones say little
# of who relies on it now, and reading them all read every article and post ever stored.
RELIED_ON = timedelta(days=30)


def _relying_channels(db: sqlite_utils.Database, feed_id: int) -> list[int]:
    """The channels a notice of the feed's disabling goes to (`alert_disabled_feeds`)."""
    row = db.execute("SELECT MAX(seen_at) FROM articles WHERE feed_id = ?", [feed_id]).fetchone()
    newest = parse_iso(row[0]) if row else None
    if newest is None:
        return []
    since = str(iso(newest - RELIED_ON))
    return _dependent_channels(db, feed_id, since) or _interested_channels(db, feed_id, since)


def _dependent_channels(db: sqlite_utils.Database, feed_id: int, since: str) -> list[int]:
    """Channels queued a story with one of the feed's recent articles, found from those
    (`articles_feed_seen`, migration 42), not from every post."""
    rows = db.execute(
        "SELECT DISTINCT d.channel_pk FROM articles a CROSS JOIN deliveries d"
        " ON d.story_id = a.story_id WHERE a.feed_id = ? AND a.seen_at >= ?"
        " ORDER BY d.channel_pk",
        [feed_id, since],
    )
    return [r[0] for r in rows]


def _interested_channels(
    db: sqlite_utils.Database, feed_id: int, since: str, *, stories: int = 50
) -> list[int]:
    """Channels following a topic that matches one of the feed's latest stories (those with its
    newest recent articles)."""
    story_ids = [
        r[0]
        for r in db.execute(
            "SELECT story_id FROM articles WHERE feed_id = ? AND seen_at >= ?"
            " AND story_id IS NOT NULL GROUP BY story_id ORDER BY MAX(seen_at) DESC, story_id"
            " LIMIT ?",
            [feed_id, since, stories],
        )
    ]
    members = [article_store.story_articles(db, sid) for sid in story_ids]
    found = []
    for channel in channel_store.list_channels(db):
        topics = channel_store.channel_topics(db, channel.id)
        if topics and any(m and matching_topics(topics, m) for m in members):
            found.append(channel.id)
    return found


def alert_disabled_feeds(db: sqlite_utils.Database, *, now: datetime) -> int:
    """One notice per disabled feed to the channels that relied on it lately (`RELIED_ON`): those
    queued a story with one of its articles, else those following a topic that matches one of
    its stories. A feed no channel relied on alerts nobody (it is logged, and /healthz lists it):
    telling every channel about a feed none of them reads is noise. Re-disabling after a
    re-enable alerts again.

    The text is plain, and the feed's name, title and reason come from the feed itself: adapters
    escape notices as untrusted text. Its URL, without what may carry a key, is marked as code
    (`url_code`); the log names it whole, for the operator."""
    # Not a feed the operator parked (`newsdigest feeds disable`): asked for, nobody to warn.
    feeds = db.execute_returning_dicts(
        f"SELECT {_FEED_COLUMNS} FROM feeds WHERE disabled_reason IS NOT NULL"
        " AND disabled_reason != ?"
        " AND (alert_sent_at IS NULL OR alert_sent_at < COALESCE(disabled_at, ''))",
        [feed_store.OPERATOR_DISABLED],
    )
    queued = 0
    for feed in feeds:
        targets = _relying_channels(db, feed["id"])
        text = disabled_feed_text(feed)
        key = f"feed-disabled:{feed['id']}:{feed['disabled_at'] or ''}"
        with delivery_store.durable(db):
            # Asked under the write lock (durable's BEGIN IMMEDIATE), so the answer holds until
            # the commit: a channel `newsdigest channels remove` deleted since `targets` was read
            # is left out, where its notice's foreign key would fail the pass.
            targets = [pk for pk in targets if channel_store.channel_exists(db, pk)]
            for pk in targets:
                queued += alerts.enqueue_alert(db, pk, key, text, now=now)
            db.execute("UPDATE feeds SET alert_sent_at = ? WHERE id = ?", [iso(now), feed["id"]])
        log.warning(
            "feed %s disabled: %s; alerting %s (none relied on it)"
            if not targets
            else "feed %s disabled: %s; alerting %s",
            feed["url"],
            feed["disabled_reason"],
            plural(len(targets), "channel"),
            extra={"event": "feed_disabled", "feed": feed["url"]},
        )
    return queued


# What a feed-disabled notice's text is rendered from, when it is queued and again when it is sent.
_FEED_COLUMNS = "id, url, name, title, origin, disabled_reason, disabled_at, consecutive_failures"


def disabled_feed_text_now(db: sqlite_utils.Database, key: str, stored: str, platform: str) -> str:
    """A feed-disabled notice's text as it is sent to a `platform` channel: rendered again from
    the feed, `/feeds remove` in the platform's form, when `stored` is what this version queued
    or an older version's naming the address whole (with `/feeds remove <url>`; it stays queued
    while the feed stays disabled), and the feed is still disabled by the disabling the notice
    tells of (its key's `disabled_at`): re-enabled and disabled again since, for another reason,
    the notice still tells its own. Any other text, or one whose feed is gone, is sent as
    stored, its addresses hidden and its /feeds remove in the platform's form."""
    feed_id, disabled_at = "", ""
    if key.count(":") >= 2:
        # The time after the id holds colons of its own.
        _, feed_id, disabled_at = key.split(":", 2)
    rows = db.execute_returning_dicts(
        f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ? AND disabled_reason IS NOT NULL"
        " AND COALESCE(disabled_at, '') = ?",
        [feed_id, disabled_at],
    )
    if rows and (rows[0]["url"] in stored or stored == disabled_feed_text(rows[0])):
        return disabled_feed_text(rows[0], platform)
    text = hidden_in_text(stored)
    if platform == "discord":
        # Stored in Slack's form; Discord's command takes the feed as its `feed:` option.
        text = _SLACK_REMOVAL.sub("/feeds remove feed:", text)
    return text


# `/feeds remove` followed by its feed as Slack takes it, without Discord's `feed:` option.
_SLACK_REMOVAL = re.compile(r"/feeds remove (?!feed:)(?=\S)")


def disabled_feed_text(feed: dict[str, Any], platform: str = "slack") -> str:
    """The alert for a disabled feed. It goes to a channel, where anyone may read it: the feed's
    address, and any address in its name or reason, is shown without its query string, path
    parameters, fragment or password (`bot.redact`), where feeds carry API keys. So the commands
    it suggests name the feed by its id, which `feeds enable` and /feeds remove take, and which
    no other feed is ever given. A feed declared in the config file is removed there: /feeds
    remove refuses it, and the next start would add it back."""
    # Feed text may hold the marks of a link the adapters would open (`url_link`): stripped.
    feed = {k: strip_marks(v) if isinstance(v, str) else v for k, v in feed.items()}
    # The address in a code span: escaped as feed text, it would show another (Discord's
    # zero-width space in "http://" and "@everyone", Slack's look-alike for an edge "_"), and
    # one cut short at its query is no link to open.
    url = url_code(hidden_url(feed["url"]), SHOWN_URL_CHARS)
    # One line each: a feed's title (or an error quoting its body) is the feed's text, and a line
    # of its own would read as the bot's, a Slack quote too when it starts with ">".
    name = squash_spaces(hidden_in_text(feed["name"] or feed["title"] or ""))
    reason = squash_spaces(hidden_in_text(feed["disabled_reason"]))
    number = feed["id"]
    # Each platform's form, as /feeds replies give it: Discord's option is `feed:`.
    removal = f"/feeds remove {'feed:' if platform == 'discord' else ''}#{number}"
    called = f"{name} ({url}, feed #{number})" if name else f"{url} (feed #{number})"
    if feed["origin"] == "config":
        remove = "or remove it from the config file's [[feeds]]."
    else:
        remove = f"or remove it with {removal}"
    if reason.startswith(UNUSABLE):
        # Enabled again, it would only be disabled at its next poll: the address must change.
        if feed["origin"] == "config":
            fix = "An admin can correct its url in the config file's [[feeds]]."
        else:
            fix = f"An admin can remove it with {removal}"
        return (
            f"The feed {called} was disabled: {reason}. "
            f"Its stories will be missing until it is added again.\n{fix}"
        )
    how = "was disabled"
    if not reason.startswith(REFUSED):
        # A refused address as written is disabled at its first poll ("after 1 failed poll"
        # says nothing), and a lasting DNS refusal's reason counts its polls itself.
        how += f" after {plural(feed['consecutive_failures'], 'failed poll')}"
    return (
        f"The feed {called} {how}: {reason}. "
        "Its stories will be missing until it is fixed.\n"
        f"An admin can re-enable it with newsdigest feeds enable {number}\n"
        f"{remove}"
    )
