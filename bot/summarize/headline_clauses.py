"""Whether a headline cut from a sentence holds the sentence's main clause, so that it may end
without an ellipsis (`text_headline`): "Eight people were arrested in the port's inquiry" says
something whole; "A measure that would require crews to wear vests" (a relative clause's verb
only), "Two aides to a delegate" (the verb, "were indicted", cut off) and "The teacher is now"
(an adverb waiting for its phrase) do not, and keep the ellipsis that shows the cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.summarize.finite_verbs import is_clause

_RELATIVES = frozenset("who whom whose which that".split())
# "that" after these opens what was said or found, a clause of the head's own verb.
_THAT_VERBS = frozenset(
    "said says say suggests suggest shows show found finds believe believes believed announced"
    " confirmed reported thinks think argued argues claims claim warned noted revealed told"
    .split()
)  # fmt: skip
# A verb's sure signs: a tail holding one before any relative told the sentence's main verb.
_AUXILIARIES = frozenset(
    "is are was were has have had will would could can may might must should does did".split()
)
_COORDINATORS = frozenset("and or but".split())
_SUBORDINATORS = frozenset("while when because although though if whether where".split())
# Words a clause does not end on: adverbs ("... teacher is now | in police custody") and words
# waiting for their phrase ("... is one", "in order").
# A past form too short for `_verb_like` ("video led | to the arrest") waits for its object too.
_ADVERBS = frozenset(
    "now also still just yet even already never not then soon one order led made took gave sent"
    " put set got went came held kept left met paid brought bought began".split()
)
# A clause joined on after a comma ("..., but the movement") must be whole in its own right.
_JOINED_RE = re.compile(r",\s+(?:and|but|or|yet|so)\s+(?!.*,\s+(?:and|but|or|yet|so)\s)(.*)$")


def holds_main_clause(head: str, tail: Sequence[str]) -> bool:
    """Whether `head`, cut from a sentence before `tail`, holds the sentence's main clause: its
    verb is not only in a relative clause of the subject ("A measure that would require ..."),
    nor left in the tail ("Two aides to a delegate | from the islands were indicted"), and it
    ends on no adverb waiting for its phrase."""
    if _bare(head.split()[-1]).rstrip(".") in _ADVERBS:
        return False
    joined = _JOINED_RE.search(head)
    if joined is not None and not is_clause(joined[1]):
        return False
    # A relative clause closed by commas is an aside: "X, who ..., was ..." keeps its verb.
    words = [_bare(w) for w in re.sub(r",\s(?:who|whom|whose|which)\b[^,]*,", ",", head).split()]
    for prev, word in zip(["", *words], words, strict=False):
        if word in _RELATIVES and not (word == "that" and prev in _THAT_VERBS):
            return False
    for word in map(_bare, tail):
        # A relative's or a coordinated verb ("in Kiruna, and is one of ...") is not the main one.
        if word in _RELATIVES or word in _SUBORDINATORS or word in _COORDINATORS:
            break
        if word in _AUXILIARIES:
            return False
    return True


def _bare(word: str) -> str:
    return word.strip(",;:\"“”'‘’()").casefold()
