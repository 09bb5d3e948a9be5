"""Bodies cut off in transit: a server that closes the connection early must not pass for one
that sent the whole feed, or the half feed is stored with its ETag and the next poll's 304 hides
the rest until the feed changes.

`bot.feedserver` always sends a correct Content-Length, so these tests speak raw HTTP/1.1 from
an asyncio server on 127.0.0.1: whatever bytes a reply holds go out, then the connection closes.
"""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.ingest.fetcher import FeedFetcher
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

T = datetime(2026, 2, 19, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)


def _feed(count: int) -> bytes:
    # Varied filler, so the compressed stream is long enough to cut in the middle.
    items = "".join(
        f"<item><title>Harbour story {i}</title><guid>h{i}</guid>"
        f"<link>https://harbour.example/{i}</link>"
        f"<pubDate>{format_datetime(T - timedelta(hours=i))}</pubDate>"
        f"<description>{' '.join(f'Ferry {i * 7 + j} left pier {j}.' for j in range(60))}"
        "</description></item>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title>'
        f"{items}</channel></rss>"
    ).encode()


RSS = _feed(40)


def _response(body: bytes, *headers: str, status: str = "200 OK") -> bytes:
    head = [f"HTTP/1.1 {status}", "Content-Type: application/rss+xml", *headers]
    head.append("Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _deflate(data: bytes, *, raw: bool) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


class RawServer:
    """Answers the n-th request with the n-th scripted bytes (the last repeats), then hangs up."""

    def __init__(self, *replies: bytes) -> None:
        self.replies = list(replies)
        self.requests: list[str] = []
        self._server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        self.requests.append(head.decode("latin-1"))
        writer.write(self.replies[min(len(self.requests), len(self.replies)) - 1])
        await writer.drain()
        writer.close()

    def url(self, path: str = "/feed") -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}{path}"

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


@pytest.fixture
async def fetcher() -> AsyncIterator[FeedFetcher]:
    async with FeedFetcher(allow_private_networks=True, timeout=5.0) as f:
        yield f


@pytest.mark.parametrize(
    ("coding", "packed"),
    [
        ("gzip", gzip.compress(RSS)),
        ("x-gzip", gzip.compress(RSS)),
        ("deflate", _deflate(RSS, raw=False)),
        ("deflate", _deflate(RSS, raw=True)),
        # Concatenated members are legal; the second one is the one cut short.
        ("gzip", gzip.compress(RSS[:5000]) + gzip.compress(RSS[5000:])),
    ],
    ids=["gzip", "x-gzip", "zlib-deflate", "raw-deflate", "second-gzip-member"],
)
async def test_compressed_body_cut_off_without_length_is_an_error(
    fetcher: FeedFetcher, coding: str, packed: bytes
) -> None:
    cut = packed[: len(packed) * 3 // 4]
    header = f"Content-Encoding: {coding}"
    async with RawServer(_response(cut, header, 'ETag: "v1"'), _response(packed, header)) as srv:
        first = await fetcher.fetch(srv.url())
        second = await fetcher.fetch(srv.url())
    assert first.status == 200 and not first.ok
    assert first.error == f"truncated {coding} body" and first.body is None
    # The same stream, whole and ended by the close alone, is a good feed.
    assert second.ok and second.error is None and second.body == RSS


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (RSS[:3000], [f"Content-Length: {len(RSS)}"]),
        (
            gzip.compress(RSS)[:3000],
            ["Content-Encoding: gzip", f"Content-Length: {len(gzip.compress(RSS))}"],
        ),
        (b"%x\r\n%s" % (len(RSS), RSS[:3000]), ["Transfer-Encoding: chunked"]),
    ],
    ids=["plain-short-of-length", "gzip-short-of-length", "chunked-cut-mid-chunk"],
)
async def test_body_short_of_its_declared_framing_is_an_error(
    fetcher: FeedFetcher, body: bytes, headers: list[str]
) -> None:
    # The HTTP layer (h11) already knows these bodies are short; this pins that it stays so.
    async with RawServer(_response(body, *headers)) as srv:
        result = await fetcher.fetch(srv.url())
    assert not result.ok and result.body is None
    assert result.error and "RemoteProtocolError" in result.error


async def test_poll_of_a_cut_off_feed_keeps_the_old_validators(
    db: sqlite_utils.Database,
) -> None:
    packed = gzip.compress(RSS)
    cut = _response(packed[: len(packed) // 2], "Content-Encoding: gzip", 'ETag: "v2"')
    whole = _response(packed, "Content-Encoding: gzip", 'ETag: "v2"')
    async with RawServer(cut, whole) as srv:
        feed_store.add_feed(db, srv.url())
        feed_store.update_feed(db, feed_store.list_feeds(db)[0].id, etag='"v1"')

        first = (await poll_feeds(db, POLLING, now=T)).feeds[0]
        (feed,) = feed_store.list_feeds(db)
        assert first.status == "failed" and first.error == "truncated gzip body"
        assert first.new_articles == 0 and feed.etag == '"v1"'

        second = (await poll_feeds(db, POLLING, feeds=[feed], now=T + timedelta(hours=1))).feeds[0]
    # The retry asked with the old ETag, so it got the whole feed rather than a 304.
    assert 'If-None-Match: "v1"' in srv.requests[1]
    assert second.status == "new" and second.new_articles == 40
    assert feed_store.list_feeds(db)[0].etag == '"v2"'
