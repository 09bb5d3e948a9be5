"""What a fetch result means for a feed's schedule: a pure state transition.

No clock, no I/O: the poller passes `now` and (in tests) a seeded `random.Random`, so every rule
here can be checked with fixed times. Rules, in the spirit of miniflux's refresh loop:

* 200/304: success. Failures reset; ETag/Last-Modified kept for the next conditional GET;
  a 301/308 chain moves the feed's URL; the next poll is one `poll_interval` away.
* 410 Gone: disabled at once; the publisher has said the feed will not come back.
* An address the network guard refuses, written in the URL or in a redirect's Location (a
  private or link-local IP, localhost): disabled at once, the reason starting "refused: " and
  naming the address. No retry can change that until the address or the settings do;
  `feeds enable` checks it again, and a pass finding the setting now allows it re-enables the
  feed (`bot.pipeline.refusals`).
* A feed URL no fetch can use (a port outside 1 to 65535, no host, a host name that is no
  valid IDNA or that DNS cannot look up, not http(s)), which adding a feed refuses but an older version stored: disabled
  at once, the reason starting "unusable address: " and saying to add the feed again at its
  right address. Retried with
  backoff, it failed for days before the count disabled it, with a reason that said nothing of
  what to do. Only the feed's own URL: a redirect's is retried as any failure is.
* An address refused as a DNS answer gave it (the host *resolves to* one): a failure like any
  other, since the answer can change: a VPN or split-horizon DNS answering 10.x for a while, a
  blocker answering 0.0.0.0, a fake-IP proxy answering 198.18.x.x. Only when it lasts to
  `max_failures` in a row (as for a server that stays down: some 3.5 days at a 30-minute
  interval) is the feed disabled, its reason the refusal's, saying the DNS answer may be why.
* Anything else (network error, oversized body, 4xx/5xx): a failure.
  The retry waits an exponentially growing, jittered delay ("equal jitter": uniformly between
  half and all of `poll_interval * 2**(n-1)`, capped at a day), so a struggling host is not
  hammered and feeds that failed together do not retry together. The feed is disabled only once
  it has failed for `disable_after` (a week by default, `[polling] disable_after`) since its
  failures began, and at least `max_failures` polls in a row: a count alone disabled a 1-minute
  feed after 6.5 hours of an outage, and any feed after ten `poll --all` in one bad minute.
  Disabled so (its reason starts `FAILING`), it is still tried once a day (`RETRY_DISABLED`), and
  the first poll that works enables it again. A 410, a refused address, an unusable URL and a
  move stay disabled until someone enables them.
* 429/503 with Retry-After: a failure too, but never retried before the server's time
  (capped at a week so a bogus header cannot silence a feed for good).
* Our own code failing the poll (a bug, or a module missing after an upgrade that was not
  followed by `pip install`): no failure of the feed's. The error is kept and the count of
  failures in a row is left as it was, so a bug of ours never disables a working feed
  (`record_internal_error`). The next poll is one `poll_interval` away, then, while polls keep
  failing so, twice the last wait each time up to a day: a bug that stays is not hit (nor its
  traceback logged) every interval for good.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config_values import MAX_INTERVAL, MIN_INTERVAL
from bot.ingest.errors import FAILING, is_internal_error, retried_daily
from bot.ingest.fetcher import FetchResult
from bot.ingest.refusal import Refusal

__all__ = [
    "ALLOW_HINT",
    "DISABLE_AFTER",
    "FAILING",
    "MAX_BACKOFF",
    "MAX_INTERVAL",
    "MAX_RETRY_AFTER",
    "MIN_INTERVAL",
    "REFUSED",
    "RETRY_DISABLED",
    "UNUSABLE",
    "FeedPollState",
    "PollOutcome",
    "allowed_now",
    "apply_fetch_result",
    "backoff_delay",
    "record_failure",
    "record_internal_error",
    "refused_reason",
    "retried_daily",
    "unusable_reason",
]

MAX_BACKOFF = 24 * 3600
# How a disabled reason for a refused address begins (`refused_reason`), for `feeds enable` to
# know it checks the address again before enabling.
REFUSED = "refused: "
# How a disabled reason for a feed URL no fetch can use begins (`unusable_reason`).
UNUSABLE = "unusable address: "
# What a refused reason says when the setting would allow the address (`allowed_now`). It names
# the table, not the dotted key: "polling.allow_private_networks = true" pasted at the end of a
# file lands in its last table ("channels[0].polling: unknown key").
ALLOW_HINT = "set allow_private_networks = true under [polling]"
# How older versions worded it, in reasons they stored: still read as the setting's to allow.
_OLD_ALLOW_HINTS = ("set polling.allow_private_networks = true",)
MAX_RETRY_AFTER = timedelta(days=7)
# How long a feed fails, from its first failure in a row, before it is disabled (the default of
# `[polling] disable_after`): a weekend's outage, or a week's, is no reason to stop for good.
DISABLE_AFTER = timedelta(days=7)
# How often a feed disabled for its failures is still tried: once it works, it is enabled again.
RETRY_DISABLED = timedelta(days=1)
_rng = random.Random()


@dataclass(slots=True)
class FeedPollState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    consecutive_failures: int = 0
    poll_interval: int = 1800  # seconds
    disabled_reason: str | None = None
    next_poll_at: datetime | None = None  # when the feed was due; a forced poll comes before
    # The previous poll's end: an internal error's backoff doubles the wait between them.
    last_error: str | None = None
    last_polled_at: datetime | None = None
    # When its current run of failures began (None: its last poll worked).
    failing_since: datetime | None = None


@dataclass(slots=True)
class PollOutcome:
    url: str  # possibly moved by a permanent redirect
    etag: str | None
    last_modified: str | None
    consecutive_failures: int
    next_poll_at: datetime
    disabled_reason: str | None
    last_error: str | None
    has_new_body: bool  # True when the result carries bytes to parse
    # When the feed's current run of failures began; None after a success.
    failing_since: datetime | None = None


def backoff_delay(failures: int, poll_interval: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `failures`-th failure in a row (failures >= 1)."""
    base = _interval(poll_interval)
    ceiling = min(float(MAX_BACKOFF), base * 2.0 ** min(max(failures, 1) - 1, 32))
    return (rng or _rng).uniform(ceiling / 2, ceiling)


