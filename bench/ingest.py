"""End-to-end ingest bench: 200 real feeds served from 127.0.0.1, polled through the real path.

    .venv/bin/python bench/ingest.py            # all 200 feeds (the naive loop takes minutes)
    .venv/bin/python bench/ingest.py --quick    # every 4th feed, for a fast sanity check

Measured in one run, on the same bytes:
  * end to end: FeedFetcher (guarded transport, per-host and total limits, gzip decoding with the
    size cap) + parse_feed, all feeds concurrently; once parsing inline in the event loop and once
    in worker threads; then a second, conditional poll (ETag) where every feed answers 304;
  * parse-only ceiling: parse_feed over the bytes already in memory, sequentially;
  * naive baseline: a sequential loop of httpx.get + feedparser.parse(bytes).

The server runs in a child process so its work does not share the GIL with the client. Each feed
is reached through its own host name (feedNNN.bench.test, resolved to 127.0.0.1 by a stub
resolver), so the per-host limit acts as it would against 200 real hosts. Bodies are served
gzip-compressed with an ETag, as most real feed hosts do.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # benches run as plain scripts
    sys.path.insert(0, str(REPO))

import feedparser  # noqa: E402
import httpx  # noqa: E402

from bot import USER_AGENT  # noqa: E402
from bot.feedserver import FeedServer, Reply  # noqa: E402
from bot.ingest.errors import FeedParseError  # noqa: E402
from bot.ingest.fetcher import FeedFetcher, FetchResult  # noqa: E402
from bot.ingest.parser import parse_feed  # noqa: E402


def data_dir() -> Path:
    return Path(os.environ.get("NEWSDIGEST_DATA", REPO.parent / "shared" / "data"))


def load_corpus(step: int) -> list[tuple[str, bytes]]:
    folder = data_dir() / "feeds" / "fastfeedparser" / "benchmark_data"
    if not folder.is_dir():
        return []
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()][::step]


def _content_type(body: bytes) -> str:
    return "application/feed+json" if body.lstrip()[:1] == b"{" else "application/xml"


def serve(corpus: list[tuple[str, bytes]], conn: Connection) -> None:
    """Child process: serve every feed gzip-compressed with an ETag until told to stop."""
    with FeedServer() as srv:
        for name, body in corpus:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
            reply = Reply(
                body=gzip.compress(body, 6), content_type=_content_type(body), etag=etag,
                headers=headers,
            )  # fmt: skip
            srv.route(f"/{name}", reply)
        conn.send(srv.port)
        conn.recv()  # block until the parent is done


@dataclass
class Tally:
    seconds: float = 0.0
    feeds: int = 0
    entries: int = 0
    not_modified: int = 0
    failures: list[str] = field(default_factory=list)

    def rate(self) -> float:
        return self.feeds / self.seconds if self.seconds else 0.0


async def _bench_resolver(host: str, port: int) -> list[str]:
    if host.endswith(".bench.test"):
        return ["127.0.0.1"]
    raise OSError(f"bench resolver only knows *.bench.test, not {host}")


async def poll_all(
    urls: list[str], etags: dict[str, str | None], *, threaded: bool
) -> tuple[Tally, dict[str, str | None]]:
    tally = Tally()
    new_etags: dict[str, str | None] = {}

    async def one(fetcher: FeedFetcher, url: str) -> None:
        result: FetchResult = await fetcher.fetch(url, etag=etags.get(url))
        new_etags[url] = result.etag
        if result.error is not None or result.status is None:
            tally.failures.append(f"{url}: {result.error}")
            return
        if result.status == 304:
            tally.not_modified += 1
            return
        assert result.body is not None
        try:
            if threaded:
                feed = await asyncio.to_thread(parse_feed, result.body, url=url)
            else:
                feed = parse_feed(result.body, url=url)
        except FeedParseError as exc:
            tally.failures.append(f"{url}: {exc}")
            return
        tally.entries += len(feed.entries)

    started = time.perf_counter()
    async with FeedFetcher(allow_private_networks=True, resolver=_bench_resolver) as fetcher:
        await asyncio.gather(*(one(fetcher, u) for u in urls))
    tally.seconds = time.perf_counter() - started
    tally.feeds = len(urls)
    return tally, new_etags


def parse_only(corpus: list[tuple[str, bytes]]) -> Tally:
    tally = Tally(feeds=len(corpus))
    started = time.perf_counter()
    for name, body in corpus:
        try:
            tally.entries += len(parse_feed(body).entries)
        except FeedParseError as exc:
            tally.failures.append(f"{name}: {exc}")
    tally.seconds = time.perf_counter() - started
    return tally


def naive_loop(urls: list[str]) -> Tally:
    """What one writes first: sequential GET, then feedparser on the bytes."""
    tally = Tally(feeds=len(urls))
    started = time.perf_counter()
    with httpx.Client(headers={"User-Agent": USER_AGENT}, trust_env=False) as client:
        for url in urls:
            try:
                resp = client.get(url)
                resp.raise_for_status()
            except httpx.HTTPError as exc:
                tally.failures.append(f"{url}: {exc}")
                continue
            parsed = feedparser.parse(resp.content)
            if parsed.bozo and not parsed.entries:
                tally.failures.append(f"{url}: {parsed.get('bozo_exception')}")
            tally.entries += len(parsed.entries)
    tally.seconds = time.perf_counter() - started
    return tally


def row(label: str, t: Tally) -> str:
    extra = f", {t.not_modified} x 304" if t.not_modified else ""
    return (
        f"{label:<46} {t.rate():8.1f} feeds/s  {t.seconds:7.2f} s  "
        f"{t.entries:6d} entries  {len(t.failures)} failures{extra}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="every 4th feed only")
    ap.add_argument("--skip-naive", action="store_true", help="skip the slow feedparser loop")
    args = ap.parse_args()

    corpus = load_corpus(4 if args.quick else 1)
    if not corpus:
        print(f"skipped: no feed corpus under {data_dir()} (set NEWSDIGEST_DATA)")
        return 0
    size_mb = sum(len(b) for _, b in corpus) / 1e6
    print(f"{len(corpus)} feeds, {size_mb:.1f} MB, served gzip-compressed from 127.0.0.1")

    parent, child = mp.Pipe()
    proc = mp.get_context("fork").Process(target=serve, args=(corpus, child), daemon=True)
    proc.start()
    try:
        port = parent.recv()
        host_urls = [f"http://feed{i:03d}.bench.test:{port}/{n}" for i, (n, _) in enumerate(corpus)]
        plain_urls = [f"http://127.0.0.1:{port}/{n}" for n, _ in corpus]

        inline, etags = asyncio.run(poll_all(host_urls, {}, threaded=False))
        threaded, _ = asyncio.run(poll_all(host_urls, {}, threaded=True))
        conditional, _ = asyncio.run(poll_all(host_urls, etags, threaded=False))
        ceiling = parse_only(corpus)
        naive = None if args.skip_naive else naive_loop(plain_urls)
    finally:
        parent.send("stop")
        proc.join(timeout=5)

    print(row("end to end, concurrent, parse inline", inline))
    print(row("end to end, concurrent, parse in threads", threaded))
    print(row("second poll, conditional GET (all 304)", conditional))
    print(row("parse-only ceiling (parse_feed on bytes)", ceiling))
    if naive is not None:
        print(row("naive: sequential httpx.get + feedparser", naive))
        if naive.rate():
            print(f"end to end is {inline.rate() / naive.rate():.1f}x the naive loop")
    for failure in (inline.failures + ceiling.failures)[:10]:
        print("  failure:", failure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
