"""FeedFetcher against a real HTTP server on 127.0.0.1 (bot.feedserver)."""

from __future__ import annotations

import asyncio
import gzip
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from bot import USER_AGENT
from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import FeedFetcher
from bot.ingest.policy import FeedPollState, apply_fetch_result

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://example.com/1</link></item></channel></rss>"""
NOW = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


def fetcher(**kwargs: object) -> FeedFetcher:
    kwargs.setdefault("allow_private_networks", True)
    kwargs.setdefault("timeout", 5.0)
    return FeedFetcher(**kwargs)  # type: ignore[arg-type]


async def test_plain_fetch_sends_honest_headers(server: FeedServer) -> None:
    server.route("/feed", RSS)
    async with fetcher() as f:
        result = await f.fetch(server.url("/feed"))
    assert result.ok and result.status == 200 and result.body == RSS
    assert result.error is None and result.elapsed > 0
    (req,) = server.requests
    assert req.header("User-Agent") == USER_AGENT
    accept = req.header("Accept") or ""
    assert "application/rss+xml" in accept and "application/atom+xml" in accept
    assert "application/feed+json" in accept
    assert req.header("If-None-Match") is None


async def test_conditional_get_etag_then_304_keeps_state(server: FeedServer) -> None:
    server.route("/feed", RSS, etag='"abc"')
    async with fetcher() as f:
        first = await f.fetch(server.url("/feed"))
        state = FeedPollState(url=server.url("/feed"))
        out1 = apply_fetch_result(state, first, NOW)
        assert first.etag == '"abc"' and out1.has_new_body and out1.etag == '"abc"'
        state.etag = out1.etag
        second = await f.fetch(state.url, etag=state.etag)
    assert second.status == 304 and second.body is None and second.ok
    assert server.requests[-1].header("If-None-Match") == '"abc"'
    out2 = apply_fetch_result(state, second, NOW)
    assert not out2.has_new_body and out2.etag == '"abc"' and out2.consecutive_failures == 0


async def test_conditional_get_last_modified(server: FeedServer) -> None:
    stamp = format_datetime(datetime(2024, 1, 1, tzinfo=UTC), usegmt=True)
    server.route("/feed", RSS, last_modified=stamp)
    async with fetcher() as f:
        first = await f.fetch(server.url("/feed"))
        second = await f.fetch(server.url("/feed"), last_modified=first.last_modified)
    assert first.status == 200 and first.last_modified == stamp
    assert second.status == 304 and second.last_modified == stamp
    assert server.requests[-1].header("If-Modified-Since") == stamp


@pytest.mark.parametrize(("code", "moves"), [(301, True), (308, True), (302, False), (307, False)])
async def test_redirects_update_url_only_when_permanent(
    server: FeedServer, code: int, moves: bool
) -> None:
    server.route("/new", RSS)
    server.redirect("/old", "/new", code)
    async with fetcher() as f:
        result = await f.fetch(server.url("/old"))
    assert result.status == 200 and result.body == RSS
    assert result.final_url == server.url("/new")
    assert result.permanent_url == (server.url("/new") if moves else None)
    outcome = apply_fetch_result(FeedPollState(url=server.url("/old")), result, NOW)
    assert outcome.url == server.url("/new" if moves else "/old")


async def test_permanent_chain_stops_at_first_temporary_hop(server: FeedServer) -> None:
    server.redirect("/a", "/b", 301)
    server.redirect("/b", "/c", 302)
    server.redirect("/c", "/d", 301)
    server.route("/d", RSS)
    async with fetcher() as f:
        result = await f.fetch(server.url("/a"))
    assert result.status == 200 and result.permanent_url == server.url("/b")


async def test_redirect_loop_is_cut_off(server: FeedServer) -> None:
    server.redirect("/a", "/b", 302)
    server.redirect("/b", "/a", 302)
    async with fetcher(max_redirects=3) as f:
        result = await f.fetch(server.url("/a"))
    assert result.error and "redirects" in result.error and not result.ok
    assert len(server.requests) == 4


