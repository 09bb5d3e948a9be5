"""Datelines: the place, and maybe the wire's tag, a report opens with ("BRISTOL (AP) — ",
"PORT ELLIS, Maine — ", "ST. CLOUD, Minn., May 3 (Reuters) -- ", "(CNN) — "). It is no news,
and words neither a bullet nor a headline can spare.

A dateline names a place. Most shapes say so themselves: a state or country after a comma, a
date, a wire's tag in brackets, a place of several words. One word in capitals before a dash
says nothing by its shape: "BRISTOL — Crews cleared ..." opens with a place, "NASA — The
agency said ..." or "NATO — the alliance's ..." with the sentence's subject. Such a word is a
dateline only when nothing marks it as a name:

- it is no acronym `likely_acronym` knows (short, dotted, or a known one: NASA, FEMA, OSHA), the
  guess a shouted title's words are kept by;
- it has a vowel: a place's name is said, an initialism (NTSB, HHS) is spelt;
- the sentence after the dash starts as a sentence does, with a capital: words that run on in
  lower case are an aside about the name before the dash.

Past its first letter, what the sentence after the dash says is no sign: "WASHINGTON — The
administration proposed ...", "GENEVA — The organization said ..." or "LONDON — The company said
..." point back to the headline, not to the dateline. So a spoken acronym no list holds ("KELVA — The agency said ...")
reads as a place and goes, as GENEVA would: only a list can tell the two apart.

The wire's "FILE -" before an archive photo's caption is no place either, and stays to say what
the sentence is.
"""

from __future__ import annotations

import re

from bot.summarize.casing import likely_acronym

_DATELINE_RE = re.compile(
    r"^(?P<wire>\([^()]{1,40}\)\s+)?"
    r"(?:(?P<place>[A-Z]{2}[A-Z.'’-]*(?:\s+[A-Z][A-Z.'’-]+){0,3})"
    r"(?P<region>,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?"
    r"(?P<date>,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?P<tag>\s*\([^()]{1,40}\))?"
    r"|\([^()]{1,40}\))"
    # Any dash a page sets ("―", "‒" as well as "—", "–"), and a long one typed with no space
    # before a capital ("WASHINGTON—Joining ..."); a hyphen only with a space after it, since
    # "COVID-Related" is one word.
    r"\s*(?:(?:[—–―‒]|--)(?:\s+|(?=[A-Z\"“‘]))|-\s+)"
)
# A dateline whose dash was lost on the way ("WASHINGTON The Senate passed ..."): one place word
# or two in capitals right before a word only a sentence opens with. "NASA The ..." reads as
# nothing else, while "CREDO Action said" or "GUNS Barrett indicated" may well be the sentence's
# subject or a page's label and run on into its text: so only an article, a demonstrative or a
# preposition after the capitals marks their end.
_BARE_PLACE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’-]{2,}(?:\s+[A-Z][A-Z'’-]+)?)\s+"
    r"(?=(?:The|A|An|This|These|Those|In|On|At|After|Before|During|When|While|For|With)\s)"
)
# The wire's mark on an archive photo's caption ("FILE - In this 2016 file photo, ..."): no
# place, and what tells a reader the sentence is a caption, not reporting.
_CAPTION_MARKS = frozenset({"FILE"})
# What must be left after a dateline: a dateline and two words are a caption, not a sentence.
_MIN_WORDS_AFTER = 3
_VOWELS = frozenset("AEIOUY")


def dateline_end(sentence: str) -> int:
    """Where `sentence`'s dateline ends (0 when it has none)."""
    match = _DATELINE_RE.match(sentence)
    if match is None:
        return _bare_place_end(sentence)
    rest = sentence[match.end() :]
    if len(rest.split()) < _MIN_WORDS_AFTER:
        return 0
    place = match.group("place")
    if place in _CAPTION_MARKS:
        return 0
    lone = place is not None and not any(match.group(g) for g in ("wire", "region", "date", "tag"))
    if lone and len(place.split()) == 1 and _names_no_place(place, rest):
        return 0
    return match.end()


def _bare_place_end(sentence: str) -> int:
    """Where a dateline that lost its dash ends (0 when there is none): its longest word may be
    no acronym nor vowelless (`_names_no_place`; "NEW YORK" has a short word, as a place of two
    words often has), and a sentence must be left after it."""
    match = _BARE_PLACE_RE.match(sentence)
    if match is None:
        return 0
    rest = sentence[match.end() :]
    if len(rest.split()) < _MIN_WORDS_AFTER or match.group("place") in _CAPTION_MARKS:
        return 0
    if _names_no_place(max(match.group("place").split(), key=len), rest):
        return 0
    return match.end()


def _names_no_place(word: str, rest: str) -> bool:
    """Whether a lone capitalised `word` before a dash, with `rest` after it, is the sentence's
    subject rather than a place (the rules in the module's docstring)."""
    return likely_acronym(word) or not _VOWELS.intersection(word) or rest[:1].islower()


def without_dateline(sentence: str) -> str:
    """`sentence` less its opening dateline, if it has one."""
    return sentence[dateline_end(sentence) :]
