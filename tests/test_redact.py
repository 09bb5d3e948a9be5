"""Addresses as anyone in a channel may see them (`bot.redact`): the secret-carrying parts of a
feed's address hidden, in the address itself and wherever text about a feed names one, and the
text around an address left as written."""

from __future__ import annotations

import pytest

from bot.redact import hidden_in_text, hidden_url


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
