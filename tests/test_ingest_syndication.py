"""sy:updatePeriod / sy:updateFrequency (bot.ingest.parser): read from the channel header only,
and ignored unless the period is one the module names and the frequency a positive whole number.
Both parsing paths must agree: fastfeedparser (an RSS 2.0 feed, the elements found by a scan of
the header) and feedparser (an Atom feed without its namespace, which only feedparser reads)."""

from __future__ import annotations

import pytest

from bot.ingest.parser import parse_feed

NS = 'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'


def _sy(period: str | None, frequency: str | None) -> str:
    out = f"<sy:updatePeriod>{period}</sy:updatePeriod>" if period is not None else ""
    return out + (f"<sy:updateFrequency>{frequency}</sy:updateFrequency>" if frequency else "")


def rss(header: str, item_extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0" {NS}><channel><title>Desk</title>'
        f"<link>https://desk.example/</link>{header}<item><title>A story</title>"
        f"<link>https://desk.example/1</link><guid>1</guid>{item_extra}</item></channel></rss>"
    ).encode()


def atom(header: str, item_extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?><feed {NS}><title>Desk</title>'
        f'<link href="https://desk.example/"/>{header}<entry><title>A story</title>'
        f'<link href="https://desk.example/1"/><id>1</id>{item_extra}</entry></feed>'
    ).encode()


def _both(header: str, item_extra: str = "") -> list[int | None]:
    fast, slow = parse_feed(rss(header, item_extra)), parse_feed(atom(header, item_extra))
    assert (fast.parser, slow.parser) == ("fastfeedparser", "feedparser")
    return [fast.update_minutes, slow.update_minutes]


@pytest.mark.parametrize(
    ("period", "frequency", "minutes"),
    [
        ("daily", "4", 360),
        ("weekly", None, 7 * 24 * 60),
        (None, "2", 12 * 60),  # the module's default period is daily
        (" Weekly ", " 2 ", 7 * 12 * 60),
        ("daily", "0004", 360),
    ],
)
def test_a_known_period_and_a_positive_frequency_are_read(
    period: str | None, frequency: str | None, minutes: int
) -> None:
    assert _both(_sy(period, frequency)) == [minutes, minutes]


@pytest.mark.parametrize(
    ("period", "frequency"),
    [
        ("daily", "0"),
        ("daily", "-3"),
        ("daily", "abc"),
        ("daily", "2.5"),
        ("daily", "1e3"),
        ("daily", "+2"),
        ("daily", "99999999999999999999999"),
        ("fortnightly", "1"),  # longer than the old ten-letter scan: it defaulted to daily
        ("fortnightly", None),
        ("biweekly", "1"),
        ("every_15_minutes", "4"),
        ("", "abc"),
    ],
)
def test_a_period_or_frequency_that_does_not_parse_is_ignored(
    period: str, frequency: str | None
) -> None:
    assert _both(_sy(period, frequency)) == [None, None]


def test_an_items_content_quoting_the_markup_sets_nothing() -> None:
    quoted = f"<description><![CDATA[How to: {_sy('yearly', '1')}]]></description>"
    assert _both("", quoted) == [None, None]
    atom_quoted = f"<summary><![CDATA[How to: {_sy('yearly', '1')}]]></summary>"
    assert parse_feed(atom("", atom_quoted)).update_minutes is None


def test_elements_inside_an_item_are_not_the_channels() -> None:
    assert _both("", _sy("weekly", "1")) == [None, None]
    # And the channel's own value is not overridden by an item's.
    assert _both(_sy("daily", "2"), _sy("yearly", "1")) == [720, 720]
