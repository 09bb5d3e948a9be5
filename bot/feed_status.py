"""What a feed's last poll came to, in words: `newsdigest feeds list` and chat's `/feeds list`
say the same ("ok: 3 new", "ok: nothing new; skipped its only entry: …", "2 failures: HTTP 503
…", "disabled: …"), each drawing it its own way (`bot.cli.feeds`, `bot.commands.core`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.ingest.errors import is_internal_error, retried_daily
from bot.store.feeds import OPERATOR_DISABLED, FeedRow, disabled_by_operator
from bot.textutil import plural

ELLIPSIS = "…"
# How far back `cut` looks for a word break: further, it cuts mid-word. A long URL in an error
# ("for url 'https://…'") would otherwise be dropped whole, and most of the limit with it.
WORD_BREAK_CHARS = 40


@dataclass(frozen=True, slots=True)
class FeedStatus:
    # The bot's words: "ok", "ok: 3 new", "2 failures", "disabled", "not polled yet", ...
    status: str
    # Untrusted text after it (the error the feed's server sent, why it was disabled, the note
    # its last poll printed), "" for none: each reader escapes it as such.
    detail: str = ""
    # How loudly to show it: a disabled feed polls no more, a failing one backs off.
    alarm: Literal["disabled", "failing"] | None = None
    # The bot's words after the detail, " (last success 2026-11-28 12:00 UTC)", or "": kept
    # whole when the detail is cut, since when it last worked is what says how bad it is.
    since: str = ""

    @property
    def full_detail(self) -> str:
        """The detail uncut, with `since`."""
        return self.detail + self.since

    @property
    def separator(self) -> str:
        """Between status and detail: a note follows a good outcome, an error names a bad one."""
        return "; " if self.status.startswith("ok") else ": "

    def line(self, detail_limit: int | None = None) -> str:
        """Status and detail as one line, the detail and `since` cut to `detail_limit`
        characters: the detail is cut, `since` kept."""
        if not self.detail:
            return self.status + self.since  # "ok: not modified (last new entry ...)"
        limit = None if detail_limit is None else max(1, detail_limit - len(self.since))
        detail = cut(self.detail, limit) + self.since
        return f"{self.status}{self.separator}{detail}"


def feed_status(feed: FeedRow, last_new: datetime | None = None) -> FeedStatus:
    """The feed's state in words. `last_new`, when given, is when it last brought a new entry
    (`bot.store.feeds.last_new_entries`), said after its state: "ok: not modified" for a month
    reads otherwise as a feed that works."""
    marks = []
    if feed.last_success_at and feed.last_success_at != feed.last_polled_at:
        marks.append(f"last success {when(feed.last_success_at)} UTC")
    if last_new is not None:
        marks.append(f"last new entry {when(last_new)} UTC")
    tried = (
        retried_daily(feed.disabled_reason)
        if feed.disabled_reason
        else feed.consecutive_failures > 0
    )
    if feed.next_poll_at and tried:
        # Backing off, a server's Retry-After, or a disabled feed's daily retry: when to look.
        marks.append(f"next try {when(feed.next_poll_at)} UTC")
    since = f" ({'; '.join(marks)})" if marks else ""
    if disabled_by_operator(feed.disabled_reason):
        # Parked on purpose (`newsdigest feeds disable`): no failure, so no alarm.
        return FeedStatus(OPERATOR_DISABLED, "", None, since)
    if feed.disabled_reason:
        return FeedStatus("disabled", feed.disabled_reason, "disabled", since)
    if is_internal_error(feed.last_error):
        # Our own code failed the poll: not counted against the feed, so no "N failures", and
        # not "ok" either, though the count may be 0.
        detail = f"{feed.last_error} (newsdigest's own error, not the feed's: see the log)"
        return FeedStatus("not read", detail, "failing", since)
    if feed.consecutive_failures:
        failures = plural(feed.consecutive_failures, "failure")
        return FeedStatus(failures, feed.last_error or "", "failing", since)
    if feed.last_polled_at is None:
        return FeedStatus("not polled yet")
    if feed.last_outcome == "re-enabled":
        return FeedStatus("re-enabled", "", None, since)
    # A poll before the outcome was kept says only that it worked.
    outcome = f"ok: {feed.last_outcome}" if feed.last_outcome else "ok"
    return FeedStatus(outcome, feed.last_note or "", None, since)


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


def cut(text: str, limit: int | None) -> str:
    """`text` cut to `limit` characters with an ellipsis: at a word's end when one is within
    WORD_BREAK_CHARS of the limit, else mid-word."""
    if limit is None or len(text) <= limit:
        return text
    kept = text[: max(0, limit - 1)]
    if not text[len(kept)].isspace():
        head, space, _ = kept.rpartition(" ")
        if space and head.strip() and len(kept) - len(head) <= WORD_BREAK_CHARS:
            kept = head  # not mid-word
    return kept.rstrip(" ;:,") + ELLIPSIS