async def test_410_disables(server: FeedServer) -> None:
    server.route("/gone", Reply(status=410))
    async with fetcher() as f:
        result = await f.fetch(server.url("/gone"))
    assert result.status == 410 and not result.ok
    outcome = apply_fetch_result(FeedPollState(url=server.url("/gone")), result, NOW)
    assert outcome.disabled_reason and "410" in outcome.disabled_reason


async def test_503_retry_after_seconds_then_success(server: FeedServer) -> None:
    server.script(
        "/busy", Reply(status=503, headers={"Retry-After": "120"}), Reply(body=RSS, etag='"1"')
    )
    async with fetcher() as f:
        before = datetime.now(UTC)
        busy = await f.fetch(server.url("/busy"))
        again = await f.fetch(server.url("/busy"))
    assert busy.status == 503 and busy.retry_after is not None and busy.error
    assert timedelta(seconds=119) <= busy.retry_after - before <= timedelta(seconds=125)
    outcome = apply_fetch_result(FeedPollState(url="u", poll_interval=60), busy, before)
    assert outcome.next_poll_at >= busy.retry_after and outcome.consecutive_failures == 1
    assert again.status == 200 and again.body == RSS


async def test_429_retry_after_http_date(server: FeedServer) -> None:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    server.route(
        "/slow-down", Reply(status=429, headers={"Retry-After": format_datetime(when, True)})
    )
    async with fetcher() as f:
        result = await f.fetch(server.url("/slow-down"))
    assert result.status == 429 and result.retry_after == when


async def test_gzip_body_is_decoded(server: FeedServer) -> None:
    server.route("/gz", RSS, gzip=True)
    async with fetcher() as f:
        result = await f.fetch(server.url("/gz"))
    assert server.requests[0].header("Accept-Encoding") == "gzip, deflate"
    assert result.body == RSS


async def test_gzip_bomb_is_capped_after_decompression(server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)  # ~20 KB on the wire
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    async with fetcher(max_bytes=1_000_000) as f:
        result = await f.fetch(server.url("/bomb"))
    assert len(bomb) < 1_000_000
    assert result.body is None and result.error and "larger than 1000000" in result.error


async def test_plain_body_over_cap(server: FeedServer) -> None:
    server.route("/big", b"x" * 5000)
    async with fetcher(max_bytes=4000) as f:
        result = await f.fetch(server.url("/big"))
    assert result.body is None and result.error and "4000" in result.error


async def test_unrequested_encoding_is_refused(server: FeedServer) -> None:
    server.route("/br", Reply(body=b"\x1b\x00", headers={"Content-Encoding": "br"}))
    async with fetcher() as f:
        result = await f.fetch(server.url("/br"))
    assert result.error and "Content-Encoding" in result.error


async def test_timeout_is_a_whole_fetch_deadline(server: FeedServer) -> None:
    server.route("/stall", Reply(body=RSS, delay=2.0))
    server.route("/drip", Reply(body=b"x" * 20_000, drip=0.05))  # each read is quick, total not
    async with fetcher(timeout=0.3) as f:
        stalled, dripped = await asyncio.gather(
            f.fetch(server.url("/stall")), f.fetch(server.url("/drip"))
        )
    for result in (stalled, dripped):
        assert result.error and "timed out" in result.error and result.body is None
        assert result.elapsed < 1.5


async def test_connection_refused_is_a_result_not_an_exception() -> None:
    with FeedServer() as srv:
        dead_url = srv.url("/feed")
    async with fetcher(timeout=2.0) as f:
        result = await f.fetch(dead_url)
    assert result.status is None and result.error and not result.ok


