"""Whether the words after a bare "Credit:" name someone, or head a story.

"Credit:" heads a picture's credit ("Credit: Dr. A. Roe") as well as a credit-market item or a
film's credits ("Credit: Fed Raises Rates"), and both are a few capitalised words. The rule
reads the words' shape, no list of names:

- A name is an optional title ("Dr.", "Mrs."), then one to four name words: initials ("A."),
  capitalised words (hyphenated, "Jean-Luc"; "McAdam", "O'Neil", "DeSantis"), or words in
  capitals ("JANE ROE"), with lowercase particles between them ("van der", "de la"). Two words
  at least, a title counting as one.
- A title, an initial or a particle shows a person: such a name is a credit whatever its words.
- Otherwise the words are a headline when they read as one: three or four words of which one
  after the first ends like a verb or a plural ("Raises", "Hits", "Blocked", "Falling"), or
  words opening on a plural ("Markets Rally", "Lenders Pull Back"). A capitalised little word ("To",
  "The") or a possessive ("Moody's") ends the name, as a headline runs on after it.

So "Jane Roe", "Harbour Press", "Ola Berg" are credits, and "Fed Raises Rates" is reporting. A
two-word headline without a plural ("Oil Jumps") still reads as a name, and a three-word name
with a plural-looking middle or last word ("Mary Ann Evans") as a headline: the rule guesses
from shape, and the guess errs both ways only on such short, rare lines.
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
_NOT_VERB_S = ("ss", "us", "is")


def named_credit_end(text: str, pos: int) -> int | None:
    """Where the name a credit gives, starting at `text[pos]`, ends; None when the words there
    are no name by the rule above (or a headline's)."""
    end = pos
    titled = False
    m = _TITLE_RE.match(text, pos)
    if m is not None:
        titled, end = True, m.end()
    words: list[str] = []
    strong = titled
    pending_particle = False
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
                break
            pending_particle = True
        else:
            words.append(m.group())
            strong = strong or m.group("initial") is not None or pending_particle
            pending_particle = False
            end = m.end()
        cursor = m.end()
    if not words or len(words) > _MAX_NAME_WORDS or len(words) + titled < 2:
        return None
    if not strong and _reads_as_headline([w.casefold() for w in words]):
        return None
    return end


def _reads_as_headline(words: list[str]) -> bool:
    if _plural(words[0]):
        return True
    return len(words) >= 3 and any(_verb_like(w) for w in words[1:])


def _verb_like(word: str) -> bool:
    if word.endswith(("ed", "ing")) and len(word) >= 5:
        return True
    return word.endswith("s") and not word.endswith(_NOT_VERB_S)


def _plural(word: str) -> bool:
    """A plural as a headline opens on ("Markets", "Lenders", "Stocks"): a consonant before the -s,
    which given names ("James", "Chris", "Douglas", "Carlos") seldom have."""
    return len(word) >= 4 and word[-1] == "s" and word[-2] not in "aeiousy"
