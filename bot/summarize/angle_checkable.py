"""Whether an angle's line carries a checkable fact: a figure or a name of the outlet's own, a
claim someone is said to make, or a main clause saying what one of the story's subjects did.

An outlet's detail is picked for its words no other outlet uses (`angle_picks`), and colour has
plenty: "Time tends to warp in the vicinity of a presidential election", "In Las Vegas — a city
known for prize fights — the Democrats were gloves-off", "Authorities did not immediately offer
many details", or a list of phrases with no verb ("From his reset with Russia, to his open hand
to Iran, ..."). Shown as what the outlet adds, such a line tells the reader nothing to check
(5 of 55 reviewed cards): the outlet's next detail, its title, or "Also reporting" instead.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from bot.summarize.acts import verb_clause
from bot.summarize.angle_facts import DATE_RE
from bot.summarize.angle_quotes import common_stem
from bot.summarize.angle_subjects import is_uninformative
from bot.summarize.finite_verbs import PUNCT, SUBORDINATORS, subject_head
from bot.summarize.line_alone import SPEECH_RE
from bot.summarize.main_clause import negated
from bot.summarize.quantities import quantities
from bot.summarize.quote_marks import quotation_bounds
from bot.summarize.sentences import stem

# A claim someone is said to make, past the speech verbs of `line_alone`: what a report,
# an indictment or an accusation says is checkable against whoever made it.
_ATTRIBUTED_RE = re.compile(
    r"\b(?:according to|alleg(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|claim(?:s|ed)?|report(?:s|ed)"
    r"|announc(?:e|es|ed)|confirm(?:s|ed)|testified|charg(?:es|ed))\b",
    re.IGNORECASE,
)
# Words opening a phrase, not a clause: a line all of whose parts open on one is a list of
# phrases with no verb of its own ("From his reset with Russia, to his open hand to Iran").
_PREPOSITIONS = frozenset(
    "from to with in on at by for of into onto over under after before since during between "
    "among against toward towards through across".split()
)
# Where a main clause's own words end: a comma, or a clause it governs ("was unlawful because
# Congress never gave ..." negates no part of the ruling).
_MAIN_END_RE = re.compile(
    r",\s|\s(?:because|though|although|unless|if|while|whereas|since|until|that|which|who)\s",
    re.IGNORECASE,
)
_PARTS_RE = re.compile(r",\s+|\s+[—–]\s+|;\s+")


def carries_fact(
    detail: str,
    names: Sequence[str],
    numbers: Sequence[str],
    core: Container[str] = frozenset(),
) -> bool:
    """Whether the shown `detail` of an angle carries a checkable fact: one of `numbers` or
    `names` (the outlet's own figures and names, `angle_picks.Pick`) that is no place or body
    of every story, a count in words, a date, a claim someone is said to make, or a main clause, not negated,
    about the story's subjects: its subject one of the story's words (`core`: the headline's,
    or two outlets' stems), a name, or a word news at large seldom uses; not "Time tends to
    warp ..." under a spying row. A line
    opening on a scene with no subject read after it ("In Las Vegas — a city known for prize
    fights — the Democrats were gloves-off") is colour too."""
    if phrases_only(detail):
        return False
    if any(n in detail for n in numbers) or DATE_RE.search(detail):
        return True
    # A count or an order in words is a figure too ("bans new licences in two creeks", "the
    # nation's first statewide marketplace").
    if any(q.role in ("count", "ordinal") for q in quantities(detail)):
        return True
    if any(n in detail and not is_uninformative(n) for n in names):
        return True
    if SPEECH_RE.search(detail) or _ATTRIBUTED_RE.search(detail):
        return True
    clause = verb_clause(detail)
    head = subject_head(clause)
    # "Authorities did not immediately offer many details": what did not happen, with no name,
    # figure or speaker of its own, is no news to check.
    if negated(_MAIN_END_RE.split(clause, maxsplit=1)[0]):
        return False
    if not head:
        # A subject the cues cannot read past ("U.S. District Judge Ada Hale ruled ..."): a
        # name opens the clause, not a phrase of place or time ("In Las Vegas — ...").
        first = clause.split(maxsplit=1)[0].strip(PUNCT) if clause.split() else ""
        opener = first.casefold()
        return first[:1].isupper() and opener not in _PREPOSITIONS | SUBORDINATORS
    # The subject is one of the story's words, a name, or at least no word news at large
    # uses everywhere: "Time tends to warp ..." under a spying row tells of no one in it.
    head_stem = stem(head)
    return head_stem in core or _named(clause, head) or not common_stem(head_stem)


def phrases_only(detail: str) -> bool:
    """Whether every part of `detail` between its commas and dashes opens on a preposition: a
    list of phrases with no clause of its own."""
    parts = [p for p in _PARTS_RE.split(detail.strip()) if p.strip(PUNCT)]
    opens = [p.split(maxsplit=1)[0].casefold().strip(PUNCT) for p in parts]
    # One part alone ("In May crews moved ...") may be a clause the cues do not read.
    return len(opens) >= 2 and all(o in _PREPOSITIONS for o in opens)


def _named(clause: str, head: str) -> bool:
    """Whether the subject `head` (casefolded, `subject_head`) is written as a name in `clause`:
    capitalised past the clause's first word, or first with a capitalised word after it ("Ilse
    Brandt signed ..."); a first word alone is capitalised whatever it is ("Time tends ...")."""
    words = [w.strip(PUNCT) for w in clause.split()[:8]]
    for i, word in enumerate(words):
        if word.casefold() == head and word[:1].isupper():
            return i > 0 or (len(words) > 1 and words[1][:1].isupper())
    return False


def own_claim(sentences: Sequence[str], numbers: Sequence[str], others: Sequence[str]) -> bool:
    """Whether an outlet's detail `sentences` hold a claim no other outlet gives: a date of its
    own among their `numbers` (`angle_facts.own_dates`), or an allegation, accusation or remark
    someone is said to make quoting words none of `others` (the other outlets' texts, folded
    by `fold`) quotes. Such an outlet added something, though no line could be made of it:
    "Also reporting" would say it added nothing."""
    if any(DATE_RE.fullmatch(n) for n in numbers):
        return True
    for sentence in sentences:
        if not (SPEECH_RE.search(sentence) or _ATTRIBUTED_RE.search(sentence)):
            continue
        for start, end in quotation_bounds(sentence):
            quoted = fold(sentence[start:end])
            if len(quoted.split()) >= CLAIM_MIN_QUOTED_WORDS and not any(
                quoted in text for text in others
            ):
                return True
    return False


# Words a quotation needs to be a claim of its own, not a scare-quoted word ("“indefinite”").
CLAIM_MIN_QUOTED_WORDS = 2


def fold(text: str) -> str:
    """`text` casefolded with its spaces made one, for `own_claim`'s search."""
    return " ".join(text.casefold().split())
