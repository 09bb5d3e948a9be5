"""What a sentence restating a TL;DR bullet adds past it, which makes it an outlet's detail.

A sentence telling a bullet's fact and going on with a name, date or figure of its own ("...,
only weeks before the April 12 election") is the outlet's angle, the bullet's part its setting.
Who said it or first reported it (", the Insurance Federation said", "according to a CNBC
analysis") is no such addition: with it alone, the line was the bullet again word for word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.summarize.angle_lines import stem_of
from bot.summarize.angle_names import CALENDAR_WORDS, DEMONYM_RE
from bot.summarize.finite_verbs import VERB_WORDS
from bot.summarize.sentences import content_stems
from bot.textutil import STOPWORDS

# A sentence restating a TL;DR bullet is still an outlet's detail when it goes on with this many
# words no other outlet and no bullet uses ("..., only weeks before the April 12 election").
RESTATED_MIN_NEW = 4


def beyond_bullets(
    novel: Sequence[str], tldr: Sequence[tuple[frozenset[str], frozenset[str]]]
) -> list[str]:
    """The novel stems no TL;DR bullet uses either."""
    told = frozenset().union(*(stems for stems, _ in tldr))
    return [s for s in novel if s not in told]


# A sentence's attribution, between commas or at its end: ", the Insurance Federation said,",
# ", officials told reporters.", "according to a CNBC analysis of data ...", "first reported
# by the Harbour Post". A few words, ending on the speaking verb or running to the next comma.
_ATTRIBUTION_RE = re.compile(
    r",\s+(?:[\w.'’&-]+\s+){0,6}(?:said|says|reported|reports|told\s+[\w.'’-]+|wrote|added"
    r"|noted|announced|confirmed)(?=\s*[,.;]|\s*$)"
    r"|,?\s+(?:according\s+to|(?:first\s+|as\s+)?(?:reported|shared|published)\s+by|citing)"
    r"\s+[^,;]+?(?=\s*[,.;]\s|\s*\.?$)"
)


def unattributed(sentence: str, beyond: Sequence[str]) -> tuple[str, list[str]]:
    """`sentence` without its attributions, and those of `beyond` (stems) still in it."""
    bare = _ATTRIBUTION_RE.sub("", sentence)
    if bare == sentence:
        return sentence, list(beyond)
    kept = set(content_stems(bare))
    return bare, [s for s in beyond if s in kept]


def goes_on_past(sentence: str, beyond: Sequence[str]) -> bool:
    """Whether `beyond` (a sentence's stems no other outlet and no bullet has) makes a detail of
    its own: enough words, one of them a name, a date or a figure (not "after a long search").
    A weekday, a month or a people's adjective alone is no name: "filed charges Monday" is the
    bullet again."""
    if len(beyond) < RESTATED_MIN_NEW:
        return False
    stems = set(beyond)
    bare = [w.strip(".,;:\"“”‘’'()") for w in sentence.split()[1:]]
    # "in many Asian countries" describes; it names no one the card does not. A plural
    # ("Senate Republicans refused ...") is a group that acts: a name.
    return any(
        (w[:1].isupper() and w not in CALENDAR_WORDS and not _adjective_of_people(w, nxt))
        or w[:1].isdigit()
        for w, nxt in zip(bare, [*bare[1:], ""], strict=False)
        if stem_of(w) in stems
    )


# A people's adjective ends as "Asian", "Korean", "Chinese", "Danish", "Arabic", "American",
# "German", "Cuban"; a bare "-an" is as often a country or a first name ("Iran", "Japan",
# "Susan", "Ryan"), and "Brian" or "Eric" fit the adjective's ending too, so what follows decides.
_ADJECTIVE_ENDINGS = ("ian", "ean", "ese", "ish", "ern", "ic", "can", "man", "ban")


def _adjective_of_people(word: str, following: str) -> bool:
    """Whether `word` is a people's adjective before a lowercase noun ("Asian countries"): not a
    country or person acting ("officials in Iran cancelled", "Brian Logan said")."""
    return (
        bool(DEMONYM_RE.match(word))
        and word.endswith(_ADJECTIVE_ENDINGS)
        and following[:1].islower()
        and following.isalpha()
        and following not in STOPWORDS
        and following not in VERB_WORDS
        and not following.endswith("ed")
    )
