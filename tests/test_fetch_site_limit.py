"""The per-host limit covers a site, not a host name as written: thirty feeds on thirty
subdomains of one blog platform, or one server spelt "LOCALHOST" and "localhost.", took twenty
connections at once where the limit is two. Real fetcher and a loopback server."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import FeedFetcher, site_key

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("user7.blogplatform.example", "blogplatform.example"),
        ("Feeds.Example.COM.", "example.com"),
        ("news.paper.co.uk", "paper.co.uk"),
        ("www.abc.net.au", "abc.net.au"),
        # Suffixes no rule of thumb knew (the public suffix list does): each one site.
        ("news.example.co.uk", "example.co.uk"),
        ("a.b.example.com.au", "example.com.au"),
        ("www.city.kawasaki.jp", "city.kawasaki.jp"),
        ("news.ward.kawasaki.jp", "news.ward.kawasaki.jp"),
        ("www.sat.gob.mx", "sat.gob.mx"),
        ("news.example.ltd.uk", "example.ltd.uk"),
        ("news.example.gov.uk", "example.gov.uk"),
        ("desk.example.com.br", "example.com.br"),
        ("feeds.example.co.jp", "example.co.jp"),
        ("a.b.example.k12.ma.us", "example.k12.ma.us"),
        # A platform's blogs are its users' own sites, but one platform's servers.
        ("alice.github.io", "github.io"),
        ("foo.blogspot.com", "blogspot.com"),
        ("новости.пример.рф", "пример.рф"),
        ("10.0.0.5", "10.0.0.5"),
        ("co.uk", "co.uk"),
        ("localhost", "localhost"),
        ("LOCALHOST.", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "::1"),
    ],
)
def test_site_key(host: str, site: str) -> None:
    assert site_key(host) == site


async def test_subdomains_of_one_site_share_its_limit(server: FeedServer) -> None:
    async def to_loopback(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    server.route("/slow", Reply(body=RSS, delay=0.3))
    port = server.url("/").split(":")[-1].split("/")[0]
    async with FeedFetcher(
        allow_private_networks=True, timeout=10, resolver=to_loopback, per_host_limit=2
    ) as fetcher:
        started = time.monotonic()
        results = await asyncio.gather(
            *(fetcher.fetch(f"http://user{i}.blogplatform.test:{port}/slow") for i in range(6))
        )
        elapsed = time.monotonic() - started
    assert all(r.ok for r in results), [r.error for r in results]
    # Six 0.3 s answers, two at a time: three rounds at the least (twenty at once took one).
    assert elapsed >= 0.85
