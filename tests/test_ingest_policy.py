"""Poll policy as a pure function of (state, result, now, rng)."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.ingest.fetcher import FetchResult, parse_retry_after
from bot.ingest.policy import (
    MAX_BACKOFF,
    MAX_RETRY_AFTER,
    FeedPollState,
    apply_fetch_result,
    backoff_delay,
    record_failure,
)

NOW = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def state(**kw: object) -> FeedPollState:
    base: dict[str, object] = {"url": "https://a.example/feed", "poll_interval": 900}
    base.update(kw)
    return FeedPollState(**base)  # type: ignore[arg-type]


def ok(**kw: object) -> FetchResult:
    base: dict[str, object] = {"url": "https://a.example/feed", "status": 200, "body": b"<rss/>"}
    base.update(kw)
    return FetchResult(**base)  # type: ignore[arg-type]


def test_success_resets_failures_and_schedules_one_interval_ahead() -> None:
    out = apply_fetch_result(state(consecutive_failures=4), ok(etag='"e2"'), NOW)
    assert out.consecutive_failures == 0 and out.last_error is None and out.has_new_body
    assert out.next_poll_at == NOW + timedelta(seconds=900)
    assert out.etag == '"e2"'


def test_200_replaces_validators_304_keeps_them() -> None:
    s = state(etag='"old"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    fresh = apply_fetch_result(s, ok(etag=None, last_modified=None), NOW)
    assert fresh.etag is None and fresh.last_modified is None  # stale validators would lie
    same = apply_fetch_result(s, ok(status=304, body=None), NOW)
    assert same.etag == '"old"' and same.last_modified == s.last_modified
    assert not same.has_new_body and same.consecutive_failures == 0


def test_permanent_redirect_moves_url() -> None:
    out = apply_fetch_result(state(), ok(permanent_url="https://b.example/feed"), NOW)
    assert out.url == "https://b.example/feed"


def test_410_disables_at_once() -> None:
    out = apply_fetch_result(state(), ok(status=410, body=None, error="HTTP 410 Gone"), NOW)
    assert out.disabled_reason and "410" in out.disabled_reason and not out.has_new_body


@pytest.mark.parametrize("failures", range(1, 12))
def test_backoff_grows_exponentially_within_jitter_bounds(failures: int) -> None:
    ceiling = min(MAX_BACKOFF, 900 * 2 ** (failures - 1))
    delays = [backoff_delay(failures, 900, random.Random(seed)) for seed in range(200)]
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert max(delays) - min(delays) > ceiling / 4  # actually jittered, not constant


def test_backoff_is_monotone_in_expectation_and_capped() -> None:
    means = [
        sum(backoff_delay(n, 600, random.Random(s)) for s in range(100)) / 100 for n in range(1, 10)
    ]
    assert all(b > a for a, b in itertools.pairwise(means))
    assert backoff_delay(60, 600, random.Random(1)) <= MAX_BACKOFF


def test_failure_schedule_uses_backoff() -> None:
    s = state(consecutive_failures=2)
    out = apply_fetch_result(
        s, FetchResult(url=s.url, error="ConnectError"), NOW, rng=random.Random(3)
    )
    assert out.consecutive_failures == 3 and out.last_error == "ConnectError"
    delay = (out.next_poll_at - NOW).total_seconds()
    assert 1800 <= delay <= 3600 and out.disabled_reason is None and not out.has_new_body


def test_disabled_after_failing_for_disable_after_with_reason() -> None:
    # The count alone disables nothing: four failures in a row within a day leave it enabled.
    s = state()
    result = FetchResult(url=s.url, status=500, error="HTTP 500 Internal Server Error")
    now = NOW
    for n in range(1, 9):
        out = apply_fetch_result(
            s, result, now, max_failures=4, disable_after=timedelta(days=2), rng=random.Random(n)
        )
        s.consecutive_failures, s.failing_since = out.consecutive_failures, out.failing_since
        assert out.failing_since == NOW
        # Failing since NOW: disabled at the first failure two days on, the count long reached.
        assert (out.disabled_reason is not None) == (now - NOW >= timedelta(days=2))
        if out.disabled_reason:
            break
        now += timedelta(hours=8)
    assert n == 7
    assert out.disabled_reason == (
        "failing since 2024-03-01 09:00 UTC (7 failed polls in a row); last error: HTTP 500"
        " Internal Server Error; tried once a day, enabled again when a poll works"
    )
    # Tried once a day from then on (plus up to an hour's jitter), and enabled by a success.
    assert timedelta(days=1) <= out.next_poll_at - now <= timedelta(days=1, hours=1)
    s.disabled_reason = out.disabled_reason
    again = apply_fetch_result(s, result, out.next_poll_at, rng=random.Random(1))
    assert again.disabled_reason == out.disabled_reason
    assert timedelta(days=1) <= again.next_poll_at - out.next_poll_at <= timedelta(days=1, hours=1)
    ok = apply_fetch_result(s, FetchResult(url=s.url, status=200, body=b"x"), again.next_poll_at)
    assert (ok.disabled_reason, ok.consecutive_failures, ok.failing_since) == (None, 0, None)


def test_too_few_failures_disable_nothing_however_long_they_last() -> None:
    s = state(failing_since=NOW - timedelta(days=30), consecutive_failures=2)
    result = FetchResult(url=s.url, status=500, error="HTTP 500")
    assert apply_fetch_result(s, result, NOW, max_failures=10).disabled_reason is None


def test_retry_after_is_honoured_and_capped() -> None:
    later = NOW + timedelta(hours=30)
    out = apply_fetch_result(
        state(), FetchResult(url="u", status=429, error="HTTP 429", retry_after=later), NOW
    )
    assert out.next_poll_at == later
    absurd = NOW + timedelta(days=365)
    out = apply_fetch_result(
        state(), FetchResult(url="u", status=503, error="HTTP 503", retry_after=absurd), NOW
    )
    assert out.next_poll_at == NOW + MAX_RETRY_AFTER
    soon = NOW + timedelta(seconds=5)  # backoff still applies when the server asks for less
    out = apply_fetch_result(
        state(), FetchResult(url="u", status=503, error="x", retry_after=soon), NOW
    )
    assert out.next_poll_at >= NOW + timedelta(seconds=450)


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after("120", NOW) == NOW + timedelta(seconds=120)
    assert parse_retry_after("Fri, 01 Mar 2024 10:00:00 GMT", NOW) == NOW + timedelta(hours=1)
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", NOW) == NOW  # never in the past
    assert parse_retry_after("soon", NOW) is None and parse_retry_after(None, NOW) is None


@pytest.mark.parametrize("value", ["300000000000", "9" * 40, "9" * 5000])
def test_an_absurd_retry_after_is_a_long_wait_not_an_overflow(value: str) -> None:
    when = parse_retry_after(value, NOW)
    assert when is not None and NOW + timedelta(days=300) < when <= NOW + timedelta(days=366)
    # ...which the policy then caps like any other long Retry-After.
    out = apply_fetch_result(state(), ok(status=503, body=None, retry_after=when), NOW)
    assert out.next_poll_at == NOW + MAX_RETRY_AFTER


@pytest.mark.parametrize("interval", [8 * 86400, 10**12, 8639999999913600])
def test_a_stored_interval_beyond_a_week_polls_weekly_instead_of_crashing(interval: int) -> None:
    # Config refuses such intervals now; a database written before that may still hold one.
    out = apply_fetch_result(state(poll_interval=interval), ok(), NOW)
    assert out.next_poll_at == NOW + timedelta(days=7)
    failed = apply_fetch_result(state(poll_interval=interval), ok(status=500, body=None), NOW)
    assert NOW < failed.next_poll_at <= NOW + timedelta(seconds=MAX_BACKOFF)


def test_record_failure_for_parse_errors_keeps_old_validators() -> None:
    s = state(etag='"before"')
    out = record_failure(s, "not a feed: HTML page", NOW, rng=random.Random(0))
    assert out.etag == '"before"' and out.consecutive_failures == 1
    assert out.last_error == "not a feed: HTML page"
