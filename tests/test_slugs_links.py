"""Slug words from headlines that carry web addresses or hyphenated names with a number."""

from __future__ import annotations

import time

import pytest

from bot.cluster.slugs import _slug_words, make_slug
from bot.models import Article
from bot.topics.lookup import slugify


def _slug(title: str, taken: set[str] | None = None) -> str:
    article = Article(id="1", source="Desk", title=title, text="")
    return make_slug([article], lambda s: s in (taken or set()))


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("https://tamsin.example/ferry Tamsin ferry sinks", "tamsin-ferry"),
        ("http://tamsin ferry report", "tamsin-ferry"),
        ("www.example.com outage hits users", "example-outage"),
        ("Example.com outage hits thousands", "example-outage"),
        ("Outage at https://www.harbourwire.co.uk/live/feed today", "outage-harbourwire"),
        # Dotted words that are not web addresses stay words.
        # A site name after other punctuation, or with many labels, is still found.
        ("Outage...harbourwire.com says", "outage-harbourwire"),
        ("Outage at live.news.eu.harbourwire.co.uk today", "outage-harbourwire"),
        ("Node.js 22 released", "nodejs-released"),
        ("U.S. and China agree on trade truce", "us-china"),
    ],
)
def test_web_addresses_give_their_site_name(title: str, slug: str) -> None:
    assert _slug(title) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Kestrel-2 lander touches down", "kestrel-2-lander"),
        ("F-35 jets grounded after crash", "f-35-jets"),
        # A score or a range is no name: numbers alone still make no slug word.
        ("United win 2-1 against Rovers", "win-rovers"),
        # Other hyphenated words still join up, as slugs made before did.
        ("Anti-vax rally fills Port Ellis square", "antivax-ellis"),
    ],
)
def test_a_name_with_a_number_keeps_its_hyphen(title: str, slug: str) -> None:
    assert _slug(title) == slug


def test_slug_words_keep_the_hyphen_of_a_name_with_a_number_only() -> None:
    assert _slug_words("Levy delayed to mid-2024 after 2-1 vote") == [
        "levy",
        "delayed",
        "mid-2024",
        "vote",
    ]


def test_hyphenated_slugs_stay_unique_and_match_what_users_type() -> None:
    title = "Kestrel-2 lander touches down"
    assert _slug(title, {"kestrel-2-lander"}) == "kestrel-2-lander-touches"
    every = {"kestrel-2-lander", "kestrel-2-lander-touches"}
    assert _slug(title, every) not in every
    # `/story Kestrel-2 lander` and `/story kestrel 2 lander` compare equal to the slug.
    assert slugify("Kestrel-2 lander") == "kestrel-2-lander"
    assert slugify("kestrel 2 lander") == "kestrel-2-lander"


# Feed text is untrusted, and slugs are made on the bot's event loop while polling: the address
# pattern must be linear. Each of these took minutes before (`"a." * 3000`, 6,000 characters,
# took 17 s; the time grew with the square of the length) and takes milliseconds now.
_HOSTILE = [
    "a." * 30000,
    "a-" * 30000,
    "a-" * 30000 + ".",
    "a" * 60000 + ".",
    "a.-" * 20000,
    "a-." * 20000,
    "a..a" * 15000,
    "www." * 10000,
    "http://" * 10000,
    " a.a.a.a.a.a.a.a.a.x" * 3000,
    ("a" * 62 + ".") * 1000,
    "a.b" + ".a" * 30000 + ".com",
]


@pytest.mark.parametrize("text", _HOSTILE, ids=range(len(_HOSTILE)))
def test_hostile_titles_and_leads_make_a_slug_fast(text: str) -> None:
    # CPU time, not wall time: other processes on a loaded machine do not count.
    start = time.process_time()
    _slug(text)
    make_slug([Article(id="1", source="Desk", title="Harbour ferry", text=text)], lambda s: False)
    # A generous bound for a slow shared machine: this ran for minutes, now milliseconds.
    assert time.process_time() - start < 2.0
