"""Slug words from headlines that carry web addresses or hyphenated names with a number."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.cluster.slug_words import slug_words
from bot.cluster.slugs import make_slug
from bot.models import Article
from bot.topics.lookup import slugify
from tests._cost import assert_grows_linearly


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
    assert slug_words("Levy delayed to mid-2024 after 2-1 vote") == [
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
# took 17 s; the time grew with the square of the length) and takes milliseconds now. Each is
# built from a repeated unit, so its cost can be compared at two lengths.
_HOSTILE: list[tuple[Callable[[int], str], int]] = [
    (lambda n: "a." * n, 60000),
    (lambda n: "a-" * n, 60000),
    (lambda n: "a-" * n + ".", 30000),
    (lambda n: "a" * n + ".", 180000),
    (lambda n: "a.-" * n, 20000),
    (lambda n: "a-." * n, 20000),
    (lambda n: "a..a" * n, 15000),
    (lambda n: "www." * n, 160000),
    (lambda n: "http://" * n, 640000),
    (lambda n: " a.a.a.a.a.a.a.a.a.x" * n, 3000),
    (lambda n: ("a" * 62 + ".") * n, 3000),
    (lambda n: "a.b" + ".a" * n + ".com", 60000),
]


def _slugs_of(text: str) -> None:
    _slug(text)
    make_slug([Article(id="1", source="Desk", title="Harbour ferry", text=text)], lambda s: False)


@pytest.mark.parametrize(("hostile", "size"), _HOSTILE, ids=range(len(_HOSTILE)))
def test_hostile_titles_and_leads_make_a_slug_fast(
    hostile: Callable[[int], str], size: int
) -> None:
    texts = {n: hostile(n) for n in (size // 8, size)}
    assert_grows_linearly(lambda n: _slugs_of(texts[n]), size)
