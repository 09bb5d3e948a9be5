"""Feeds of three publishers that share one placeholder site link are three outlets, by the sites
their items link to (`bot.store.item_sites`), and when a feed's outlet changes the stored source
counts of its stories follow, so `stories`, `topics test` and a digest count what the card counts.

Driven as a new team met it: three feeds served on loopback, `newsdigest poll`, then the same
commands they ran."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer
from bot.store.item_sites import FeedSites, item_outlets, items_site

# One event told three ways, in the project's own words: three reports, no shared copy.
REPORTS = {
    "alpha": (
        "Alpha Post",
        "alphapost.example",
        "Dock workers strike at the port of Veltmark over cranes",
        "Dock workers at the port of Veltmark walked out on Monday over plans for automated"
        " cranes, and the union said hundreds of jobs were at risk if the plan goes ahead.",
    ),
    "beta": (
        "Beta Herald",
        "betaherald.example",
        "Veltmark port strike: dockers walk out over automated cranes",
        "The Veltmark harbour stood idle as dockers began a three day strike against automated"
        " cranes; managers insisted the machines would arrive next spring regardless.",
    ),
    "gamma": (
        "Gamma Daily",
        "gammadaily.example",
        "Veltmark dockers strike as port plans automated cranes",
        "Ships queued outside Veltmark after dockers struck over the port's automation plans,"
        " with the union warning of a longer stoppage unless talks resume this week.",
    ),
}
# A second item each, on another subject, so each feed's items show one site twice.
OTHER = {
    "alpha": ("Alpha Post gardens open for spring", "The city gardens open on Saturday."),
    "beta": ("Beta Herald chess club wins final", "The club won the regional final."),
    "gamma": ("Gamma Daily bakery marks centenary", "A bakery turned one hundred this week."),
}


def _feed(name: str, site_link: str, item_site: str | None = None) -> bytes:
    """The feed `name` with `site_link` for its channel <link>, its items on `item_site` (by
    default the publisher's own site)."""
    title, site, headline, text = REPORTS[name]
    other_title, other_text = OTHER[name]
    host = item_site or site
    items = "".join(
        f"<item><title>{t}</title><link>http://{host}/{name}/{n}</link><guid>{name}-{n}</guid>"
        f"<pubDate>Tue, 01 Dec 2026 0{n}:00:00 +0000</pubDate><description>{d}</description></item>"
        for n, (t, d) in enumerate([(headline, text), (other_title, other_text)])
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>{site_link}</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        for name in REPORTS:
            srv.route(f"/{name}.xml", _feed(name, "http://example.org/"))
        yield srv


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    config = tmp_path / "nd.toml"
    config.write_text(
        '[polling]\nallow_private_networks = true\n[[channels]]\nplatform = "console"\n'
        'id = "ops"\nmin_sources = 2\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    return CliRunner()


def _run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _stored_sources(runner: CliRunner) -> int:
    """The source count `stories` lists for the strike story (the stored count)."""
    found = re.search(r"(veltmark-\S*)\s*\S\s*(\d+)\s", _run(runner, "stories"))
    assert found, _run(runner, "stories")
    return int(found.group(2))


def _slug(runner: CliRunner) -> str:
    found = re.search(r"(veltmark-\S*)", _run(runner, "stories"))
    assert found
    return found.group(1)


def _add_and_poll(server: FeedServer, runner: CliRunner, site_link: str, **kw: str) -> None:
    for name in REPORTS:
        server.route(f"/{name}.xml", _feed(name, site_link, **kw))
        _run(runner, "feeds", "add", server.url(f"/{name}.xml"))
    _run(runner, "poll")


def test_three_sites_behind_one_placeholder_link_are_three_sources(
    server: FeedServer, runner: CliRunner
) -> None:
    _add_and_poll(server, runner, "http://example.org/")
    assert "3 sources tracking this story" in _run(runner, "story", _slug(runner))
    assert _stored_sources(runner) == 3
    assert "(3 sources)" in _run(runner, "topics", "test", "veltmark")
    digest = _run(runner, "digest", "ops")
    assert "3 sources tracking this story" in digest and "fewer than 2" not in digest


def test_feeds_given_their_own_site_links_are_recounted_at_once(
    server: FeedServer, runner: CliRunner
) -> None:
    # Their items on the site link they share: one site, one outlet, as the rule has it.
    _add_and_poll(server, runner, "http://cms.example/", item_site="cms.example")
    slug = _slug(runner)
    # The card lists three names and counts one outlet: it says why.
    card = " ".join(_run(runner, "story", slug).replace("│", " ").split())
    assert "1 source tracking this story (1 outlet under 3 names; an outlet's feeds counted" in card
    assert _stored_sources(runner) == 1
    # Each feed's link made its own site: three outlets now, the story's stored count too,
    # with no new article to trigger a recount.
    for name, (_title, site, _h, _t) in REPORTS.items():
        server.route(f"/{name}.xml", _feed(name, f"http://{site}/", item_site="cms.example"))
    _run(runner, "poll", "--all")
    assert "3 sources tracking this story" in _run(runner, "story", slug)
    assert _stored_sources(runner) == 3
    assert "(3 sources)" in _run(runner, "topics", "test", "veltmark")
    digest = _run(runner, "digest", "ops")
    assert "3 sources tracking this story" in digest and "fewer than 2" not in digest


def _feeds(*rows: tuple[str, str | None, list[str]]) -> list[FeedSites]:
    """Feeds by (feed URL, site link, their items' links), numbered from 1."""
    return [
        FeedSites(i, url, link, items_site(items)) for i, (url, link, items) in enumerate(rows, 1)
    ]


def test_items_site_needs_every_item_on_one_site_and_two_of_them() -> None:
    assert items_site(["https://www.alpha.example/a", "http://alpha.example/b", None]) == (
        "alpha.example"
    )
    assert items_site(["https://alpha.example/a"]) is None  # one link is no habit
    assert items_site(["https://alpha.example/a", "https://beta.example/b"]) is None
    assert items_site([]) is None


def test_section_feeds_of_one_paper_stay_one_outlet() -> None:
    # Three desks, one site link; their items on the site, or all on one other domain
    # (a link to the .co.uk site, items on the .com: one publisher, nothing distinct).
    on_site = [f"https://paper.example/{d}/1" for d in range(2)]
    assert (
        item_outlets(
            _feeds(
                ("https://paper.example/world.xml", "https://paper.example/", on_site),
                ("https://paper.example/biz.xml", "https://paper.example/", on_site),
            )
        )
        == {}
    )
    on_com = ["https://www.paper.example.com/a", "https://www.paper.example.com/b"]
    assert (
        item_outlets(
            _feeds(
                ("https://feeds.paper.co.uk/world.xml", "https://www.paper.co.uk/news", on_com),
                ("https://feeds.paper.co.uk/biz.xml", "https://www.paper.co.uk/news", on_com),
            )
        )
        == {}
    )


def test_a_link_some_feeds_items_are_on_is_a_site() -> None:
    # Two desks link their items to partner sites, a third to the site link's own: the link
    # names a real site, and no feed of it moves.
    assert (
        item_outlets(
            _feeds(
                (
                    "https://paper.example/a.xml",
                    "https://paper.example/",
                    ["http://x.example/1"] * 2,
                ),
                (
                    "https://paper.example/b.xml",
                    "https://paper.example/",
                    ["http://y.example/1"] * 2,
                ),
                (
                    "https://paper.example/c.xml",
                    "https://paper.example/",
                    ["http://paper.example/1"] * 2,
                ),
            )
        )
        == {}
    )


def test_shared_or_placeholder_links_give_way_to_distinct_item_sites() -> None:
    alpha, beta = ["http://alpha.example/1"] * 2, ["http://beta.example/1"] * 2
    shared = _feeds(
        ("http://10.0.0.5/a.xml", "http://cms.example/", alpha),
        ("http://10.0.0.5/b.xml", "http://cms.example/", beta),
        (
            "http://10.0.0.5/c.xml",
            "http://cms.example/",
            ["http://g.example/1", "http://h.example/2"],
        ),
    )
    # The aggregator among them has no one site, and stays under the link.
    assert item_outlets(shared) == {1: "alpha.example", 2: "beta.example"}
    # A placeholder link names no site even for one feed; a shared real link with one site
    # behind it is left alone.
    lone = _feeds(("http://10.0.0.5/a.xml", "http://www.example.org/", alpha))
    assert item_outlets(lone) == {1: "alpha.example"}
    assert item_outlets(_feeds(("http://10.0.0.5/a.xml", "http://cms.example/", alpha))) == {}


def test_aggregators_podcast_hosts_and_proxies_keep_their_own_links() -> None:
    news = ["https://news.google.com/rss/articles/a", "https://news.google.com/rss/articles/b"]
    proxied = [
        "http://feedproxy.google.com/~r/Alpha/~3/x",
        "http://feedproxy.google.com/~r/Alpha/~3/y",
    ]
    podcast = ["https://share.transistor.fm/s/1", "https://share.transistor.fm/s/2"]
    assert (
        item_outlets(
            _feeds(
                (
                    "https://news.google.com/rss/search?q=a",
                    "https://news.google.com/search?q=a",
                    news,
                ),
                (
                    "https://news.google.com/rss/search?q=b",
                    "https://news.google.com/search?q=b",
                    news,
                ),
                ("http://feeds.feedburner.com/Alpha", "https://alpha.example/", proxied),
                ("http://feeds.feedburner.com/Beta", "https://beta.example/", proxied),
                ("https://feeds.transistor.fm/one", "https://one.example/", podcast),
                ("https://feeds.transistor.fm/two", "https://two.example/", podcast),
            )
        )
        == {}
    )
