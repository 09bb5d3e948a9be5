"""An outlet is a site, not a feed: a paper's section feeds are one source when "N sources" are
counted, while each of their articles is still listed. Real feeds over loopback HTTP, a real
SQLite file, the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import NewsDigest
from bot.cluster.wire import independent_sources
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig
from bot.demo.feeds import render_feed
from bot.demo.sample_news import ITEMS, OUTLETS, Outlet
from bot.feedserver import FeedServer, Reply
from bot.models import Article
from bot.outlets import outlet_names, story_outlets
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import open_database
from bot.store.feed_outlets import outlet_key, outlet_name
from bot.summarize import summarize

# The lunar-lander story of the sample news, as three section desks of one paper would run it.
MOON = [i for i in ITEMS if i.story == "lunar-lander"]
SECTIONS = [
    Outlet("omega-world", "Omega Times - World", "https://www.omegatimes.example/world", "rss2"),
    Outlet("omega-biz", "Omega Times - Business", "https://omegatimes.example/business", "atom"),
    Outlet("omega-opinion", "Omega Times - Opinion", "https://omegatimes.example/opinion", "rss2"),
]
OMEGA = "https://feeds.omegatimes.example/world.xml"
LEDGER = next(o for o in OUTLETS if o.slug == "northern-ledger")


@pytest.fixture
def omega(now: datetime) -> Iterator[FeedServer]:
    routes: dict[str, Reply | bytes] = {}
    for outlet, item in zip(SECTIONS, MOON[:3], strict=True):
        body, ctype = render_feed(outlet, [item], now)
        routes[f"/{outlet.slug}/feed"] = Reply(body=body, content_type=ctype)
    body, ctype = render_feed(LEDGER, [MOON[3]], now)
    routes["/ledger/feed"] = Reply(body=body, content_type=ctype)
    with FeedServer(routes) as server:
        yield server


def console_core(tmp_path: Path, feeds: list[FeedConfig]) -> NewsDigest:
    """A core over a new database with `feeds` and one console channel, its config synced."""
    config = Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
        feeds=feeds,
        channels=[ChannelConfig(platform="console", id="team", name="#team")],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    core.sync_config()
    return core


def only_story(core: NewsDigest) -> story_store.StoryRow:
    stories = story_store.recent_stories(core.db)
    assert len(stories) == 1
    return stories[0]


async def test_three_section_feeds_of_one_paper_are_one_source(
    tmp_path: Path, omega: FeedServer
) -> None:
    core = console_core(tmp_path, [FeedConfig(url=omega.url(f"/{o.slug}/feed")) for o in SECTIONS])
    await core.poll()
    story = only_story(core)
    assert (story.article_count, story.outlet_count, story.source_count) == (3, 1, 1)

    card = core.card(story)
    assert card.source_count == 1
    assert card.outlets == ["Omega Times"]
    # Every article is listed, each under the paper's name (the section suffix dropped).
    assert [(s.source, s.title) for s in card.sources] == [
        ("Omega Times", MOON[0].title),
        ("Omega Times", MOON[1].title),
        ("Omega Times", MOON[2].title),
    ]
    # One outlet does not clear the channel's default bar of two independent sources.
    channel = channel_store.get_channel(core.db, "console", "team")
    assert channel is not None and channel.min_sources == 2
    assert core.digest(channel).cards == []

    # Another paper joins: now two sources.
    feed_store.add_feed(core.db, omega.url("/ledger/feed"))
    await core.poll()
    story = only_story(core)
    assert (story.article_count, story.outlet_count, story.source_count) == (4, 2, 2)
    card = core.card(story)
    assert card.outlets == ["Omega Times", LEDGER.name]
    assert len(card.sources) == 4
    assert [c.story_id for c in core.digest(channel).cards] == [story.id]
    core.close()


async def test_configured_names_are_shown_but_one_site_still_counts_once(
    tmp_path: Path, omega: FeedServer
) -> None:
    feeds = [
        FeedConfig(url=omega.url(f"/{o.slug}/feed"), name=name)
        for o, name in zip(SECTIONS, ["Omega World", "Omega Money", "Omega Views"], strict=True)
    ]
    core = console_core(tmp_path, feeds)
    await core.poll()
    story = only_story(core)
    assert (story.outlet_count, story.source_count) == (1, 1)
    card = core.card(story)
    assert card.source_count == 1
    assert card.outlets == ["Omega World"]
    assert [s.source for s in card.sources] == ["Omega World", "Omega Money", "Omega Views"]
    core.close()


async def test_one_configured_name_for_all_sections_lists_every_article(
    tmp_path: Path, omega: FeedServer
) -> None:
    """The old workaround (one `name` for the three feeds) counted one source but listed one of
    the three articles."""
    feeds = [FeedConfig(url=omega.url(f"/{o.slug}/feed"), name="Omega") for o in SECTIONS]
    core = console_core(tmp_path, feeds)
    await core.poll()
    card = core.card(only_story(core))
    assert card.source_count == 1
    assert [s.title for s in card.sources] == [i.title for i in MOON[:3]]
    core.close()


@pytest.mark.parametrize(
    ("url", "site", "key"),
    [
        ("https://feeds.omegatimes.example/world.xml", None, "omegatimes.example"),
        (
            "https://rss.omegatimes.example/b",
            "https://www.omegatimes.example/biz",
            "omegatimes.example",
        ),
        (
            "https://omegatimes.example/feed",
            "https://WWW.OmegaTimes.example./",
            "omegatimes.example",
        ),
        # A subdomain that is a site of its own stays apart.
        ("https://alice.blogspot.example/feed", None, "alice.blogspot.example"),
        # Hosts of many publishers: the publisher's path is part of the key.
        ("https://feeds.feedburner.com/OmegaWorld", None, "feedburner.com/omegaworld"),
        ("https://github.com/acme/widget/releases.atom", None, "github.com/acme"),
        ("https://www.reddit.com/r/worldnews/.rss", None, "reddit.com/r/worldnews"),
        # Accounts on a host of many: each is an outlet of its own.
        ("https://mastodon.social/@nytimes", None, "mastodon.social/@nytimes"),
        ("https://mastodon.social/@guardian.rss", None, "mastodon.social/@guardian"),
        ("https://tilde.club/~alice/feed.xml", None, "tilde.club/~alice"),
        ("https://bsky.app/profile/reuters.com/rss", None, "bsky.app/profile/reuters.com"),
        ("https://bsky.app/profile/apnews.com", None, "bsky.app/profile/apnews.com"),
        ("https://t.me/s/omegawire", None, "t.me/omegawire"),
        ("https://t.me/omegawire", None, "t.me/omegawire"),
        ("https://t.me/s/harbourwire", None, "t.me/harbourwire"),
        (
            "https://medium.com/feed/@alice",
            "https://medium.com/@alice?source=rss",
            "medium.com/@alice",
        ),
        ("https://medium.com/feed/@alice", None, "medium.com/@alice"),
        (
            "https://www.youtube.com/feeds/videos.xml?channel_id=UC1",
            None,
            "youtube.com/channel/uc1",
        ),
        (
            "https://www.youtube.com/feeds/videos.xml?channel_id=UC2",
            None,
            "youtube.com/channel/uc2",
        ),
        ("https://www.youtube.com/channel/UC1", None, "youtube.com/channel/uc1"),
        ("https://www.youtube.com/@omega/videos", None, "youtube.com/@omega"),
        # The site link wins over where the feed is served from.
        ("https://feeds.feedburner.com/Omega", "https://omegatimes.example/", "omegatimes.example"),
        # A bare address names a machine, not a site: the feed's name stands for its outlet.
        ("http://127.0.0.1:8080/feed", "http://127.0.0.1:8080/", None),
        ("http://localhost/feed", None, None),
        ("http://[::1]:8080/feed", None, None),
    ],
)
def test_outlet_key(url: str, site: str | None, key: str | None) -> None:
    assert outlet_key(url, site) == key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://mastodon.social/@nytimes", "https://mastodon.social/@guardian"),
        ("https://bsky.app/profile/reuters.com", "https://bsky.app/profile/apnews.com"),
        ("https://t.me/s/a_channel", "https://t.me/s/b_channel"),
        ("https://t.me/a_channel", "https://t.me/b_channel"),
        ("https://medium.com/feed/@alice", "https://medium.com/feed/@bob"),
    ],
)
def test_accounts_on_one_host_are_different_outlets(first: str, second: str) -> None:
    assert outlet_key(first) != outlet_key(second)
    assert outlet_key(first, second) == outlet_key(second)  # the site link still wins


@pytest.mark.parametrize(
    ("name", "title", "url", "shown"),
    [
        (None, "Omega Times - World", OMEGA, "Omega Times"),
        (None, "Omega Times – World", OMEGA, "Omega Times"),
        (None, "Omega Times > World News", OMEGA, "Omega Times"),
        (None, "Omega Times: World", OMEGA, "Omega Times"),
        (None, "Omega Times | Section", OMEGA, "Omega Times"),
        (None, "Omega Times » Opinion", OMEGA, "Omega Times"),
        (None, "World | Omega Times", OMEGA, "Omega Times"),
        (None, "Omega Times", OMEGA, "Omega Times"),
        (None, "Spider-Man Daily", OMEGA, "Spider-Man Daily"),
        (None, "  ", OMEGA, "feeds.omegatimes.example"),
        (None, "BBC News - Home", "https://feeds.bbci.co.uk/news/rss.xml", "BBC News - Home"),
        (None, "NYT > Top Stories", "https://rss.nytimes.com/top.xml", "NYT"),
        # Neither part names the site, nor anyone: the site's host, since "Latest News" of two
        # sites would be one name.
        (None, "Latest News - World", OMEGA, "omegatimes.example"),
        (None, "Omega Times - World", "http://127.0.0.1:8080/feed", "Omega Times - World"),
        ("Omega World", "Omega Times - World", OMEGA, "Omega World"),
    ],
)
def test_outlet_name(name: str | None, title: str, url: str, shown: str) -> None:
    assert outlet_name(name, title, url) == shown


def test_outlet_name_uses_the_site_link() -> None:
    title = "BBC News - Home"
    assert (
        outlet_name(
            None, title, "https://feeds.bbci.co.uk/news/rss.xml", "https://www.bbc.co.uk/news"
        )
        == "BBC News"
    )


async def test_two_sites_called_news_are_two_names_on_the_card_as_in_the_summary(
    tmp_path: Path, now: datetime
) -> None:
    """Two sites whose feeds are both called "Courier" are two outlets: the card listed "Courier"
    twice while the summary credited "Courier" and "Courier (two.example)", so a bullet could name an
    outlet the card did not. Section feeds of one site are still one name."""
    sites = [
        # A name, not a generic title such as "News", which now gives the site's host.
        Outlet("news-one", "Courier", "https://one.example/", "rss2"),
        Outlet("news-two", "Courier", "https://two.example/", "atom"),
        *SECTIONS[:2],
    ]
    routes: dict[str, Reply | bytes] = {}
    for outlet, item in zip(sites, MOON[:4], strict=True):
        body, ctype = render_feed(outlet, [item], now)
        routes[f"/{outlet.slug}/feed"] = Reply(body=body, content_type=ctype)
    with FeedServer(routes) as server:
        core = console_core(
            tmp_path, [FeedConfig(url=server.url(f"/{o.slug}/feed")) for o in sites]
        )
        await core.poll()
    story = only_story(core)
    members = article_store.story_articles(core.db, story.id)
    card = core.card(story)
    assert sorted(card.outlets) == ["Courier", "Courier (two.example)", "Omega Times"]
    assert story.outlet_count == card.outlet_count == 3
    assert card.outlets == story_outlets(members) == list(dict.fromkeys(outlet_names(members)))
    named = {s for b in card.tldr for s in b.sources} | {a.source for a in card.angles}
    named |= {o for g in card.wire_groups for o in g} | set(card.also_reporting)
    assert named <= set(card.outlets)
    core.close()


def test_outlets_are_counted_by_site_and_named_by_source() -> None:
    def art(i: int, source: str, outlet: str | None) -> Article:
        return Article(id=f"a{i}", source=source, title=f"Title {i}", text="", outlet=outlet)

    members = [
        art(1, "Omega Times", "omegatimes.example"),
        art(2, "Omega Times - Business", "omegatimes.example"),
        art(3, "News", "one.example"),
        art(4, "News", "two.example"),
        art(5, "Desk", None),  # no site: the name is the outlet
        art(6, "Desk", None),
    ]
    assert story_outlets(members) == ["Omega Times", "News", "News (two.example)", "Desk"]
    assert independent_sources(members) == (4, [])


def test_new_articles_know_their_outlet(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    feed = feed_store.add_feed(db, "https://feeds.omegatimes.example/world.xml")
    row = {"feed_id": feed.id, "source": "Omega Times", "guid": "g1", "url": None}
    row |= {"canonical_url": None, "title": "Lander lands", "text": "", "published": None}
    (new,) = article_store.insert_new(db, [{**row, "seen_at": datetime(2026, 1, 1, tzinfo=UTC)}])
    assert new.outlet == "omegatimes.example"
    assert [a.outlet for a in article_store.unclustered(db)] == ["omegatimes.example"]


@pytest.mark.parametrize("sections", [2, 3])
async def test_tldr_and_angles_count_a_site_once_under_its_feeds_names(
    tmp_path: Path, omega: FeedServer, sections: int
) -> None:
    """Section feeds of one site configured under different names: the summary counts and names
    the site as the card's header does. Keyed by feed name, bullets were credited to "Omega
    Business", which the card does not list, one read "reported by 2 of 2" under "1 source
    tracking this story", and the paper had angles of its own story."""
    names = ["Omega World", "Omega Business", "Omega Views"][:sections]
    feeds = [
        FeedConfig(url=omega.url(f"/{o.slug}/feed"), name=name)
        for o, name in zip(SECTIONS, names, strict=False)
    ]
    core = console_core(tmp_path, feeds)
    await core.poll()
    card = core.card(only_story(core))
    assert card.source_count == 1
    assert card.tldr
    assert [card.corroboration(b) for b in card.tldr] == ["reported by 1 of 1"] * len(card.tldr)
    assert {s for b in card.tldr for s in b.sources} == {"Omega World"}
    # The lead outlet has no angle, and is not "also reporting" under its other feed's name.
    assert card.angles == [] and card.also_reporting == []

    feed_store.add_feed(core.db, omega.url("/ledger/feed"))
    await core.poll()
    card = core.card(only_story(core))
    assert (card.source_count, card.outlets) == (2, ["Omega World", LEDGER.name])
    for bullet in card.tldr:
        assert set(bullet.sources) <= {"Omega World", LEDGER.name}
        assert card.corroboration(bullet) in ("reported by 1 of 2", "reported by 2 of 2")
    named = [a.source for a in card.angles] + card.also_reporting
    assert not set(named) & set(names[1:])
    assert len(named) == len(set(named)) == 1  # the one outlet that is not the lead
    core.close()


