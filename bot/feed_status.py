"""What a feed's last poll came to, in words: `newsdigest feeds list` and chat's `/feeds list`
say the same ("ok: 3 new", "ok: nothing new; skipped its only entry: …", "2 failures: HTTP 503
…", "disabled: …"), each drawing it its own way (`bot.cli.feeds`, `bot.commands.core`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.store.feeds import FeedRow
from bot.textutil import plural

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class FeedStatus:
    # The bot's words: "ok", "ok: 3 new", "2 failures", "disabled", "not polled yet", ...
    status: str
    # Untrusted text after it (the error the feed's server sent, why it was disabled, the note
    # its last poll printed), "" for none: each reader escapes it as such.
    detail: str = ""
    # How loudly to show it: a disabled feed polls no more, a failing one backs off.
    alarm: Literal["disabled", "failing"] | None = None

    @property
    def separator(self) -> str:
        """Between status and detail: a note follows a good outcome, an error names a bad one."""
        return "; " if self.status.startswith("ok") else ": "

    def line(self, detail_limit: int | None = None) -> str:
        """Status and detail as one line, the detail cut to `detail_limit` characters."""
        detail = cut(self.detail, detail_limit)
        return f"{self.status}{self.separator}{detail}" if detail else self.status


def feed_status(feed: FeedRow) -> FeedStatus:
    since = ""
    if feed.last_success_at and feed.last_success_at != feed.last_polled_at:
        since = f" (last success {when(feed.last_success_at)} UTC)"
    if feed.disabled_reason:
        return FeedStatus("disabled", feed.disabled_reason + since, "disabled")
    if feed.consecutive_failures:
        failures = plural(feed.consecutive_failures, "failure")
        return FeedStatus(failures, (feed.last_error or "") + since, "failing")
    if feed.last_polled_at is None:
        return FeedStatus("not polled yet")
    if feed.last_outcome == "re-enabled":
        return FeedStatus("re-enabled")
    # A poll before the outcome was kept says only that it worked.
    outcome = f"ok: {feed.last_outcome}" if feed.last_outcome else "ok"
    return FeedStatus(outcome, feed.last_note or "")


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


def cut(text: str, limit: int | None) -> str:
    """`text` cut to `limit` characters at a word's end, with an ellipsis."""
    if limit is None or len(text) <= limit:
        return text
    kept = text[: max(0, limit - 1)]
    if " " in kept.strip() and not text[len(kept)].isspace():
        kept = kept.rsplit(" ", 1)[0]  # not mid-word
    return kept.rstrip(" ;:,") + ELLIPSIS
