"""Web addresses in a headline, read as the name of their site for a slug (see `slugs`)."""

from __future__ import annotations

import re

# Web addresses in a headline: a site's name is a fine slug word ("example"), its scheme,
# "www", top-level domain and path are not. Bare domains only with a common top-level domain,
# so "U.S." or "Node.js" stay words.
#
# Titles and leads come from feeds, so the pattern must stay linear on hostile text ("a." * 30000,
# "a-" * 30000 + "."). A bare domain starts only at the start of a dotted name: not after a
# label's letter or hyphen, nor right after a label's dot (`(?<![\w-])(?<![\w-]\.)`). An earlier
# start covers every later one inside the same name, so each character is scanned by at most one
# try; starting at every letter (as `\b` did) rescanned the rest of the name from each, which was
# quadratic (`"a." * 3000` took 17 s). Labels are also bounded as in DNS (at most 63 characters,
# and at most 8 of them before the top-level domain), capping the work of any one try.
_TLDS = frozenset(
    """
    com org net edu gov mil int info biz io co ai app dev news tv ly gg xyz online site
    uk de fr es nl eu ca au jp cn ru br ch se dk fi pl at be
    example test invalid localhost
    """.split()
)
_BARE_TLDS = sorted(_TLDS - {"at", "be"}, key=len, reverse=True)
_URL_RE = re.compile(
    r"\b(?:https?://|www\.)(?P<host>[^\s/?#:]*)\S*"
    r"|(?<![\w-])(?<![\w-]\.)"
    r"(?P<domain>(?:[^\W_][\w-]{0,62}\.){1,8}(?:" + "|".join(_BARE_TLDS) + r"))\b(?:/\S*)?",
    re.IGNORECASE,
)


def _site_name(match: re.Match[str]) -> str:
    """The name a web address is known by: "www.example.com/x" -> "example"."""
    host = match.group("host") if match.group("host") is not None else match.group("domain")
    labels = [label for label in host.split(".") if label]
    if labels and labels[0].lower() == "www":
        labels = labels[1:]
    top = len(labels)
    while top > 1 and labels[top - 1].lower() in _TLDS:
        top -= 1
    if top == len(labels) and top > 1:
        top -= 1  # a top-level domain not in the list is still one
    return f" {labels[top - 1]} " if top else " "


def unlink(text: str) -> str:
    """`text` with each web address replaced by its site's name."""
    return _URL_RE.sub(_site_name, text) if "." in text or "//" in text else text
