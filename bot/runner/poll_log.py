"""What `newsdigest run` logs of its polling passes, so an operator can follow it.

- One line per pass: feeds polled, new articles, stories changed, failures and the time taken
  (event `poll_pass`). At INFO when the pass found something or a feed failed; a quiet pass
  (nothing new, nothing failed) at DEBUG: with feeds spread over their intervals a pass starts on
  most 5-second ticks, and a line for each would bury everything else.
- A feed's change of state, once each way: it starts failing (`feed_failing`, with the error) at
  WARNING, and it works again (`feed_recovered`) at INFO, being good news. A feed failing on,
  poll after poll, says nothing more here (its error is in `/healthz` and `feeds list`); one
  that is disabled is logged by `bot.runner.feed_alerts`, and one its daily retry enables again
  by `bot.pipeline.feed_state` (once, for `poll` too).
- Each feed's poll at DEBUG (`feed_polled`), shown by `newsdigest -v run`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.textutil import plural

if TYPE_CHECKING:
    from bot.app import PassReport
    from bot.pipeline.feed_result import FeedResult

log = logging.getLogger(__name__)

FAILED = ("failed", "disabled")


def was_failing(result: FeedResult) -> bool:
    """Whether the feed's poll before this one failed, from the row as it was before this one:
    its recorded outcome, else (a database from before outcomes were kept) its failure count."""
    before = result.feed
    if before.last_outcome is not None:
        return before.last_outcome in FAILED
    return before.consecutive_failures > 0


def log_feed(result: FeedResult) -> None:
    """A feed's poll: DEBUG always, a WARNING when it starts failing, INFO when it works again."""
    feed = result.feed
    failed = result.status in FAILED
    outcome = {
        "new": f"{result.new_articles} new",
        "unchanged": "nothing new",
        "not_modified": "not modified",
    }.get(result.status, result.status)
    detail = f": {result.error}" if result.error else ""
    if result.error and result.error.startswith(f"{outcome}: "):
        # An unusable address's error says "disabled: ..." itself, for `poll`'s line.
        outcome, detail = result.error, ""
    log.debug(
        "feed %s: %s%s",
        feed.url,
        outcome,
        detail,
        extra={"event": "feed_polled", "feed": feed.url, "status": result.status},
    )
    if result.hold_until is not None:
        return  # the database refused to store it: said once for all feeds (`polling`)
    if result.status == "failed" and not was_failing(result):
        log.warning(
            "feed %s started failing: %s (retried with backoff; `newsdigest feeds list` shows it)",
            feed.url,
            result.error or "no reason given",
            extra={"event": "feed_failing", "feed": feed.url},
        )
    elif not failed and was_failing(result) and not feed.disabled_reason:
        # A disabled feed working again was enabled again: `record_outcome` said so.
        failures = feed.consecutive_failures
        after = f" after {plural(failures, 'failed poll')}" if failures else ""
        log.info(
            "feed %s works again%s: %s",
            feed.url,
            after,
            outcome,
            extra={"event": "feed_recovered", "feed": feed.url, "failures": failures},
        )


def log_pass(report: PassReport) -> None:
    """The pass's line, and each feed's (`log_feed`)."""
    poll = report.poll
    for result in poll.feeds:
        log_feed(result)
    failed = len(poll.failed)
    new = len(poll.new_articles)
    stories = len(report.touched_stories)
    quiet = not (new or stories or failed)
    log.log(
        logging.DEBUG if quiet else logging.INFO,
        "polled %s: %s, %s changed, %s failed, %.1f s",
        plural(len(poll.feeds), "feed"),
        plural(new, "new article"),
        plural(stories, "story", "stories"),
        failed,
        report.seconds,
        extra={
            "event": "poll_pass",
            "feeds": len(poll.feeds),
            "new_articles": new,
            "stories_changed": stories,
            "failed": failed,
            "seconds": round(report.seconds, 2),
        },
    )