def apply_fetch_result(
    state: FeedPollState,
    result: FetchResult,
    now: datetime,
    *,
    max_failures: int = 10,
    disable_after: timedelta = DISABLE_AFTER,
    rng: random.Random | None = None,
) -> PollOutcome:
    """The feed's next state after `result`. `now` must be timezone-aware (UTC)."""
    if result.internal:
        return record_internal_error(state, result.error or "internal error", now)
    if result.ok:
        if result.status == 304:
            etag = result.etag or state.etag
            last_modified = result.last_modified or state.last_modified
        else:
            # Validators describe the body just received; stale ones would wrongly earn 304s.
            etag, last_modified = result.etag, result.last_modified
        return PollOutcome(
            url=result.permanent_url or state.url,
            etag=etag,
            last_modified=last_modified,
            consecutive_failures=0,
            next_poll_at=now + timedelta(seconds=_interval(state.poll_interval)),
            # A feed disabled for its failures is enabled again by one that works (the poller
            # logs it); only those are polled while disabled (`bot.store.feeds.due_feeds`).
            disabled_reason=None,
            last_error=None,
            has_new_body=result.status != 304 and result.body is not None,
        )
    refused = result.refused
    if (refused is not None and not refused.dns) or result.status == 410 or result.unusable_url:
        if refused is not None:
            reason = refused_reason(refused)
            error = result.error or reason
        elif result.unusable_url:
            error = result.error or "unusable URL"
            reason = unusable_reason(error)
        else:
            reason = "feed is gone (HTTP 410); remove it or re-enable it by hand"
            error = "HTTP 410 Gone"
        return PollOutcome(
            url=state.url,
            etag=state.etag,
            last_modified=state.last_modified,
            consecutive_failures=state.consecutive_failures + 1,
            next_poll_at=now + timedelta(seconds=MAX_BACKOFF),
            # One disabled for its failures is tried daily: this is no failure to retry.
            disabled_reason=_manual(state.disabled_reason) or reason,
            last_error=error,
            has_new_body=False,
            failing_since=state.failing_since or now,
        )
    if refused is not None:
        # Said as the feed's state, not as the guard's exception: "2 failures: refused: ...".
        hint = " ([polling] allow_private_networks would allow it)" if refused.settable else ""
        error = f"{REFUSED}{refused.what}{hint}"
        outcome = _failure(
            state, result, error, now, max_failures=max_failures, disable_after=disable_after,
            rng=rng,
        )  # fmt: skip
        if outcome.disabled_reason and not _manual(state.disabled_reason):
            # Disabled by the count: the refusal is why, and its reason is what `feeds enable`
            # and a pass's re-enabling read.
            failures = outcome.consecutive_failures
            reason = refused_reason(refused, failures=failures)
            outcome = dataclasses.replace(outcome, disabled_reason=reason)
        return outcome
    error = result.error or (f"HTTP {result.status}" if result.status else "unknown error")
    return _failure(
        state, result, error, now, max_failures=max_failures, disable_after=disable_after, rng=rng
    )


