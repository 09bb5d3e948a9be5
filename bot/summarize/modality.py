"""Whether a clause says a thing happened, will happen, or only may.

"Acme agreed to buy Birch", "Acme plans to buy Birch", "Reed could be charged", "the council may
approve the budget", "Reed faces up to ten years in prison": each holds the verb of a bullet that
states it as done ("Acme bought Birch", "Reed was charged"), and each says it has not happened.
`level_before` reads the words before a verb in its clause: DONE when none of them puts it off,
FUTURE after "will", "would" (reported speech: "said it would buy"), "agreed to", "plans to" or
"set to", HEDGED after "may", "could", "if", "wants to", "expected to", "faces", "proposed" and the
like. A bullet may say no more than its source: a DONE bullet needs a DONE occurrence, a FUTURE one
a DONE or FUTURE one ("agreed to buy" supports "will buy"), a HEDGED one anything.

Only the clause's own words are read, a few back: "Acme, which could face a fine, bought Birch"
and "Acme may appeal, officials said, and has bought Birch" say Acme bought Birch; "a plan that
would ban cars" says no ban happened. A reporting verb opens the clause it reports: "police can
confirm two men were arrested" says they were.
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
# How far back a clause's words can put its verb off ("faces charges of fraud and up to ten years
# in prison").
LOOKBACK_TOKENS = 10

TOKEN_RE = re.compile(r"[A-Za-z][\w'’-]*|[$£€]|\d[\d.,]*(?:-\d+)?%?|[,;:()\[\]—–]")


def tokens(text: str) -> list[str]:
    """Words, numbers, currency signs and clause marks, in order."""
    return TOKEN_RE.findall(text)


def level_before(words: list[str], at: int, exempt: frozenset[str] = frozenset()) -> int:
    """How surely the clause of `words[at]` says it happens: DONE, FUTURE or HEDGED (the
    module docstring). Words in `exempt` put nothing off ("faces charges" is a charge)."""
    level = DONE
    for k in range(at - 1, max(-1, at - 1 - LOOKBACK_TOKENS), -1):
        word = words[k].casefold()
        if word in _CLAUSE_STARTS:
            break
        if word in _JOINS and all(w.casefold() in _AUXILIARY for w in words[k + 1 : at]):
            break
        if word in exempt:
            continue
        following = words[k + 1].casefold()
        if word in _HEDGED or (word in _HEDGED_BEFORE_FOR and following == "for"):
            return HEDGED
        if word in _FUTURE or (word in _FUTURE_BEFORE_TO and following == "to"):
            level = FUTURE
    return level
