"""The poll interval a feed's publisher asks for: `<ttl>`, and the RSS 1.0 syndication module's
`sy:updatePeriod` / `sy:updateFrequency`, read from the parser's feed metadata or, where the
parser does not expose them, from the channel header of the document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["SY_IGNORED_UP_TO_MINUTES", "asked_ttl", "asked_update_minutes"]

_TTL_RE = re.compile(rb"<(?:\w+:)?ttl>\s*(\d{1,6})\s*</(?:\w+:)?ttl>", re.I)
# The RSS 1.0 syndication module (usually prefixed sy:), which fastfeedparser does not expose.
# Any text is captured, so that a value we cannot honour is ignored rather than half-read.
_SY_PERIOD_RE = re.compile(rb"<(?:\w+:)?updatePeriod>([^<]{0,64})</(?:\w+:)?updatePeriod>")
_SY_FREQUENCY_RE = re.compile(rb"<(?:\w+:)?updateFrequency>([^<]{0,64})</(?:\w+:)?updateFrequency>")
# Where the channel (or Atom feed) header ends: the first item or entry. Not <items>, which is
# RSS 1.0's table of contents inside the channel.
_FIRST_ITEM_RE = re.compile(rb"<(?:\w+:)?(?:item|entry)[\s/>]")
# A frequency is a positive whole number; more digits than this divide any period to nothing.
_SY_FREQUENCY_VALUE_RE = re.compile(r"[0-9]{1,12}")
# sy:updatePeriod in minutes; a month and a year by their usual lengths (only a bound matters).
_SY_PERIOD_MINUTES = {
    "hourly": 60,
    "daily": 24 * 60,
    "weekly": 7 * 24 * 60,
    "monthly": 30 * 24 * 60,
    "yearly": 365 * 24 * 60,
}
# A sy: interval this short or shorter is not honoured. WordPress writes hourly/1 into every RSS
# 2.0 feed by default, whatever the site's pace, and honouring it would poll those feeds hourly
# instead of every 15 minutes; and an interval under an hour asks for nothing we do not do.
SY_IGNORED_UP_TO_MINUTES = 60


def asked_ttl(feed: Mapping[str, Any], body: bytes) -> int | None:
    value = _text(feed.get("ttl"))
    if not value:
        # <ttl> belongs to the channel; an item's content may quote one (in CDATA or escaped).
        match = _TTL_RE.search(_channel_header(body))
        value = match.group(1).decode() if match else ""
    try:
        minutes = int(value.strip())
    except ValueError:
        return None
    return minutes if minutes > 0 else None


def asked_update_minutes(feed: Mapping[str, Any], body: bytes) -> int | None:
    """sy:updatePeriod divided by sy:updateFrequency, in minutes (at least one). feedparser
    reads both into the feed's metadata; for fastfeedparser they are looked up in the channel
    header. Per the module, a missing period means daily and a missing frequency once; a value
    that is there but not a known period or a positive whole number makes the pair say nothing.
    """
    period = _text(feed.get("sy_updateperiod"))
    frequency = _text(feed.get("sy_updatefrequency"))
    if not period.strip() and not frequency.strip():
        head = _channel_header(body)
        if match := _SY_PERIOD_RE.search(head):
            period = match.group(1).decode("utf-8", "replace")
        if match := _SY_FREQUENCY_RE.search(head):
            frequency = match.group(1).decode("utf-8", "replace")
    period, frequency = period.strip(), frequency.strip()
    if not period and not frequency:
        return None
    minutes = _SY_PERIOD_MINUTES.get((period or "daily").lower())
    if minutes is None:
        return None  # an unknown period says nothing we could honour
    if not frequency:
        return minutes
    if not _SY_FREQUENCY_VALUE_RE.fullmatch(frequency) or int(frequency) == 0:
        return None  # "0", "-3", "2.5", "abc": guessing "once" would invent an interval
    return max(1, minutes // int(frequency))


def _channel_header(body: bytes) -> bytes:
    """The document up to its first item or entry (within 64 KB): where the channel's own
    elements are. Items' content may quote the same markup, in CDATA or escaped."""
    head = body[:65536]
    match = _FIRST_ITEM_RE.search(head)
    return head[: match.start()] if match else head


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)
