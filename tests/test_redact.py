"""Addresses as anyone in a channel may see them (`bot.redact`): the secret-carrying parts of a
feed's address hidden, in the address itself and wherever text about a feed names one, and the
text around an address left as written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.redact import hidden_in_text, hidden_url
from tests._cost import assert_grows_linearly


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ex.example/rss?apikey=K1", "https://ex.example/rss?…"),
        ("https://ex.example/rss;jsessionid=K2?a=1", "https://ex.example/rss;…"),
        ("https://ex.example/rss#token=K3", "https://ex.example/rss#…"),
        ("https://user:K4@ex.example:8443/rss", "https://…@ex.example:8443/rss"),
        # Nothing to hide: the address as it is (an empty query hides nothing).
        ("https://ex.example/feed/", "https://ex.example/feed/"),
        ("https://ex.example/feed/?", "https://ex.example/feed/?"),
    ],
)
def test_a_feeds_address_keeps_its_host_and_path_only(url: str, shown: str) -> None:
    assert hidden_url(url) == shown
    assert hidden_in_text(url) == shown  # the same, met in prose


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("moved to https://ex.example/v2?apikey=K1.", "moved to https://ex.example/v2?…."),
        ("(at https://ex.example/y?k=K2)", "(at https://ex.example/y?…)"),
        ("for url 'https://ex.example/?k=K3'", "for url 'https://ex.example/?…'"),
        ("see `https://ex.example/x?k=K4`", "see `https://ex.example/x?…`"),
        ("<https://ex.example/z?k=K5|here>", "<https://ex.example/z?…|here>"),
        ("try ex.example/q?apikey=K6 again", "try ex.example/q?… again"),
        ("try ex.example:8080;sid=K7", "try ex.example:8080;…"),
        ("at reader:K8@ex.example/rss", "at …@ex.example/rss"),
        ("('reader:K8@ex.example/rss')", "('…@ex.example/rss')"),
        ("ex.example/q?key=K9&next=https://b.example/", "ex.example/q?…"),
        ("“https://ex.example/w?k=SEC”RET”", "“https://ex.example/w?…”"),
        # No address, or none with anything to hide: left alone.
        ("ok: 3 new; skipped its only entry: v2.0; mail ops@ex.example", None),
        ("HTTP 503 from https://ex.example/rss", None),
    ],
)
def test_addresses_in_text_are_hidden_and_the_text_around_them_kept(
    text: str, shown: str | None
) -> None:
    assert hidden_in_text(text) == (text if shown is None else shown)
    assert hidden_in_text(hidden_in_text(text)) == hidden_in_text(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # A character no address holds raw, inside a key as a request quoted it: hidden with it.
        ("moved to https://ex.example/rss?key=ab|cd", "moved to https://ex.example/rss?…"),
        ('moved to https://ex.example/rss?key=ab"cd', "moved to https://ex.example/rss?…"),
        ("https://ex.example/x?key=K1\u3000more", "https://ex.example/x?…"),
        ("https://ex.example/x?key=K1\u2028more", "https://ex.example/x?…"),
        ("https://ex.example/x?key=K{1}", "https://ex.example/x?…"),
        ("https://ex.example/x?key=K\\1", "https://ex.example/x?…"),
        ("https://ex.example/x?key=K^1", "https://ex.example/x?…"),
        ("https://ex.example/x?key=K`1", "https://ex.example/x?…"),
        ('for url "https://ex.example/?k=K2".', 'for url "https://ex.example/?…".'),
        # Addresses written without a scheme by their IP or as localhost.
        ("redirect to 10.0.0.5:8080/rss?key=K3", "redirect to 10.0.0.5:8080/rss?…"),
        ("redirect to localhost:8080/rss?key=K4", "redirect to localhost:8080/rss?…"),
        # A key after `&` where the `?` was left out.
        ("see https://ex.example/rss&apikey=K5", "see https://ex.example/rss&…"),
        ("see ex.example/rss&apikey=K5 now", "see ex.example/rss&… now"),
        # A password before a bare host with no path.
        ("see reader:K6@ex.example", "see …@ex.example"),
        ("(see reader:K6@ex.example).", "(see …@ex.example)."),
        # A bare host's path parameter or fragment that looks like a key.
        ("at ex.example/rss#token=K7", "at ex.example/rss#…"),
        ("at ex.example/rss;a1b2c3d4e5f6g7h8i9", "at ex.example/rss;…"),
        # Names written like addresses, with nothing that looks like a key: left alone.
        ("Ex.com#1 News", None),
        ("Title: Ex.Com/Tech;Politics", None),
        ("Ex.com/News&Politics", None),
        ("10.0.0.5:8080/rss", None),
        ("write to mailto:ops@ex.example.", None),
    ],
)
def test_keys_are_hidden_however_the_address_is_written(text: str, shown: str | None) -> None:
    assert hidden_in_text(text) == (text if shown is None else shown)
    assert hidden_in_text(hidden_in_text(text)) == hidden_in_text(text)


def test_a_feeds_own_address_hides_a_key_after_an_ampersand() -> None:
    assert hidden_url("https://ex.example/rss&apikey=K1") == "https://ex.example/rss&…"
    assert hidden_url("https://ex.example/news&politics") == "https://ex.example/news&politics"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # A segment named like a key hides the one after it; a key-named `name=value` or
        # `name:value` segment hides its value. The rest of the path is kept.
        ("https://ex.example/apikey/K3y9d8f7a6s5d4f3/feed", "https://ex.example/apikey/…/feed"),
        ("https://ex.example/api/Key/K3y9d8f7/rss.xml", "https://ex.example/api/Key/…/rss.xml"),
        ("https://ex.example/v1/x-api-key/KeyOnlyLetters", "https://ex.example/v1/x-api-key/…"),
        ("https://ex.example/private/Ab3Cd/rss", "https://ex.example/private/…/rss"),
        ("https://ex.example/rss/token=abc123def", "https://ex.example/rss/token=…"),
        (
            "https://ex.example/rss/Access_Token=K1/more",
            "https://ex.example/rss/Access_Token=…/more",
        ),
        (
            "https://feeds.ex.example/rss/secret:0a1b2c3d4e5f6a7b8c9d/u:reader/",
            "https://feeds.ex.example/rss/secret:…/u:reader/",
        ),
        ("https://ex.example/token/a1/rss?apikey=K1", "https://ex.example/token/…/rss?…"),
        # Ids and slugs are shown, however random they look: nothing tells them from a key
        # except a name before them (a bare key in a path is shown too: the module says so).
        ("https://feeds.podcasts.example/GLT1412515089", None),
        ("https://news.example/article/court-ruling-texas-aeedf9630e395f9115909ce5fb63eea5", None),
        ("https://ex.example/category/covid19vaccine/feed", None),
        ("https://ex.example/cal/3f2504e0-4f89-11d3-9a0c-0305e82c3301/basic.ics", None),
        ("https://ex.example/channel/UCa1B2c3D4e5F6g7H8i9J0kL/videos.xml", None),
        ("https://ex.example/news/world-news-2024-election/rss", None),
        ("https://ex.example/feeds/1234567890123456789/posts/default", None),
        ("https://ex.example/open-access/rss", None),
        ("https://ex.example/sports/hockey/rss", None),
        ("https://ex.example/rss/apikey/", None),  # nothing after the name
        ("https://ex.example/why=because/rss", None),
    ],
)
def test_a_path_segment_holding_a_key_is_hidden(url: str, shown: str | None) -> None:
    assert hidden_url(url) == (url if shown is None else shown)
    assert hidden_in_text(url) == (url if shown is None else shown)
    assert hidden_in_text(hidden_in_text(url)) == hidden_in_text(url)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("(see https://ex.example/key/K3y9d8f7a6s5d4f3).", "(see https://ex.example/key/…)."),
        (
            "try ex.example/api_key/K3y9d8f7a6s5d4f3/feed again",
            "try ex.example/api_key/…/feed again",
        ),
        ("Ex.example/token=K3y9d8f7a6s5d4f3", "Ex.example/token=…"),
        ("Error at ex.example/feeds/abc123def456ghi/rss: 404", None),
        # An IPv6 host written without a scheme: in brackets, or bare before its path.
        ("redirect to [2001:db8::5]:8080/rss?key=K3", "redirect to [2001:db8::5]:8080/rss?…"),
        ("at reader:K8@[2001:db8::5]/rss", "at …@[2001:db8::5]/rss"),
        ("(reader:K8@[2001:db8::5]).", "(…@[2001:db8::5])."),
        ("at [fe80::1%25eth0]/rss;sid=a1b2c3d4e5f6g7h8i9", "at [fe80::1%25eth0]/rss;…"),
        ("redirect to 2001:db8::5/rss?key=K3", "redirect to 2001:db8::5/rss?…"),
        ("at reader:K8@2001:db8::5/rss", "at …@2001:db8::5/rss"),
        # A query whose `?` (or `&`) was percent-encoded, its `=` maybe too.
        ("moved to https://ex.example/rss%3Fapikey=K9.", "moved to https://ex.example/rss%3F…."),
        ("see ex.example/rss%3fapikey%3DK9 now", "see ex.example/rss%3f… now"),
        ("see https://ex.example/rss%26apikey=K9", "see https://ex.example/rss%26…"),
        # Not an address, or nothing to hide in one.
        ("at 12:30:45 today, and/or 24/7", None),
        ("see https://ex.example/why%3F and ex.example/a%3Fb", None),
        ("[2001:db8::5]:8080/rss", None),
    ],
)
def test_path_keys_ipv6_hosts_and_encoded_queries_in_text(text: str, shown: str | None) -> None:
    assert hidden_in_text(text) == (text if shown is None else shown)
    assert hidden_in_text(hidden_in_text(text)) == hidden_in_text(text)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ex.example/rss%3Fapikey=K1", "https://ex.example/rss%3F…"),
        ("https://ex.example/rss%3fapikey%3DK1#top", "https://ex.example/rss%3f…"),
        ("https://ex.example/why%3F", "https://ex.example/why%3F"),
        # Encoded twice, `%253F` for `?` (and `%253D` for `=`).
        ("https://ex.example/rss%253Fapikey%253DK1", "https://ex.example/rss%253F…"),
        ("https://ex.example/rss%2526apikey=K1", "https://ex.example/rss%2526…"),
        ("https://ex.example/why%253F/rss", "https://ex.example/why%253F/rss"),
        # No `//`: read as an address in prose is.
        ("reader:K8@[2001:db8::5]/rss", "…@[2001:db8::5]/rss"),
        ("[2001:db8::5]/rss?key=K2", "[2001:db8::5]/rss?…"),
    ],
)
def test_a_feeds_own_address_hides_an_encoded_query_and_a_bare_ipv6_password(
    url: str, shown: str
) -> None:
    assert hidden_url(url) == shown


# Long texts of `n` repeats (about 100,000 characters at 33,000), and the repeats in the
# largest read below: an eighth of it takes 5 to 50 ms.
LONG_TEXTS: dict[str, tuple[Callable[[int], str], int]] = {
    # A long word after a slash: a scheme was looked for from each of its letters, about 90
    # seconds of CPU for 100,000 characters.
    "word after a slash": (lambda n: "News/" + "Ab3" * n, 132_000),
    "scheme after a long word": (lambda n: "a" * (3 * n) + "://ex.example/rss?key=K1", 528_000),
    # A long run of closing marks after an address was read once per mark.
    "closing marks": (lambda n: "ex.example/a" + ")" * (3 * n) + "x", 132_000),
    "path segments": (lambda n: "https://ex.example" + "/key" * n, 132_000),
    "encoded question marks": (lambda n: "ex.example/r" + "%3F" * n, 132_000),
}


@pytest.mark.parametrize("kind", LONG_TEXTS)
def test_long_text_is_read_in_linear_time(kind: str) -> None:
    make, size = LONG_TEXTS[kind]
    texts = {n: make(n) for n in (size // 8, size)}
    assert_grows_linearly(lambda n: (hidden_in_text(texts[n]), hidden_url(texts[n])), size)