async def test_loopback_refused_unless_allowed(server: FeedServer) -> None:
    server.route("/feed", RSS)
    async with FeedFetcher() as f:
        result = await f.fetch(server.url("/feed"))
    assert result.status is None and result.error and "loopback" in result.error
    assert server.requests == []


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://0.0.0.0:{port}/feed", "unspecified"),  # 0.0.0.0 would reach us on Linux
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
async def test_redirect_to_internal_address_refused(
    server: FeedServer, target: str, reason: str
) -> None:
    server.route("/feed", RSS)
    server.redirect("/hop", target.format(port=server.port), 302)
    async with fetcher() as f:  # private networks allowed: these stay refused anyway
        result = await f.fetch(server.url("/hop"))
    assert result.error and reason in result.error and result.body is None
    assert [r.path for r in server.requests] == ["/hop"]


async def test_redirect_to_private_network_refused_by_default() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(301, headers={"Location": "http://10.0.0.5/admin"})

    async def resolver(host: str, port: int) -> list[str]:
        return {"news.example": ["93.184.216.34"]}[host]

    async with FeedFetcher(transport=httpx.MockTransport(handler), resolver=resolver) as f:
        result = await f.fetch("http://news.example/feed")
    assert seen == ["http://news.example/feed"]
    assert result.error and "private address 10.0.0.5" in result.error


async def test_dns_rebinding_between_check_and_connect_is_caught(server: FeedServer) -> None:
    server.route("/feed", RSS)
    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)  # public for the pre-check, loopback for the connect

    async with FeedFetcher(resolver=rebinding, timeout=2.0) as f:
        assert f.rebinding_guard
        result = await f.fetch(f"http://rebind.test:{server.port}/feed")
    assert result.error and "loopback" in result.error
    # Refused like an answer the pre-check saw: the poll disables the feed, naming the name.
    assert result.refused is not None
    assert result.refused.what == "rebind.test resolves to loopback address 127.0.0.1"
    assert server.requests == []


async def test_per_host_concurrency_limit(server: FeedServer) -> None:
    for i in range(6):
        server.route(f"/f{i}", RSS, delay=0.1)
    async with fetcher(per_host_limit=2) as f:
        results = await asyncio.gather(*(f.fetch(server.url(f"/f{i}")) for i in range(6)))
    assert all(r.ok for r in results)
    assert server.max_in_flight == 2


async def test_limit_is_per_host_name(server: FeedServer) -> None:
    for i in range(4):
        server.route(f"/f{i}", RSS, delay=0.1)

    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    urls = [f"http://{h}.test:{server.port}/f{i}" for i, h in enumerate("aabb")]
    async with fetcher(per_host_limit=1, resolver=resolver) as f:
        results = await asyncio.gather(*(f.fetch(u) for u in urls))
    assert all(r.ok for r in results)
    assert server.max_in_flight == 2  # one per host name, two hosts


async def test_failures_back_off_then_disable(server: FeedServer) -> None:
    server.route("/broken", Reply(status=500))
    state = FeedPollState(url=server.url("/broken"), poll_interval=600)
    rng = random.Random(7)
    async with fetcher() as f:
        for _ in range(3):
            result = await f.fetch(state.url)
            # No wait before disabling: the count is what this checks.
            out = apply_fetch_result(
                state, result, NOW, max_failures=3, disable_after=timedelta(0), rng=rng
            )
            state.consecutive_failures = out.consecutive_failures
    assert out.disabled_reason and "(3 failed polls in a row)" in out.disabled_reason
    assert "HTTP 500" in out.disabled_reason


@pytest.mark.parametrize("url", ["http://0177.0.0.1/", "not a url", "", "http://[::1/feed"])
async def test_bad_urls_are_results_not_exceptions(url: str) -> None:
    async with FeedFetcher() as f:
        result = await f.fetch(url)
    assert result.error and result.status is None and not result.ok


async def test_slow_dns_counts_against_the_deadline() -> None:
    async def hanging(host: str, port: int) -> list[str]:
        await asyncio.sleep(10)
        return ["93.184.216.34"]

    async with FeedFetcher(resolver=hanging, timeout=0.2) as f:
        result = await f.fetch("http://slow-dns.test/feed")
    assert result.error and "timed out" in result.error and result.elapsed < 1.0
