"""`normalize_feed_url` is idempotent and keeps a URL's meaning, even around a stray `%` (one not
followed by two hex digits): `https://x/%%34%31` used to become `https://x/%41`, a new escape,
read as `https://x/A` the next time, and by a server as another path than the one written."""

from __future__ import annotations

import itertools
import random
from urllib.parse import unquote_to_bytes, urlsplit

import pytest

from bot.feedurls import normalize_feed_url

# Pieces that meet at a stray `%`: hex digits (either case), escapes of hex digits and of other
# unreserved characters, incomplete escapes, characters encoded on the way, delimiters.
PIECES = ["%", "4", "1", "a", "E", "%34", "%31", "%2", "%7e", "%2F", "%2e", "~", " ", "é", "/", "?"]


def _meaning(url: str) -> tuple[bytes, bytes]:
    """Path and query as a server decoding them leniently reads them (a stray `%` left as it
    is), the bytes it is asked for."""
    parts = urlsplit(url)
    return unquote_to_bytes(parts.path or "/"), unquote_to_bytes(parts.query)


def _check(url: str) -> None:
    once = normalize_feed_url(url)
    assert normalize_feed_url(once) == once, url
    assert _meaning(once) == _meaning(url), url


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://x/%%34%31", "https://x/%%341"),
        ("https://x/%4%41", "https://x/%4%41"),
        ("https://x/%%7e%34", "https://x/%~4"),  # after `%~` a digit no longer completes one
        ("https://x/a%zz%41", "https://x/a%zzA"),
        ("https://x/p?q=%%34%31&r=%", "https://x/p?q=%%341&r=%"),
    ],
)
def test_a_stray_percent_never_becomes_an_escape(url: str, normal: str) -> None:
    assert normalize_feed_url(url) == normal
    _check(url)


def test_normalising_twice_is_once_over_every_short_path() -> None:
    for length in range(4):
        for pieces in itertools.product(PIECES, repeat=length):
            _check("https://x/" + "".join(pieces))


def test_normalising_twice_is_once_over_random_urls() -> None:
    rng = random.Random(17)
    hosts = ["x", "News.Example:443", "news.example:80", "[::1]:8080", "a.example"]
    for _ in range(5_000):
        tail = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        _check(f"{rng.choice(['http', 'HTTPS'])}://{rng.choice(hosts)}/{tail}#{tail}")
