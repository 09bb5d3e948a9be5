"""Cutting text to a length counted as chat platforms count it, never through what shows as one
character: Slack's Block Kit limits and Discord's embed, thread-name and component limits are
all UTF-16 units (JavaScript string length, an emoji two), and a cut through a grapheme cluster
shows garbage (a bare accent, half a flag, a man where a family was). Both adapters cut here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Bounds both adapters put on one untrusted piece of a card: an outlet's name, and the text of a
# TL;DR bullet (on Slack an angle's line too), so no single line crowds out the rest.
NAME_CHARS = 80
LINE_CHARS = 500


def units(text: str) -> int:
    """`text`'s length as the platforms' limits are counted here: in UTF-16 code units, so an emoji (or
    any character past U+FFFF) is two. Slack's documentation says "characters" without saying
    which; JavaScript counts these units, and a header of 100 emoji is 100 code points but 200
    units, which Slack may refuse (invalid_blocks, the card not posted). The stricter reading
    costs only a shorter cut of emoji-heavy text."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def head(text: str, limit: int) -> str:
    """The longest start of `text` of at most `limit` UTF-16 units (`units`), never half of a
    character's surrogate pair, nor of what shows as one character (`_cluster_start`)."""
    cut = min(len(text), max(0, limit))  # no fewer units than code points: nothing past fits
    total = 0
    for index, char in enumerate(text[:cut]):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > limit:
            cut = index
            break
    return text[: _cluster_start(text, cut)]


_ZWJ = "\u200d"


def _extends(char: str) -> bool:
    """A character shown as part of the one before it: left without it, or it without this,
    the cut shows garbage (a bare accent, a tone swatch, a man where a family was)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")  # combining accents, a keycap's box
        or char == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors: VS16 asks for the emoji form
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tags: a subdivision flag's letters
    )


def _conjunct(text: str, index: int) -> bool:
    """A letter after a virama: an Indic conjunct ("क्ष"), shown as one; cut, a half form shows."""
    return (
        unicodedata.combining(text[index - 1]) == 9 and unicodedata.category(text[index])[0] == "L"
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _cluster_start(text: str, index: int) -> int:
    """`index`, or the nearest index before it that does not cut through a grapheme cluster:
    not before a combining mark, a variation selector, a skin tone or a tag, nor either side of
    a zero-width joiner (an emoji ZWJ sequence goes whole or not at all), nor between the two
    regional indicators of a flag (pairs counted from the start of their run), nor inside an
    Indic conjunct (a letter after a virama). Hangul syllables
    spelt in conjoining jamo are not handled (Korean news comes precomposed)."""
    while 0 < index < len(text):
        if _extends(text[index]) or text[index - 1] == _ZWJ or _conjunct(text, index):
            index -= 1
            continue
        if _regional(text[index]) and _regional(text[index - 1]):
            run = 0
            while run < index and _regional(text[index - 1 - run]):
                run += 1
            if run % 2:
                index -= 1
                continue
        break
    return index


# A cut this far back from the limit at most, to end on a word: a long word (a URL, a German
# compound) is cut inside rather than leave a line a fraction of its room.
_WORD_SLACK = 0.8
_SPACE_RE = re.compile(r"\s")


def word_head(text: str, limit: int) -> str:
    """`head`, ended at a word's edge when the cut falls inside a word and a space in the last
    fifth of the room allows (the space itself left off)."""
    cut = head(text, limit)
    if len(cut) == len(text) or _SPACE_RE.match(text[len(cut)]) or not cut:
        return cut
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > 0 and units(cut[:space]) >= limit * _WORD_SLACK:
        return cut[:space]
    return cut


def most_that_fit(total: int, fits: Callable[[int], bool]) -> int:
    """The largest k in 0..total with fits(k), for a `fits` that holds for every k below one
    that does (0 is taken when nothing fits)."""
    low, high = 0, total
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low