def test_summary_outlets_follow_the_site_and_take_its_first_name() -> None:
    def art(i: int, source: str, outlet: str | None) -> Article:
        return Article(id=f"a{i}", source=source, title=f"Title {i}", text="", outlet=outlet)

    members = [
        art(1, "Omega World", "omegatimes.example"),
        art(2, "Omega Business", "omegatimes.example"),
        art(3, "News", "one.example"),
        art(4, "News", "two.example"),  # another site of the same name stays another outlet
        art(5, "Desk", None),  # no site: the name is the outlet
        art(6, "Desk", None),
        art(7, "unknown", None),  # nothing known: an outlet of its own
        art(8, "", None),
    ]
    assert outlet_names(members) == [
        "Omega World",
        "Omega World",
        "News",
        "News (two.example)",
        "Desk",
        "Desk",
        "article a7",
        "article a8",
    ]
    # As many outlets as the card's header counts, the unknown ones each its own there too.
    assert len(set(outlet_names(members))) == independent_sources(members)[0] == 6
    assert story_outlets(members) == list(dict.fromkeys(outlet_names(members)))
    # Without outlets (the summary bench's articles) the keys are the source names, as before.
    plain = [art(1, "A", None), art(2, "B", None), art(3, "A", None)]
    assert outlet_names(plain) == ["A", "B", "A"]


def test_summarize_names_a_site_once() -> None:
    moon = [
        Article(id=f"m{i}", source=name, title=item.title, text=item.text, outlet=site)
        for i, (item, name, site) in enumerate(
            zip(
                MOON,
                ["Omega World", "Omega Business", "Omega Views", LEDGER.name],
                ["omegatimes.example"] * 3 + ["ledger.example"],
                strict=True,
            )
        )
    ]
    summary = summarize(moon)
    shown = {s for b in summary.tldr for s in b.sources}
    shown |= {a.source for a in summary.angles} | set(summary.also_reporting)
    assert shown <= {"Omega World", LEDGER.name}
    assert len(summary.angles) + len(summary.also_reporting) <= 1
