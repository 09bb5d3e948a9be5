"""`/feeds add` of a URL whose host is an address the fetcher refuses: not stored (as by
`newsdigest feeds add` and `feeds import`), and the reply says why and which setting, if any,
allows it. Stored, the feed would fail at every poll."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.store.database import open_database
from bot.store.feeds import list_feeds

SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")


@pytest.fixture
def guarded_core(sample_config: Config, tmp_path: Path) -> Iterator[NewsDigest]:
    """`core` with private networks refused, as by default (the fixture allows them for its
    loopback feed server)."""
    config = dataclasses.replace(
        sample_config,
        polling=dataclasses.replace(sample_config.polling, allow_private_networks=False),
    )
    app = NewsDigest(config, db=open_database(tmp_path / "guarded.db"))
    yield app
    app.close()


PRIVATE = "(set allow_private_networks = true under [polling] to allow it), then add it again."


async def test_feeds_add_refuses_a_private_address(guarded_core: NewsDigest) -> None:
    admin = dataclasses.replace(SLACK, is_admin=True)
    commands = Commands(guarded_core)
    reply = await commands.dispatch("feeds", "add http://10.0.0.5/rss.xml", admin)
    assert reply.text == (
        "Not added: `http://10.0.0.5/rss.xml`: refusing to fetch from private address 10.0.0.5 "
        f"{PRIVATE}"
    )
    loopback = await commands.dispatch("feeds", "add http://localhost:8080/feed", admin)
    assert loopback.text == (
        "Not added: `http://localhost:8080/feed`: refusing to fetch from loopback address "
        f"localhost {PRIVATE}"
    )
    assert list_feeds(guarded_core.db) == []
    public = await commands.dispatch("feeds", "add https://news.example/rss", admin)
    assert public.text == (
        "Added feed `https://news.example/rss`. Not fetched yet: its first poll, within a few "
        "minutes, says whether it is a feed (/feeds list shows what it found)."
    )
    assert [f.url for f in list_feeds(guarded_core.db)] == ["https://news.example/rss"]


async def test_feeds_add_of_a_private_address_allowed_by_the_config(core: NewsDigest) -> None:
    admin = dataclasses.replace(SLACK, is_admin=True)
    reply = await Commands(core).dispatch("feeds", "add http://10.0.0.5/rss.xml", admin)
    assert reply.text == (
        "Added feed `http://10.0.0.5/rss.xml`. Not fetched yet: its first poll, within a few "
        "minutes, says whether it is a feed (/feeds list shows what it found)."
    )


@pytest.mark.parametrize(
    ("platform", "add"), [("slack", "/feeds add <url>"), ("discord", "/feeds add url:<url>")]
)
async def test_an_empty_feed_list_says_how_to_add_one_in_the_platforms_syntax(
    guarded_core: NewsDigest, platform: str, add: str
) -> None:
    ctx = dataclasses.replace(SLACK, platform=platform)
    reply = await Commands(guarded_core).dispatch("feeds", "list", ctx)
    assert reply.text == f"No feeds yet. An admin can add one with {add}."


@pytest.mark.parametrize("allowed", [False, True])
async def test_an_address_no_setting_allows_is_never_added(
    guarded_core: NewsDigest, core: NewsDigest, allowed: bool
) -> None:
    app = core if allowed else guarded_core
    admin = dataclasses.replace(SLACK, is_admin=True)
    reply = await Commands(app).dispatch(
        "feeds", "add http://169.254.169.254/latest/meta-data", admin
    )
    assert reply.text == (
        "Not added: `http://169.254.169.254/latest/meta-data`: refusing to fetch from link-local "
        "address 169.254.169.254; no setting allows it."
    )
    assert [f for f in list_feeds(app.db) if "169.254" in f.url] == []


@pytest.mark.parametrize(
    ("url", "reply"),
    [
        (
            "file:///etc/passwd",
            "Not added: only http:// and https:// feed URLs are allowed, got 'file:///etc/passwd'.",
        ),
        (
            "q.example.org/rss",
            "Not added: the URL has no http:// or https://: 'q.example.org/rss'; did you mean "
            "https://q.example.org/rss?",
        ),
        (
            "http://u:p@x.example/",
            "Not added: feed URLs with a user name or password are not allowed.",
        ),
    ],
)
async def test_a_url_that_is_no_feed_address_is_refused_in_a_sentence(
    guarded_core: NewsDigest, url: str, reply: str
) -> None:
    # The command line's wording ("Error: only http:// …") was the whole reply, in lowercase.
    admin = dataclasses.replace(SLACK, is_admin=True)
    refused = await Commands(guarded_core).dispatch("feeds", f"add {url}", admin)
    assert refused.text == reply
    assert all(feed.url != url for feed in list_feeds(guarded_core.db))
