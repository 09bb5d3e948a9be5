"""What the LLM writer's prose may never hold, wherever the words came from.

Chat markup, mentions and links: a neutral summary line needs none of them, and a hostile feed
article can hand the model "@everyone" or a link to repeat verbatim (renderers escape them, but
a card that pings or links is already wrong). Claims about the sources: the card states which
outlets report a bullet, from the sources; a model line naming an outlet ("Harbor Daily
reports ...") or counting them ("all outlets report ...") would state it a second time, unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Mentions (@everyone, @here, @name, <@U123>, <!channel>, <#C1>), links (a scheme, www., a
# markdown link, Slack's <url|text>) and emphasis or code (*x*, _x_, `x`, ~x~). A lone "*" or
# "`" is no prose either; "~" and "_" only in pairs, so "~50 people" and "snake_case" pass.
_MARKUP_RE = re.compile(
    r"(?<![\w.])@\w"
    r"|<[@!#]"
    # A scheme starts where a run of scheme characters starts: with a plain \b, every letter
    # after a "." or "-" of "a.a.a.a..." began one and scanned to the run's end (quadratic).
    r"|(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://"
    r"|\bwww\."
    r"|\]\s*\("
    r"|<[^<>\s|]+\|"
    r"|[*`]"
    r"|(?<!\w)_[^_\s](?:[^_]*[^_\s])?_(?!\w)"
    r"|~[^~\s](?:[^~]*[^~\s])?~",
    re.IGNORECASE,
)
# "all outlets", "every source", "most reports", "four of the outlets", "several media outlets".
_COUNTED_SOURCES_RE = re.compile(
    r"\b(?:all|every|each|most|many|several|both|multiple|\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten)\s+(?:of\s+the\s+)?(?:news\s+|media\s+)?(?:outlets?|sources?|reports|"
    r"publications?|newspapers?|organi[sz]ations)\b",
    re.IGNORECASE,
)


class ProseRejected(ValueError):
    """Model prose holding markup, a mention, a link or a claim about the sources."""


# Longer than any bullet, angle line or quote a card shows: an endpoint that ignores max_tokens
# (or is not what it claims) gets no regex run over a megabyte of its answer.
MAX_PROSE_CHARS = 2_000


def check_prose(text: str, outlet_names: Iterable[str]) -> None:
    """Raise ProseRejected if `text` is over-long, holds markup, or names or counts the story's
    outlets."""
    if len(text) > MAX_PROSE_CHARS:
        raise ProseRejected(f"model text of {len(text)} characters (at most {MAX_PROSE_CHARS})")
    markup = _MARKUP_RE.search(text)
    if markup:
        raise ProseRejected(f"markup, mention or link in model text: {markup.group(0)!r}")
    counted = _COUNTED_SOURCES_RE.search(text)
    if counted:
        raise ProseRejected(f"model text counts the outlets: {counted.group(0)!r}")
    for name in outlet_names:
        bare = name.removeprefix("The ").strip()
        # Case-sensitive: an outlet called "Independent" is not "an independent inquiry".
        if bare and re.search(rf"(?<!\w){re.escape(bare)}(?!\w)", text):
            raise ProseRejected(f"model text names the outlet {name!r}")
