"""The outlet an aggregator's item names at its headline's end ("... - Reuters").

An aggregator's feed is one source, but its items are each the named outlet's: two of them share
no template unless they name the same one (`specifics.py`).
"""

from __future__ import annotations

import re

from bot.cluster.marks import MONTHS, WEEKDAYS
from bot.textutil import has_digit, words

# An outlet named at a headline's end, as an aggregator's items carry it: "... - Reuters".
_BYLINE_RE = re.compile(r"\s[-\u2013\u2014|]\s+([^-\u2013\u2014|:]{2,40})$")
_NOT_OUTLETS = (
    WEEKDAYS
    | MONTHS
    | frozenset(
        "today tonight live latest update updates video photos opinion analysis explainer".split()
    )
)


def byline(title: str) -> str:
    """The outlet a headline's tail names ("... - Reuters" -> "reuters"), "" for none."""
    if "-" not in title and "|" not in title and "\u2013" not in title and "\u2014" not in title:
        return ""
    m = _BYLINE_RE.search(title)
    if m is None:
        return ""
    name = m.group(1).strip()
    names = name.split()
    if not 1 <= len(names) <= 4 or has_digit(name) or not name[:1].isupper():
        return ""
    folded = " ".join(words(name))
    return "" if folded in _NOT_OUTLETS else folded


def same_byline(by_a: str, by_b: str) -> bool:
    """Whether two items' bylines (`byline`) allow them to be one outlet's."""
    # An aggregator's items name their outlets: two naming others are two outlets' reports. An
    # outlet that signs only some of its headlines is still itself.
    return by_a == by_b or not by_a or not by_b
