"""Whether the words after a bare "Credit:" name someone, or head a story.

"Credit:" heads a picture's credit ("Credit: Dr. A. Roe") as well as a credit-market item or a
film's credits ("Credit: Fed Raises Rates"), and both are a few capitalised words. The rule
reads the words' shape, no list of names:

- A name is an optional title ("Dr.", "Mrs."), then one to four name words: initials ("A."),
  capitalised words (hyphenated, "Jean-Luc"; "McAdam", "O'Neil", "DeSantis"), or words in
  capitals ("JANE ROE"), with lowercase particles between them ("van der", "de la"). Two words
  at least, a title counting as one.
- What follows the name decides the rest: a lowercase word that is no particle ("Fed raises
  rates"), a possessive ("Moody's Downgrades Israel") or a capitalised little word ("To", "The")
  ends the name, and a caller takes the line for a credit only when the name ends it (or a
  comma, a slash, "for"/"via" follows).

- A word past the first that is a headline's verb of movement or action ("Oil Jumps", "Markets
  Slide", "Fed Raises Rates") makes the words a headline: a short list of verbs in both forms,
  none of them a common surname as it is or with its -s ("Sells", "Near"). The -es form counts
  only after a hissing sound ("Slashes"), so "Gaines" and "Hites" are no verbs. Endings alone do
  not tell: "Nils Dahl", "Jane Evans" and "Ana Pires" end like plurals or verbs.

So "Jane Roe", "Harbour Press", "Hans Roe", "John Henry Williams" are credits, and "Moody's
Downgrades Israel", "Markets Slide" or "Lender Pulls Out Of Port Deal" is reporting. A short
headline in title case with none of those signs ("Ferry Chief Quits") still reads as a name and
is taken for a credit: reporting taken for a credit costs less than a photographer's name run
into a story's headline.
"""

from __future__ import annotations

import re

__all__ = ["named_credit_end"]

_TITLE_RE = re.compile(r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir|Dame)\.?(?=\s)")
_TOKEN_RE = re.compile(
    r"(?P<initial>[A-Z]\.)"
    r"|(?P<particle>(?:van|von|der|den|de|la|le|du|des|del|della|di|da|dos|das|ter|ten|bin|al|el)"
    r"(?=\s))"
    r"|(?P<word>(?:(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)*"
    r"|[A-Z]{2,}(?:-[A-Z]{2,})*)(?![\w'’]))"
)
# Capitalised little words: a name does not hold them, a headline does.
_LITTLE = frozenset(
    """
    To In On At Of For By As The A An And Or But With From Over After Into Off Up Out Is Are Was
    Were Will Be Has Have Not No
    """.split()
)
_MAX_NAME_WORDS = 4
# What markets and prices do in the headlines a bare "Credit:" also heads ("Credit: Oil Jumps"),
# and a few verbs a short headline turns on. Left out: verbs that are surnames too, as they are
# or with their -s (Close, Say, Hunt, Cook, Rush, Sparks, Banks, Sells, Near, and Win of Burmese
# names).
_HEADLINE_VERBS = frozenset(
    """
    jump slide fall rise soar plunge tumble climb gain drop sink surge dip ease rally rebound
    slump slip edge retreat advance widen narrow tighten steady weaken strengthen recover stall
    spike crash sour extend hit raise cut lift lower hike trim slash boost buy warn lose
    double halve beat miss falter stumble sag skid dive fade shrink swell jolt rattle
    """.split()
)
# A verb takes -es only after a hissing sound ("Slashes", "Misses"); elsewhere an -es word is a
# name's ("Gaines", "Hites"), not a verb's.
_ES_STEMS = ("s", "sh", "ch", "x", "z")


def named_credit_end(text: str, pos: int) -> int | None:
    """Where the name a credit gives, starting at `text[pos]`, ends; None when the words there
    are no name by the rule above (or a headline's)."""
    end = pos
    titled = False
    m = _TITLE_RE.match(text, pos)
    if m is not None:
        titled, end = True, m.end()
    words: list[str] = []
    cursor = end
    while True:
        gap = cursor
        while gap < len(text) and text[gap] == " ":
            gap += 1
        if (words or titled) and gap == cursor:
            break  # tokens are separated by a space
        m = _TOKEN_RE.match(text, gap)
        if m is None or m.group() in _LITTLE:
            break
        if m.group("particle"):
            if not words:
                break  # a particle follows a name word ("Jan van Dyke")
        else:
            words.append(m.group())
            end = m.end()
        cursor = m.end()
    if not words or len(words) > _MAX_NAME_WORDS or len(words) + titled < 2:
        return None
    if any(_headline_verb(word) for word in words[1:]):
        return None
    return end


def _headline_verb(word: str) -> bool:
    """Whether `word` is one of `_HEADLINE_VERBS`, as it is or with the -s a headline gives it
    ("Jumps", "Rallies", "Slashes")."""
    low = word.casefold()
    if low in _HEADLINE_VERBS:
        return True
    if low.endswith("ies"):
        return f"{low[:-3]}y" in _HEADLINE_VERBS
    if low.endswith("es") and low[:-2].endswith(_ES_STEMS) and low[:-2] in _HEADLINE_VERBS:
        return True
    return low.endswith("s") and low[:-1] in _HEADLINE_VERBS
