"""A bullet's main clause and whether a text negates its claim: read by the support check
(`support`) and by the main-verb reading (`acts`), which `support` asks in turn."""

from __future__ import annotations

import re

from bot.summarize.finite_verbs import SUBORDINATORS

# What flips a claim: "police have not arrested" vs "police arrested". "No." before a figure is an
# abbreviation ("No. 3"), not a negation.
NEGATION_RE = re.compile(
    r"\b(?:not|no(?!\.\s*\d)|never|none|nobody|nothing|neither|nor|cannot|den(?:y|ies|ied|ying))\b"
    r"|n[’']t\b",
    re.IGNORECASE,
)


def negated(text: str) -> bool:
    """Whether `text` carries a word that flips its claim (see `NEGATION_RE`)."""
    return NEGATION_RE.search(text) is not None


# Where a bullet's main clause may end: its first comma, semicolon, colon or dash.
_MAIN_END_RE = re.compile(r"(?:,|;|:|\s[—–])\s")
# A head this short is a name or a scene ("In Lindmark,"), not the claim.
MAIN_MIN_WORDS = 6


def main_clause(text: str) -> str:
    """The words before the bullet's first clause break, when they read as its main clause:
    "X approved the bridge on Tuesday" of "..., ending a decade of disputes" or "..., officials
    said". A head opening on a subordinator or a participle is not; then `text`."""
    head = _MAIN_END_RE.split(text, maxsplit=1)[0]
    words = head.split()
    opener = words[0].casefold() if words else ""
    # "Speaking at the celebrations," is a scene like "After the storm,": the claim comes later.
    scene = opener in SUBORDINATORS or (len(opener) >= 5 and opener.endswith(("ing", "ed")))
    if head == text or len(words) < MAIN_MIN_WORDS or scene:
        return text
    return head
