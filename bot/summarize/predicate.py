"""Where a claim's predicate starts: the words that say what happened, not who or what it is about.

"Vice President Kamala Harris visited the border in El Paso, Texas" is about Harris and Texas;
its claim is "visited the border". The support check (`support.carries`) asks another outlet's
sentence for a word of that part, so "Harris held a press conference in Texas" does not report
it. A trailing attribution (", according to ...", ", officials said") is no part of it.

The verb is found by its form, as `claim_verbs` reads one, and when it cannot be found the whole
text is the predicate: the check then asks no more than it did before.
"""

from __future__ import annotations

import re

from bot.summarize.clauses import VERB_WORDS

# Auxiliaries and modals: the predicate starts at the first of them past the subject.
_AUXILIARIES = frozenset(
    """
    is are was were be been has have had do does did will would can could shall should may might
    must isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't won't wouldn't
    can't couldn't shouldn't
    """.split()
)
# Before these a lowercase word is an adjective or a noun ("the injured workers"), not a verb.
_DETERMINERS = frozenset("the a an its his her their our this that these those".split())
_WORD_RE = re.compile(r"[A-Za-z][\w'’-]*")


def _is_verb(words: list[str], i: int, preceded_by_comma: bool = False) -> bool:
    word = words[i]
    low = word.casefold()
    if not word[:1].islower() or words[i - 1].casefold() in _DETERMINERS:
        return False
    if low in _AUXILIARIES or low in VERB_WORDS:
        return True
    following = words[i + 1].casefold() if i + 1 < len(words) else ""
    if len(low) >= 5 and low.endswith("ed"):
        if preceded_by_comma:
            return False  # "The invoices, attached to the suit, show": an aside
        # "Fully vaccinated people can ...", "The man arrested Tuesday was ...": a participle in
        # the subject, whose verb comes two words on.
        after_next = words[i + 2].casefold() if i + 2 < len(words) else ""
        return after_next not in _AUXILIARIES
    # "Acme buys Birch", "plans to cut": an -s form is a verb only before its object.
    return (
        len(low) >= 4
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is"))
        and (following in _DETERMINERS or following == "to")
    )


# A trailing attribution says who told the claim, not what happened: ", according to updated
# guidance from the agency issued Tuesday", ", the Labor Department said Friday".
_ATTRIBUTION_RE = re.compile(
    r",\s+(?:according to\b|(?:[\w.'’-]+\s+){1,5}(?:said|says|reported|announced|told)\b[^,;]*$)"
    r".*$",
    re.DOTALL,
)


def predicate(text: str) -> str:
    """`text` from its first verb on (its first word opens the subject) to a trailing
    attribution, or the whole of it when no verb is found."""
    text = _ATTRIBUTION_RE.sub("", text)
    matches = list(_WORD_RE.finditer(text))
    words = [m.group(0) for m in matches]
    for i in range(1, len(words)):
        if _is_verb(words, i, text[: matches[i].start()].rstrip().endswith(",")):
            return text[matches[i].start() :]
    return text
