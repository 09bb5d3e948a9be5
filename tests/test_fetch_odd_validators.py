"""Validators and Retry-After as servers really send them. An ETag or Last-Modified with bytes
beyond ASCII was stored and sent back, and every later request failed to encode it ("internal
error: UnicodeEncodeError") until the feed was disabled, which `feeds enable` did not undo. A
Retry-After of "²" is a digit to str.isdigit() and crashed int(). Real fetcher and a loopback
server; the store for `feeds enable`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import FeedFetcher, FetchResult, parse_retry_after
from bot.ingest.policy import FeedPollState, apply_fetch_result
from bot.store import feeds as feed_store
from bot.store.database import open_database

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://example.com/1</link></item></channel></rss>"""


def _fetcher() -> FeedFetcher:
    return FeedFetcher(allow_private_networks=True, timeout=5.0)


async def test_a_validator_beyond_ascii_is_not_kept_and_the_next_poll_works(
    server: FeedServer,
) -> None:
    # "café" in UTF-8, as a server writes it into the header's bytes.
    server.route(
        "/feed",
        Reply(body=RSS, headers={"ETag": '"caf\u00c3\u00a9"', "Last-Modified": "Mon, 3 Mai\u00e9"}),
    )
    async with _fetcher() as f:
        first = await f.fetch(server.url("/feed"))
        assert first.ok and first.etag is None and first.last_modified is None
        # A database that stored one before this fix sends nothing it cannot encode.
        again = await f.fetch(server.url("/feed"), etag='"caf\u00e9"', last_modified="Mai\u00e9")
    assert again.ok and again.status == 200, again.error
    assert server.requests[-1].header("If-None-Match") is None


def test_enabling_a_feed_again_drops_its_validators(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    feed = feed_store.add_feed(db, "https://x.example/rss")
    feed_store.update_feed(
        db, feed.id, etag='"bad"', last_modified="Mon", disabled_reason="failing", disabled_at=None
    )
    enabled = feed_store.enable_feed(db, feed.id)
    assert enabled is not None
    assert (enabled.etag, enabled.last_modified, enabled.disabled_reason) == (None, None, None)


def test_a_retry_after_in_other_digits_is_ignored_not_a_crash() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("\u00b2", now) is None
    assert parse_retry_after("\u0661\u0662", now) is None  # Arabic-Indic "12"
    assert parse_retry_after("120", now) is not None


def test_a_forced_poll_inside_a_servers_wait_is_no_new_failure() -> None:
    # `poll --all` fetches a feed that was told to wait: its "wait" again is not a failure,
    # or three quick passes disabled it. Once due, a refusal counts as before.
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    due = now + timedelta(hours=1)
    state = FeedPollState(url="u", consecutive_failures=2, next_poll_at=due)
    busy = FetchResult(url="u", status=429, error="HTTP 429", retry_after=now + timedelta(hours=2))
    early = apply_fetch_result(state, busy, now, max_failures=3)
    assert early.consecutive_failures == 2 and early.disabled_reason is None
    assert early.next_poll_at == due  # not pushed back: the first poll once due counts
    late = apply_fetch_result(
        state, busy, due + timedelta(minutes=1), max_failures=3, disable_after=timedelta(0)
    )
    assert late.consecutive_failures == 3 and late.disabled_reason is not None


def test_a_server_down_for_good_is_disabled_however_often_poll_all_runs() -> None:
    now = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    state = FeedPollState(url="u", poll_interval=1800)
    for _ in range(8 * 48):  # eight days of `poll --all` every half hour
        busy = FetchResult(
            url="u", status=503, error="HTTP 503", retry_after=now + timedelta(hours=1)
        )
        out = apply_fetch_result(state, busy, now, max_failures=10)
        if out.disabled_reason:
            break
        state.consecutive_failures, state.next_poll_at = out.consecutive_failures, out.next_poll_at
        state.failing_since = out.failing_since
        now += timedelta(minutes=30)
    # Disabled once it has failed for `disable_after` (a week), not before.
    assert out.disabled_reason is not None
    assert timedelta(days=7) <= now - datetime(2026, 1, 1, 9, 0, tzinfo=UTC) < timedelta(days=8)


def test_an_early_poll_that_fails_otherwise_counts() -> None:
    # Only a server's own "wait" is forgiven: a 500 or a timeout on an early poll counts.
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    state = FeedPollState(url="u", consecutive_failures=1, next_poll_at=now + timedelta(hours=1))
    broken = FetchResult(url="u", status=500, error="HTTP 500")
    out = apply_fetch_result(state, broken, now)
    assert out.consecutive_failures == 2
    assert out.next_poll_at >= now + timedelta(hours=1)  # the wait it had is not cut short
