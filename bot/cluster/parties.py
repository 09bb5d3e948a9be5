"""Another occurrence of one kind of event: other parties named, another amount: a veto on joining.

Much news is one kind of event told the same way each time: "X council approves $Nm depot plan
from Y Group", "A to buy B for $Nbn", "C fined $Nm over D". Outlets tell each occurrence in the
same words (often from the same wire or press-release template), so two occurrences a day apart
read alike to the pair model, which weighs overlap: a town's and another town's depot approvals
share every word but the town, the firm and the amount. The model sees the other amount
(`fig_conflict`) but weighs it lightly, and rightly so in general: one event's figures differ
between reports (a toll rises, a price moves, one report counts the debt). It has no feature for
names that differ (a conflict of names as model evidence was measured and not kept, `pair.py`).

Together the two are strong: each headline names a party (a place, an organisation, a person) the
other's text never mentions, and the two state amounts of money none of which is near the other's.
One event retold names its parties in every outlet's lead, or states an amount near another's
(rounded, converted, with or without the debt); another occurrence does neither.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cluster.features import content_terms
from bot.cluster.profile import Profile

# Amounts this close are one amount told otherwise: rounded ("$1.2bn" / "$1.25bn"), converted
# from another currency (marks types £ and € as money too), or counted with the debt.
_NEAR = 1.15


def other_parties(x: Profile, members: Sequence[Profile]) -> bool:
    """Is `x` another occurrence than the story of `members`? It states an amount of money near
    none of theirs, and its headline and the headline of a member stating one each name a party
    the other's text never mentions. Amounts are compared first: most articles state none."""
    mine = x.marks.get("$")
    if mine is None:
        return False
    stating = [(y, theirs) for y in members if (theirs := y.marks.get("$")) is not None]
    if not stating or any(_near(mine, theirs) for _, theirs in stating):
        return False
    return any(_unnamed(x, y) and _unnamed(y, x) for y, _ in stating)


def _near(a: frozenset[str], b: frozenset[str]) -> bool:
    """Does some amount of `a` lie within `_NEAR` of one of `b` (values as `marks` gives them)?"""
    if not a.isdisjoint(b):
        return True
    for u in map(float, a):
        for v in map(float, b):
            if u > 0.0 and v > 0.0 and max(u, v) <= _NEAR * min(u, v):
                return True
    return False


def _unnamed(a: Profile, b: Profile) -> bool:
    """Does `a`'s headline name a party (one of its text's names, every word in the headline)
    that `b` never mentions, neither among its names nor among its words?"""
    said = b.vec.keys() | b.title.keys() | b.lead.keys()
    for key in a.ents:
        if key in b.ents:
            continue
        # The name's words as the headline's are kept (stemmed, no stopwords), so that a Title
        # Case headline, whose names are only read from the lead, still shows which it states.
        parts = content_terms(key[2:])
        if parts and all(p in a.title for p in parts) and not all(p in said for p in parts):
            return True
    return False
