"""What a model bullet says happened must be what its supporting sentence says happened.

The names and figures of "Acme acquired Birch for $4 million" are all in "Acme bid $4 million
for Birch", so the grounding and support checks pass it; only the verb changed, and with it the
fact. The bullet's main verb (`main_verb`: the first of its main clause, past auxiliaries, a
reporting verb and a light verb such as "made a bid") is read and, when it is one of the
decisive verbs below (a deal done, a verdict, a death, a vote's outcome, a firing), one of the
sentences that carry the bullet (`support.carries`) must hold a verb of the same group:
"bought" for "acquired", "quit" for "resigned", "found ... guilty" for "convicted".

Only those verbs are checked. Honest paraphrase changes other verbs all the time ("sent nine
workers to hospital" for "nine workers were taken to hospital"). On the 60 honest and 30 changed
bullets of `tests/_llm_paraphrases.py`, requiring every main verb's stem in a carrying sentence
let 25 honest bullets through (42 with the groups as synonyms); checking only decisive verbs
lets all 60 through, and all three refuse 27 of the 30 changed ones. A refused answer costs only
the model's prose, but a writer refused that often is no writer at all. "rise" and "increase"
are left out: "sales rose" tells a figure, not a decision, and is paraphrased freely.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import Article
from bot.summarize.clauses import VERB_WORDS
from bot.summarize.sentences import content_stems, stem
from bot.summarize.support import SUPPORT_SHARE, carries, claim, main_clause, story_evidence

# Each group: stems that state the same decisive fact. A bullet whose verb's stem is in a group
# needs one of the group's stems in a sentence that carries it.
_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "acquire acquired acquisition buy buys bought purchase purchased takeover merge merged",
        "sell sells sold sale",
        "complete completed completes finalise finalised finalize finalized",
        "arrest arrested detain detained custody",
        "charge charged charges indict indicted indictment",
        "convict convicted conviction guilty",
        "acquit acquitted acquittal cleared",
        "sentence sentenced jail jailed imprison imprisoned prison",
        "kill killed kills die died dies dead death deaths fatal",
        "destroy destroyed destroys flatten flattened raze razed",
        "approve approved approves pass passed passes adopt adopted ratify ratified",
        "reject rejected rejects defeat defeated",
        "veto vetoed vetoes",
        "sign signed signs",
        "resign resigned resigns resignation quit quits step stepped",
        "fire fired fires sack sacked dismiss dismissed oust ousted",
        "suspend suspended suspends suspension",
        "elect elected elects election",
        "appoint appointed appoints appointment",
        "cancel cancelled canceled cancels cancellation scrap scrapped",
        "ban banned bans prohibit prohibited",
        "raise raised raises lift lifted hike hiked",
        "win won wins victory beat clinch clinched",
        "lose lost loses",
        "pay paid pays",
        "settle settled settles settlement",
        "begin began begins begun start started starts launch launched",
        "end ended ends finish finished stop stopped halt halted cease ceased",
    )
)
_GROUP_OF: dict[str, frozenset[str]] = {s: group for group in _GROUPS for s in group}

_AUXILIARIES = frozenset(
    """
    is are was were be been being am has have had do does did will would can could shall should
    may might must isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't won't
    wouldn't can't couldn't shouldn't not never also still now again already just reportedly
    """.split()
)
# Verbs that say who spoke, not what happened: the claim is in what follows them.
_REPORTING = frozenset(
    """
    say says said tell tells told announce announces announced confirm confirms confirmed report
    reports reported state states stated add adds added warn warns warned
    """.split()
)
# Verbs that carry little of their own ("made a bid", "took control", "got 30 centimetres").
_LIGHT = frozenset(
    """
    make makes made take takes took taken give gives gave given get gets got have has had hold
    holds held set sets go goes went come comes came see sees saw saw plan plans planned
    """.split()
)
# Verbs a "to" and another verb follow as the claim's real verb ("plans to cut", "agreed to buy").
_LEADS_ON = frozenset(
    """
    set plan plans planned going agree agrees agreed aim aims aimed expect expects expected want wants wanted decide decides
    decided vote votes voted hope hopes hoped intend intends intended seek seeks sought threaten
    threatens threatened vow vows vowed promise promises promised pledge pledges pledged refuse
    refuses refused fail fails failed move moves moved try tries tried need needs needed
    """.split()
)
_DETERMINERS = frozenset("the a an its his her their our this that these those".split())
_TOKEN_RE = re.compile(r"[A-Za-z][\w'’-]*")


def _looks_finite(tokens: list[str], i: int) -> bool:
    word = tokens[i]
    low = word.casefold()
    if not word[:1].islower():
        return False
    if i and tokens[i - 1].casefold() in _DETERMINERS:
        return False  # "the injured workers": an adjective
    if low in VERB_WORDS or (len(low) >= 5 and low.endswith("ed")):
        return True
    # "Acme buys Birch", "plans to cut": an -s form is a verb only before its object.
    following = tokens[i + 1].casefold() if i + 1 < len(tokens) else ""
    return (
        len(low) >= 4
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is"))
        and (following in _DETERMINERS or following == "to")
    )


def main_verbs(text: str) -> list[str]:
    """The verbs that state what `text` (a bullet) says happened: the first finite verb of its
    main clause past auxiliaries and reporting verbs, and the one after it in "plans to cut";
    [] when none is found or the verb is a light one ("made a bid")."""
    tokens = _TOKEN_RE.findall(main_clause(text))
    found: list[str] = []
    i = 1  # the first word opens the subject
    while i < len(tokens):
        low = tokens[i].casefold()
        after_aux = tokens[i - 1].casefold() in _AUXILIARIES and tokens[i][:1].islower()
        if low in _AUXILIARIES or not (after_aux or _looks_finite(tokens, i)):
            i += 1
            continue
        if low in _REPORTING:
            i += 1
            continue
        found.append(low)
        if low in _LEADS_ON and i + 2 < len(tokens) and tokens[i + 1].casefold() == "to":
            found.append(tokens[i + 2].casefold())
        break
    if len(found) == 1 and found[0] in _LIGHT:
        return []
    return found


def decisive_group(verb: str) -> frozenset[str] | None:
    """The group of stems stating the same fact as `verb`, if it is a decisive verb."""
    return _GROUP_OF.get(stem(verb))


def changed_verb(text: str, articles: Sequence[Article], outlet_of: Sequence[str]) -> str | None:
    """The decisive verb of `text` that no sentence carrying it states in any of its group's
    words (see the module docstring); None when the claim's verb checks out or is not decisive."""
    verbs = main_verbs(text)
    groups = [g for v in verbs if (g := decisive_group(v)) is not None]
    if not groups or len(groups) < len(verbs):
        # "plans to sell": the plan is the claim, and "plans" is no decisive verb.
        return None
    carrying = _carrying_stems(text, articles, outlet_of)
    if not carrying:
        return None  # no sentence carries it: the support check refuses it already
    if any(group & stems for group in groups for stems in carrying):
        return None
    return verbs[0]


def _carrying_stems(
    text: str, articles: Sequence[Article], outlet_of: Sequence[str]
) -> list[set[str]]:
    evidence = story_evidence(articles, outlet_of)
    bullet = claim(text)
    head = main_clause(text)
    main = claim(head) if head != text else None
    return [
        set(content_stems(sentence.text))
        for _, sentence in evidence.sentences
        if carries(bullet, sentence, evidence, SUPPORT_SHARE, main)
    ]