def _failure(
    state: FeedPollState,
    result: FetchResult,
    error: str,
    now: datetime,
    *,
    max_failures: int,
    disable_after: timedelta,
    rng: random.Random | None,
) -> PollOutcome:
    """A failed fetch's outcome, with what a server asked and an early poll's rules."""
    due = state.next_poll_at
    asked_to_wait = result.status in (429, 503) and result.retry_after is not None
    if asked_to_wait and state.consecutive_failures and due and now < due:
        # Polled before the wait it was given (`poll --all`): the server saying "wait" again is
        # no new failure. Counted, three quick passes disabled a feed that only asked for time.
        # The feed stays due when it was: its first poll from then on counts, so a server that
        # is down for good still gets the feed disabled, however often `--all` runs.
        return PollOutcome(
            url=state.url,
            etag=state.etag,
            last_modified=state.last_modified,
            consecutive_failures=state.consecutive_failures,
            next_poll_at=due,
            disabled_reason=state.disabled_reason,
            last_error=error,
            has_new_body=False,
            failing_since=state.failing_since or now,
        )
    retry_after = result.retry_after
    if state.consecutive_failures and due and now < due:
        # Any other failure of an early poll counts, but never brings the feed's next poll
        # before the wait it was already given (a server's three days are not forgotten).
        retry_after = max(retry_after or due, due)
    return record_failure(
        state, error, now, max_failures=max_failures, disable_after=disable_after, rng=rng,
        retry_after=retry_after,
    )  # fmt: skip


def record_failure(
    state: FeedPollState,
    error: str,
    now: datetime,
    *,
    max_failures: int = 10,
    disable_after: timedelta = DISABLE_AFTER,
    rng: random.Random | None = None,
    retry_after: datetime | None = None,
) -> PollOutcome:
    """A failed poll. Also for the poller to call when a 200's body fails to parse.

    After a parse failure pass the state from *before* the fetch: its validators are the old
    ones, so the next poll downloads (and re-parses) the body instead of getting a 304.
    """
    failures = state.consecutive_failures + 1
    # A state with failures but no start (a row no poll of this version has failed) starts now.
    since = state.failing_since or now
    next_poll = now + timedelta(seconds=backoff_delay(failures, state.poll_interval, rng))
    disabled = state.disabled_reason
    if disabled is None and failures >= max_failures and now - since >= disable_after:
        disabled = (
            f"{FAILING}{since:%Y-%m-%d %H:%M} UTC ({failures} failed polls in a row); last"
            f" error: {error}; tried once a day, enabled again when a poll works"
        )
    if retried_daily(disabled):
        # Not hammered, not forgotten: a day's wait, jittered by up to an hour so feeds that
        # went down together are not all retried in one tick.
        jitter = (rng or _rng).uniform(0, 3600)
        next_poll = now + RETRY_DISABLED + timedelta(seconds=jitter)
    if retry_after is not None:
        next_poll = max(next_poll, min(retry_after, now + MAX_RETRY_AFTER))
    return PollOutcome(
        url=state.url,
        etag=state.etag,
        last_modified=state.last_modified,
        consecutive_failures=failures,
        next_poll_at=next_poll,
        disabled_reason=disabled,
        last_error=error,
        has_new_body=False,
        failing_since=since,
    )


