"""Relative time words ("this morning", "today", "yesterday") a bullet can do without.

A card is read hours or days after its sources were written: "claimed victory this morning" is
then wrong, and the card already says when the story was first reported. A weekday ("on
Tuesday") stays: it still names the day. The words go only where the sentence reads the same
without them: after a verb or its object and before punctuation or a preposition ("said this
morning in a statement" -> "said in a statement"), or as an opener set off by a comma ("Earlier
today, ..."). Never inside a quotation, whose words are the speaker's; never after a preposition
or a form of "be" ("until today", "the deadline is today"), where the sentence needs them; and
never a capitalised "Today" mid-sentence, which is a programme's name.
"""

from __future__ import annotations

import re
from collections import Counter

_PHRASE = (
    r"(?:(?:earlier|later|late|early)\s+)?"
    r"(?:this\s+(?:morning|afternoon|evening)|today|tonight|yesterday|last\s+night)"
    r"(?![\w'’-])"
)
# An opener: "Earlier today, ...", "Yesterday, ...". Without the comma the phrase may be the
# subject ("Today is ...").
_OPENER_RE = re.compile(rf"^(?i:{_PHRASE}),\s+")
# Mid-sentence, lower case only: "Today" there is the name of a show.
_MID_RE = re.compile(
    rf"(?P<comma>,)?\s+{_PHRASE}"
    r"(?=\s*(?P<punct>[,.;:!?]|$)|\s+(?:in|at|on|after|with|to|from|as|when|while|for|during|"
    r"near|outside|inside|before|amid|that|following|over|against|by)\b)"
)
# Words the phrase may not follow: a preposition or "be" needs it ("until today", "is today"),
# after "and"/"or" it is one of a pair ("yesterday and today"), and "starting today" or "due
# today" says when, which the sentence is about.
_NEEDS_IT = frozenset(
    """
    of until till since by from for than as before after through including like to between
    and or nor at on in is was are were be been being am it's that's
    starting beginning effective due expected scheduled slated ending
    """.split()
)
_QUOTE_MARKS = frozenset('"“”')
_WORD_BEFORE_RE = re.compile(r"([\w'’]+)\W*$")


def without_relative_time(text: str) -> str:
    """`text` less its relative time words where it reads as well without them (see the
    module's docstring); `text` itself when none can go."""
    opener = _OPENER_RE.match(text)
    if opener:
        rest = text[opener.end() :]
        text = rest[:1].upper() + rest[1:]
    out: list[str] = []
    last = 0
    # Quote marks counted as the matches go, as `has_open_quote` would count each one's prefix:
    # asking it of every prefix was quadratic in a sentence of many matches.
    quotes = Counter[str]()
    counted = 0
    for match in _MID_RE.finditer(text):
        quotes.update(c for c in text[counted : match.start()] if c in _QUOTE_MARKS)
        counted = match.start()
        # The word before, from a short window: a search of the whole prefix was quadratic too.
        before = _WORD_BEFORE_RE.search(text[max(0, match.start() - 40) : match.start()])
        if (
            before is None
            or before.group(1).casefold() in _NEEDS_IT
            or quotes['"'] % 2 == 1
            or quotes["“"] > quotes["”"]
        ):
            continue
        if match.group("comma") and match.group("punct") not in (",", "."):
            continue  # ", today in Paris, ...": an aside the rest may lean on
        out.append(text[last : match.start()])
        last = match.end()
        if match.group("comma") and match.group("punct") == ",":
            # ", today," is an aside: both commas go ("The party, today, said" -> "The party said").
            last = text.index(",", last) + 1
    out.append(text[last:])
    return "".join(out)
