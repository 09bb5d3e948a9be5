"""How a title reads as a card's headline: what marks it down against another outlet's.

A question, clickbait, loaded wording ("forces X to admit", "rant", "blasts", "Fury as ..."), an
opening quotation, a very short or long title; a second sentence, the outlet's comment on its
news ("... Despite Apology. This Is Disgusting"); a kicker before a dash, its pun ("The No's have
it - Newsom survives ..."). `headline.choose_headline` weighs each title's story vocabulary by
it, and among titles scoring within TITLE_CASE_MARGIN of the best prefers one in sentence case
to one in Title Case (`best_title`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.summarize.sentences import ABBREVIATIONS

CLICKBAIT_RE = re.compile(
    r"(?i)\b(?:you won'?t believe|here'?s (?:why|what|how)|what you need to know|"
    r"things to know|this is why|will shock|jaw-dropping|must see|the truth about|"
    r"everything we know|you need to see|goes viral|slams|destroys|epic)\b"
)


# Loaded wording: a verb that scores the exchange ("forces X to admit", "rips", "blasts"), a
# noun or adjective that judges what was said ("rant", "tirade", "unhinged", "profane"). A
# neutral outlet's title telling the same news says "tells", "criticises", "post": marked down,
# not ruled out as clickbait is, since a loaded title may be the only one on the story.
LOADED_RE = re.compile(
    r"(?i)\b(?:forc(?:es|ed|ing)\s+(?:\S+\s+){1,5}?to\s+(?:admit|apologi[sz]e|concede|back\s+down"
    r"|retract|walk\s+back|confess)"
    # A count before "blasts" makes it explosions ("Twin blasts kill 12"), not a verb.
    r"|(?<!\d )(?<!twin )(?<!two )(?<!three )(?<!several )(?<!deadly )(?<!multiple )"
    r"(?:blast(?:s|ed)|rips|ripped|torch(?:es|ed)|scorch(?:es|ed)|eviscerat(?:es|ed)|shreds"
    r"|shredded|trash(?:es|ed)|lambast(?:s|ed|es)|skewer(?:s|ed)|humiliat(?:es|ed)|mock(?:s|ed)"
    r"|obliterat(?:es|ed)|demolish(?:es|ed)|annihilat(?:es|ed)|pummel(?:s|l?ed)|clobber(?:s|ed)"
    r"|trounc(?:es|ed))"
    r"\b(?!\s+off)"
    r"|(?:lash(?:es|ed)\s+out|unload(?:s|ed)\s+on|go(?:es)?\s+off\s+on|went\s+off\s+on"
    r"|claps?\s+back|smack(?:s|ed)\s+down|rail(?:s|ed)\s+against)"
    r"|rants?|ranting|tirades?|meltdowns?|diatribes?|screeds?|unhinged|bombshell|profane"
    r"|disgusting|disgraceful|outrageous|shocking|insane|hysterical|furious)\b"
)
# A feeling opening the title ("Fury as council delays vote", "Frustration as ..."): the outlet
# tells the reader how to take the news before the news. Loaded too.
EMOTION_OPENER_RE = re.compile(
    r"(?i)^(?:anger|fury|outrage|frustration|chaos|panic|horror|heartbreak|dismay|despair|joy"
    r"|jubilation|delight|uproar|backlash|fears?|alarm)\s+as\b"
)
_LOADED_PENALTY = 0.4


def badness(title: str) -> float:
    """How much `title` reads worse than a plain report: 0 for none, each fault adding its share
    (the caller scales a title's score by what is left, at least a tenth)."""
    n = len(title.split())
    bad = 0.0
    if title.endswith("?"):
        bad += 0.5
    if CLICKBAIT_RE.search(title):
        bad += 0.5
    if LOADED_RE.search(title) or EMOTION_OPENER_RE.match(title):
        bad += _LOADED_PENALTY
    if title[:1] in "\"“‘'":
        bad += 0.3
    if n < 5:
        bad += 0.3
    if n > 16:
        bad += 0.02 * (n - 16)
    # A second sentence is the outlet's comment on its news ("... Despite Apology. This Is
    # Disgusting", "... ended. These programs may help"); a kicker before a dash is its pun ("The
    # No's have it - Newsom survives ..."): another outlet's plain title tells it better.
    if _SECOND_SENTENCE_RE.search(title) and not _abbreviation_end(title):
        bad += _EDITORIAL_PENALTY
    if _KICKER_RE.match(title):
        bad += _EDITORIAL_PENALTY
    return bad


# Title Case is a house style more than a tone: it only tips a near tie to a title in sentence
# case, which reads as the card's own. As a 10% mark-down it decided between titles far apart
# (51 dev headlines), often for a wordier or more loaded one.
TITLE_CASE_MARGIN = 0.05


def best_title(scored: Sequence[tuple[float, str, int]]) -> tuple[float, str, int]:
    """The best of (score, title, index), the first on a tie; but a title in sentence case
    scoring within TITLE_CASE_MARGIN of a best one in Title Case wins over it."""
    best = max(scored, key=lambda item: item[0])  # max keeps the first of equals
    if not _title_case(best[1]):
        return best
    close = [
        s for s in scored if s[0] >= best[0] * (1 - TITLE_CASE_MARGIN) and not _title_case(s[1])
    ]
    return max(close, key=lambda item: item[0]) if close else best


_EDITORIAL_PENALTY = 0.3
# A word of four letters or more ending a sentence inside the title, and the next one opening.
_SECOND_SENTENCE_RE = re.compile(r"\b([A-Za-z][a-z]{3,})[.!?]\s+[\"“‘']?[A-Z]")
# A short lead before a spaced dash and a longer tail: "High sign for legal pot — Pritzker ...".
_KICKER_RE = re.compile(r"^(?:\S+\s+){0,4}\S+\s[-–—]\s(?:\S+\s+){5,}\S+")
# Small words Title Case leaves in lowercase; a title of longer words all capitalised is one.
_TITLE_CASE_SMALL = frozenset(
    "a an the and or but nor of in on at to for by with from as vs via".split()
)
_TITLE_CASE_MIN_WORDS = 5


def _abbreviation_end(title: str) -> bool:
    """Whether every sentence end `_SECOND_SENTENCE_RE` finds is an abbreviation's ("Dept.")."""
    return all(m.group(1).casefold() in ABBREVIATIONS for m in _SECOND_SENTENCE_RE.finditer(title))


def _title_case(title: str) -> bool:
    words = [w.strip("\"“”‘’'()[]:,") for w in title.split()]
    words = [w for w in words if w[:1].isalpha() and w.casefold() not in _TITLE_CASE_SMALL]
    return len(words) >= _TITLE_CASE_MIN_WORDS and all(w[:1].isupper() for w in words)