def _manual(reason: str | None) -> str | None:
    """`reason` unless it is one a poll may lift (`retried_daily`): a 410 or a refusal then
    replaces it, being one only someone can lift."""
    return None if retried_daily(reason) else reason


def record_internal_error(state: FeedPollState, error: str, now: datetime) -> PollOutcome:
    """A poll our own code failed (`bot.ingest.errors.internal_error`). Not the feed's failure:
    counted, every feed would be disabled after `max_failures` polls of a broken install (a
    dependency added upstream and not installed), and stay so once it is fixed. The validators
    are the state's, so the next poll downloads the feed again instead of getting a 304. The
    wait is the interval, or, after a poll that failed so too, twice the last wait, up to a day
    (or the interval when longer): no count is kept, so the last wait is read from the state."""
    delay = float(_interval(state.poll_interval))
    waited = None
    if is_internal_error(state.last_error) and state.last_polled_at and state.next_poll_at:
        waited = (state.next_poll_at - state.last_polled_at).total_seconds()
    if waited is not None:
        delay = max(delay, min(2 * waited, float(MAX_BACKOFF)))
    return PollOutcome(
        url=state.url,
        etag=state.etag,
        last_modified=state.last_modified,
        consecutive_failures=state.consecutive_failures,
        next_poll_at=now + timedelta(seconds=delay),
        disabled_reason=state.disabled_reason,
        last_error=error,
        has_new_body=False,
        failing_since=state.failing_since,
    )


def refused_reason(refused: Refusal, *, failures: int | None = None) -> str:
    """The disabled reason of a feed whose address the guard refuses, with what makes it
    pollable again; `failures`, when a DNS answer's refusal lasted that many polls in a row."""
    what = refused.what
    if not refused.settable:
        what += ", which no setting allows"
    if failures is not None and failures > 1:
        what += f", at the last of {failures} failed polls in a row"
    if not refused.dns:
        fix = f"{ALLOW_HINT} to allow it, or fix the address" if refused.settable else ""
        fix = fix or "fix the address"
    elif refused.kind == "unspecified":
        fix = (
            "a DNS blocker (Pi-hole, AdGuard) answers so for a name it blocks: allow the name "
            "there, or fix the address"
        )
    elif refused.kind == "benchmarking":
        fix = f"a fake-IP proxy (Clash, sing-box) answers so for every name: {ALLOW_HINT}"
    elif refused.kind == "local-use NAT64":
        fix = f"the network's own NAT64 (DNS64) answers so: {ALLOW_HINT}"
    elif refused.settable:
        fix = (
            "if the name is public, a VPN, split-horizon DNS or a DNS blocker answers so: check "
            f"the machine's DNS; if the feed is on your network, {ALLOW_HINT}"
        )
    else:
        fix = (
            "if the name is public, a VPN or DNS blocker answers so: check the machine's DNS; "
            "or fix the address"
        )
    return f"{REFUSED}{what}; {fix}, then re-enable the feed (newsdigest feeds enable)"


def unusable_reason(error: str) -> str:
    """The disabled reason of a feed whose own URL no fetch can use (`error` says why)."""
    return (
        f"{UNUSABLE}{error}, which no poll can fetch (an older version let it be added): add"
        " the feed again at its right address, then remove this one"
    )


def allowed_now(reason: str | None, *, allow_private_networks: bool) -> bool:
    """Whether a feed disabled with `reason` was refused an address the setting now allows."""
    return (
        allow_private_networks
        and reason is not None
        and reason.startswith(REFUSED)
        and any(hint in reason for hint in (ALLOW_HINT, *_OLD_ALLOW_HINTS))
    )


def _interval(poll_interval: int) -> int:
    # No feed is polled more often than the minimum, whatever it asks, nor less often than the
    # maximum: config refuses more, but a value stored by an older version would overflow the
    # date arithmetic on every poll.
    return min(max(poll_interval, MIN_INTERVAL), MAX_INTERVAL)
