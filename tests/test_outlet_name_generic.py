"""A feed whose title is no name ("Top Stories", a search page's title) appears under its site's
host, or under the site's name when the title gives it among its generic words, and a title's trailing separator or "feed"/"RSS" word is no part of the outlet's name."""

from __future__ import annotations

import time

import pytest

from bot.store.feed_outlets import outlet_name

LOCAL = "http://127.0.0.1:8080/feed.xml"  # the site is known from the feed's link only


@pytest.mark.parametrize(
    ("title", "site", "shown"),
    [
        # Titles that name nothing: two sites' "Top Stories" must not read as one outlet.
        ("Top Stories", "https://www.harbourcast.example.au/news/", "harbourcast.example.au"),
        (
            "World News: Breaking news, politics, crime, tech, and more",
            "https://www.tidewater.example/",
            "tidewater.example",
        ),
        ("Latest News - World", "https://feeds.omegatimes.example/world.xml", "omegatimes.example"),
        # A trailing separator or "feed" word is cut; the name that is left names the site.
        ("TheHarbour feed", "https://theharbour.example/", "TheHarbour"),
        ("Omega Times RSS", "https://omegatimes.example/", "Omega Times"),
        ("Rest of Tide -", "https://restoftide.example/", "Rest of Tide"),
        ("Omega Times - World |", "https://omegatimes.example/", "Omega Times"),
    ],
)
def test_a_generic_title_gives_the_sites_host(title: str, site: str, shown: str) -> None:
    assert outlet_name(None, title, LOCAL, site) == shown


@pytest.mark.parametrize(
    ("title", "url", "shown"),
    [
        # A real name kept, in the host or not.
        ("Harbourcast News", "https://harbourcast.example/rss", "Harbourcast News"),
        ("BBC News", "https://www.bbc.co.uk/news/rss.xml", "BBC News"),
        ("BBC News - Home", "https://feeds.bbci.co.uk/news/rss.xml", "BBC News - Home"),
        ("NYT > World News", "https://rss.nytimes.com/world.xml", "NYT"),
        ("Reuters: World News", "https://www.reuters.com/world/rss", "Reuters"),
        ("Spider-Man Daily", "https://omegatimes.example/", "Spider-Man Daily"),
        ("The Morning Tide", "https://omegatimes.example/", "The Morning Tide"),
        # A feed with no site keeps its title: there is no host to fall back on.
        ("Top Stories", "http://127.0.0.1:8080/feed", "Top Stories"),
        # A title that is only "feed" names nothing.
        ("Feed", "https://omegatimes.example/feed", "omegatimes.example"),
    ],
)
def test_a_title_that_names_an_outlet_is_kept(title: str, url: str, shown: str) -> None:
    assert outlet_name(None, title, url) == shown


@pytest.mark.parametrize(
    ("title", "site", "shown"),
    [
        # A search page's title names the site among words that name no one: the name, not
        # the host ("harbourcast.example" read as a web address on every card).
        (
            "Harbourcast News Search Records Found 1000",
            "https://www.harbourcast.example/",
            "Harbourcast",
        ),
        (
            "Top Stories and Latest News from QuillRadio",
            "https://quillradio.example/",
            "QuillRadio",
        ),
        # A name said twice is one name.
        (
            "Harbourcast News Search Results For Harbourcast Found 1000",
            "https://harbourcast.example/",
            "Harbourcast",
        ),
        # A generic word that is also a label of the host names no site: the host.
        (
            "World News Search Records Found 1000",
            "https://world.quillradio.example/",
            "world.quillradio.example",
        ),
    ],
)
def test_a_generic_title_that_names_the_site_gives_that_name(
    title: str, site: str, shown: str
) -> None:
    assert outlet_name(None, title, LOCAL, site) == shown


def test_a_configured_name_always_wins() -> None:
    assert outlet_name("Harbour Desk", "Top Stories", LOCAL, "https://harbour.example/") == (
        "Harbour Desk"
    )


def test_a_feeds_word_after_the_sites_name_is_left_out() -> None:
    # "Quill Radio Topics: World" is Quill Radio's; "News" stays, being many outlets' own name.

    site = "https://www.quillradio.example/sections/world/"
    assert (
        outlet_name(None, "QuillRadio Topics: World", "https://feeds.quillradio.example/r", site)
        == "QuillRadio"
    )
    assert (
        outlet_name(None, "QuillRadio News - World", "https://feeds.quillradio.example/r", site)
        == "QuillRadio News"
    )


def test_a_title_of_separators_is_read_in_linear_time() -> None:
    # Each of the " -" began a possible tail that ran to the end: quadratic in the title.
    # CPU time, not wall time: other processes on a loaded machine do not count.
    started = time.process_time()
    shown = outlet_name(None, "Omega Times" + " -" * 50_000, LOCAL, "https://omegatimes.example/")
    assert time.process_time() - started < 1
    assert shown == "Omega Times"
