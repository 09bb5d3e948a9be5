"""Which of an angle detail's names a "Names ..." framing may promise: the names the detail is
about, whole ("Mohammad Javad Zarif", not "Zarif" beside it), never one only inside a phrase of
place or purpose ("in Chamonix", "for President Joe Biden's signature") nor one only inside
someone's quoted words. Split from `angle_lines`, which frames the line.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.summarize.finite_verbs import PUNCT
from bot.summarize.quote_marks import quotation_bounds

# A name inside a phrase opened by one of these ("festivities from Hong Kong to ...", "first held
# in Chamonix", "for President Joe Biden's signature", "an affiliate of Working America") is where
# or around what the detail happens, not who it is about: no "Names ..." framing promises it.
_PREPOSITIONS = frozenset(
    """
    in at on from to into onto across near outside inside throughout around within toward towards
    through over under between among amid against along beside beyond by via of for with without
    about after before since during until upon off like per
    """.split()
)
# Words read past between such a word and the name: articles, possessives, a few words that
# describe the person or place ("the late", "nearby"), and "and" or "or" joining the name to
# another in one phrase ("for FEMA's Craig Fugate and Janet Napolitano").
_NAME_LEADS = frozenset(
    "the a an his her their its our former late then nearby fellow and or &".split()
)


def in_passing(name: str, detail: str) -> bool:
    """Whether `name` stands in `detail` only inside a prepositional phrase: back from the name,
    past articles and capitalised words ("Sens.", "President", "Secretary of State"), the first
    word is a preposition. A subject, an object or a speaker is who the detail is about."""
    at = detail.find(name)
    words = detail[:at].split() if at > 0 else []
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        low = word.casefold().strip(PUNCT)
        # The "of" of "Secretary of State Hillary Clinton" is the office's, inside its name.
        inside = low in ("of", "for") and i > 0 and words[i - 1][:1].isupper()
        after = words[i + 1] if i + 1 < len(words) else name  # the name itself follows
        if low in _PREPOSITIONS and not (inside and after[:1].isupper()):
            return True
        if word[-1:] in ",;:" or not (low in _NAME_LEADS or word[:1].isupper()):
            return False
    return False


def quoted_name(name: str, detail: str) -> bool:
    """Whether `name` stands in `detail` only inside someone's quoted words ("the 'radical
    Democrat Socialist agenda'"): a phrase the speaker used, not a name the outlet gives."""
    bounds = quotation_bounds(detail)
    at = detail.find(name)
    while at >= 0:
        if not any(start <= at < end for start, end in bounds):
            return False
        at = detail.find(name, at + 1)
    return True


def whole_names(names: Sequence[str]) -> list[str]:
    """`names` without those inside another of them: "Zarif" once "Mohammad Javad Zarif" is
    named is the same man again ("Names Mohammad Javad Zarif and Zarif")."""
    padded = [f" {n} " for n in names]
    return [
        n for n, p in zip(names, padded, strict=True) if not any(p in o and p != o for o in padded)
    ]
