"""An element carrying more attributes than any feed or OPML file needs, found before a parser.

fastfeedparser's compiled core is quadratic in the attributes of one element (namespace
declarations included) and holds the GIL throughout, so running it in a thread does not spare the
event loop: 80,000 attributes on one <item> (869 KB) froze the service for 23 s, and at the
fetch's 10 MB cap a poll would take about an hour, every poll. feedparser, the fallback, is
quadratic too (51 s for 40,000), and so is lxml's `attrib.items()` the OPML import walked. Real
documents carry a few dozen at most (28 is the most of any tag in 2,389 real feeds and test
documents: an article's `<img>` inside CDATA; a root declaring its namespaces has about a dozen),
so one past `MAX_ATTRIBUTES` is refused as malformed before any of them reads it.

The scan is one regular expression over the bytes, linear in the document: it tries each `<`
for a start tag with more attributes than the limit, each attribute matched atomically, so a
tag of fewer fails once it ends. Attribute values are quoted in XML and hold no `<` (where one
does, the document is malformed, and every parser's recovery was timed dropping the rest of the
tag, fast); a value holding `>` or `=` is still one attribute. A tag inside a CDATA section or comment counts too:
no article's markup needs so many either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_ATTRIBUTES", "CrowdedElement", "crowded_element"]

# Attributes and namespace declarations on one element, together; generous beside real feeds'.
MAX_ATTRIBUTES = 1_000

_ATTRIBUTE = rb"""\s++[^\s=<>/"']++\s*+=\s*+(?:"[^"]*+"|'[^']*+')"""
_ATTRIBUTE_RE = re.compile(_ATTRIBUTE)
# Each attribute takes five bytes at least (` a=""`) and none holds a "<": the lookahead turns
# away every tag that ends sooner at the cost of a scan to the next "<".
_CROWDED_RE = re.compile(
    rb"""<(?=[^<]{%d})([^\s<>/!?=\"']++)(?>%s){%d}"""
    % (5 * (MAX_ATTRIBUTES + 1), _ATTRIBUTE, MAX_ATTRIBUTES + 1)
)
_REST_RE = re.compile(rb"(?>%s)*+" % _ATTRIBUTE)


@dataclass(frozen=True, slots=True)
class CrowdedElement:
    name: str  # as written, with its prefix: "item", "atom:entry"
    attributes: int  # its attributes and namespace declarations, all of them

    def __str__(self) -> str:
        return (
            f"one <{self.name}> element carries {self.attributes:,} attributes and namespace"
            f" declarations, past the {MAX_ATTRIBUTES:,} any feed or OPML file needs: refused,"
            " since reading so many ties up the parser for minutes"
        )


def crowded_element(document: bytes) -> CrowdedElement | None:
    """The first element of `document` (XML bytes in an ASCII-compatible encoding) carrying more
    than `MAX_ATTRIBUTES` attributes and namespace declarations, or None."""
    match = _CROWDED_RE.search(document)
    if match is None:
        return None
    rest = _REST_RE.match(document, match.end())
    end = rest.end() if rest is not None else match.end()
    count = len(_ATTRIBUTE_RE.findall(document, match.end(1), end))
    return CrowdedElement(match.group(1).decode("utf-8", "replace")[:100], count)
