"""Whether a clause says a thing happened, will happen, or only may.

"Acme agreed to buy Birch", "Acme plans to buy Birch", "Reed could be charged", "the council may
approve the budget", "Reed faces up to ten years in prison": each holds the verb of a bullet that
states it as done ("Acme bought Birch", "Reed was charged"), and each says it has not happened.
`level_before` reads what governs a verb: DONE when nothing puts it off, FUTURE after "will",
"would" (reported speech: "said it would buy"), "agreed to", "plans to" or "set to", HEDGED after
"may", "could", "if", "expected to", "asked to", "wants to", "called for", a hedge right before it
("considering buying", "proposed a ban") or a "faces" whose object it is ("faces up to ten years in
prison"). Auxiliaries, adverbs and determiners between them change nothing ("could soon be
charged"). A bullet may say no more than its source: a DONE bullet needs a DONE occurrence, a
FUTURE one a DONE or FUTURE one ("agreed to buy" supports "will buy"), a HEDGED one anything.

A hedge elsewhere in the clause governs something else: "The storm expected on Monday destroyed
40 homes", "A man facing fraud charges was jailed", "The proposed merger was approved", "Hopes of
a deal faded as the union rejected the offer" each say the verb happened. So do "Acme, which could
face a fine, bought Birch" and "Acme may appeal, officials said, and has bought Birch"; "a plan
that would ban cars" says no ban happened. A reporting verb opens the clause it reports: "police
can confirm two men were arrested" says they were.
"""

from __future__ import annotations

import re

DONE, FUTURE, HEDGED = 0, 1, 2

_FUTURE = frozenset(
    """
    will shall would won't wouldn't agree agrees agreed plan plans planned planning intend intends
    intended pledge pledges pledged vow vows vowed promise promises promised scheduled
    """.split()
)
# Words that put the event off only before "to": "set to reopen", "due to open", "going to".
_FUTURE_BEFORE_TO = frozenset("set due going".split())
# Words that hedge only before "to": "was asked to resign" is no resignation.
_HEDGED_BEFORE_TO = frozenset("ask asks asked".split())
_HEDGED = frozenset(
    """
    may might could can should if unless whether want wants wanted propose proposes proposed
    proposal proposals consider considers considering weigh weighs weighing expect expects
    expected hope hopes hoped aim aims aimed seek seeks sought try tries tried attempt attempts
    attempted threaten threatens threatened face faces facing possible possibly potential
    potentially likely unlikely talks negotiate negotiates negotiating bid bids offer offers
    offered urge urges urged demand demands demanded fail fails failed refuse refuses refused
    decline declines declined would-be seeking trying attempting hoping aiming wanting
    threatening expecting proposing demanding urging
    """.split()
)
# Words that put the event off only before "for": "called for a ban", "pushed for a ban".
_HEDGED_BEFORE_FOR = frozenset("call calls called calling push pushes pushed pushing".split())
# Where the clause a verb stands in starts: a mark, or a word opening another clause.
_CLAUSE_STARTS = frozenset(
    """
    , ; : ( ) [ ] — – but when while because since after before although though which who whom
    where that then until once
    say says said tell tells told confirm confirms confirmed announce announces announced report
    reports reported state states stated add adds added note notes noted according
    """.split()
)
# "and" or "or" right before a verb (but for auxiliaries) joins another clause: "Acme made an
# offer and has bought Birch"; before a noun it joins what one verb governs ("faces charges and
# up to ten years in prison").
_JOINS = frozenset("and or".split())
_AUXILIARY = frozenset("has have had is are was were been be being also then later finally".split())
# Words between a verb and what governs it that change nothing: "could soon be charged", "proposed
# a $4 million takeover", "would likely close".
_PASSABLE = frozenset(
    """
    is are was were be been being am has have had not never also still soon now then later
    finally already just again yet even eventually formally officially reportedly a an the its
    his her their this these those $ £ € million billion trillion
    """.split()
)
# Hedging words that govern a noun as their object several words on: "faces up to ten years in
# prison". Any other word of the subject does not ("A man facing charges was jailed").
_FACING = frozenset("face faces facing".split())
# How far back from "to" its governor may stand ("agreed on Monday to buy"), and from a noun the
# "faces" that governs it ("faces charges of fraud and up to ten years in prison").
TO_LOOKBACK_TOKENS = 4
LOOKBACK_TOKENS = 10

TOKEN_RE = re.compile(r"[A-Za-z][\w'’-]*|[$£€]|\d[\d.,]*(?:-\d+)?%?|[,;:()\[\]—–]")


def tokens(text: str) -> list[str]:
    """Words, numbers, currency signs and clause marks, in order."""
    return TOKEN_RE.findall(text)


def level_before(words: list[str], at: int, exempt: frozenset[str] = frozenset()) -> int:
    """How surely the clause of `words[at]` says it happens: DONE, FUTURE or HEDGED (the
    module docstring). Only a word governing the verb puts it off: a modal or "will" before it,
    "expected to", "plans to", "set to" or "called for" before it, a hedge right before it
    ("considering buying", "proposed a ban"), or "faces" whose object it is. A hedge in the
    subject ("The storm expected on Monday destroyed 40 homes") puts nothing off. Words in
    `exempt` put nothing off ("faces charges" is a charge)."""
    k = at - 1
    while k >= 0 and (_plain(words[k]) in _PASSABLE or words[k][:1].isdigit()):
        k -= 1
    if k < 0:
        return DONE
    word = _plain(words[k])
    if word == "to":
        return _governor_of_to(words, k, exempt)
    if word == "for":
        before = _plain(words[k - 1]) if k else ""
        return HEDGED if before in _HEDGED_BEFORE_FOR and before not in exempt else DONE
    if word not in exempt:
        if word in _HEDGED:
            return HEDGED
        if word in _FUTURE:
            return FUTURE
    return _faced(words, at, exempt)


def _plain(word: str) -> str:
    return word.casefold()


def _governor_of_to(words: list[str], to: int, exempt: frozenset[str]) -> int:
    """The level the words governing `words[to]` ("to") give: "agreed on Monday to buy" is
    FUTURE, "is expected to be charged" HEDGED, "went to buy" DONE."""
    for k in range(to - 1, max(-1, to - 1 - TO_LOOKBACK_TOKENS), -1):
        word = _plain(words[k])
        if word in _CLAUSE_STARTS:
            break
        if word in exempt:
            continue
        if word in _HEDGED or word in _HEDGED_BEFORE_TO:
            return HEDGED
        if word in _FUTURE or word in _FUTURE_BEFORE_TO:
            return FUTURE
    return DONE


def _faced(words: list[str], at: int, exempt: frozenset[str]) -> int:
    """HEDGED when `words[at]` is the object of a "faces" a few words back in its clause."""
    for k in range(at - 1, max(-1, at - 1 - LOOKBACK_TOKENS), -1):
        word = _plain(words[k])
        if word in _CLAUSE_STARTS or word in _AUXILIARY:
            return DONE  # "A man facing charges was jailed": the verb is the man's, not "facing"'s
        if word in _JOINS and all(_plain(w) in _AUXILIARY for w in words[k + 1 : at]):
            return DONE
        if word in _FACING and word not in exempt:
            return HEDGED
    return DONE
