"""Headline style, for a title and for a headline made from body text alike: no "WATCH:"-style
label heading it, no final full stop, no run of "!" or trailing "!", "?!" asking as "?".
"""

from __future__ import annotations

import re

_LABEL_WORDS = (
    r"(?:breaking(?: news)?|watch|video|live(?: updates)?|update[d]?|exclusive|opinion|"
    r"analysis|editorial|just in|developing|photos?|listen|explainer|fact check)"
)
# Labels can stack ("WATCH LIVE:", "BREAKING: LIVE:"); the run before the separator goes at once.
LABEL_RE = re.compile(rf"(?i)^{_LABEL_WORDS}(?:\s+{_LABEL_WORDS})*\s*[:|\-–—]\s*")


def headline_end(title: str) -> str:
    """`title` ended as a headline ends: no final full stop or "!", no clickbait emphasis."""
    title = title.rstrip(" !").strip()
    # A final full stop is not headline style, but the dot of "U.S." is part of the word.
    if title.endswith(".") and not re.search(r"(?:^|\s)(?:[^\W\d_]\.)+$", title):
        title = title[:-1].rstrip()
    return _tone_down(title)


# "?!" and "!?" ask; a run of "!" only shouts. A single "!" inside the title is kept: it is
# part of a name ("Yahoo! Japan", "Jeopardy! host") or of text quoted as it is ("<!channel>",
# which the renderers escape).
_INTERROBANG_RE = re.compile(r"\?!+|!+\?")
_BANGS_RE = re.compile(r"\s*!{2,}")


def _tone_down(title: str) -> str:
    """`title` without clickbait emphasis: runs of "!" and a trailing "!" go, "?!" becomes "?"."""
    if "!" not in title:
        return title
    title = _BANGS_RE.sub("", _INTERROBANG_RE.sub("?", title))
    return title.rstrip(" !").strip()
