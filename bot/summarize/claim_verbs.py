"""What a model bullet says happened must be what its supporting sentence says happened.

The names and figures of "Acme acquired Birch for $4 million" are all in "Acme bid $4 million
for Birch", so the grounding and support checks pass it; only the verb changed, and with it the
fact. The bullet's main verb (`acts.main_verbs`: the first of its main clause, past auxiliaries, a
reporting verb and a light verb such as "made a bid") is read and, when it is a decisive verb in
its decisive sense (`verb_groups`: a deal done, a verdict, a death, a vote's outcome, a firing),
one of the sentences that carry the bullet (`support.carries`) must state the same fact in one of
its group's words ("bought" or "sold" for "acquired", "quit" for "resigned", "found ... guilty"
for "convicted"), and say it as surely (`modality`): "Acme agreed to buy Birch" does not carry
"Acme bought Birch", nor "Reed could be charged" "Reed was charged".

Only those verbs are checked. Honest paraphrase changes other verbs all the time ("sent nine
workers to hospital" for "nine workers were taken to hospital"), and a refused answer costs the
whole card its model prose, so a verb goes unchecked whenever its sense is in doubt. On the 60
honest and 30 changed bullets of `tests/_llm_paraphrases.py` all 60 honest ones pass and 29 of
the 30 changed ones are refused (the miss: "will cut" told as "has cut", not a decisive verb).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from bot.models import Article
from bot.summarize.acts import decisive_verbs
from bot.summarize.main_clause import main_clause
from bot.summarize.modality import DONE, FUTURE, level_before, tokens
from bot.summarize.roles import flipped
from bot.summarize.sentences import stem
from bot.summarize.support import SUPPORT_SHARE, carries, claim, story_evidence
from bot.summarize.verb_groups import Group


class VerbProblem(NamedTuple):
    """A bullet's decisive verb no carrying sentence states (`hedged` False) or states only as
    what may or will happen while the bullet says it surely (`hedged` True), or states of its
    other party what the bullet says its subject did (`reversed` True: `roles`)."""

    verb: str
    hedged: bool
    reversed: bool = False


def changed_verb(
    text: str, articles: Sequence[Article], outlet_of: Sequence[str]
) -> VerbProblem | None:
    """The decisive verb of `text` that no sentence carrying it states in any of its group's
    words, or states less surely (see the module docstring); None when the claim's verb checks
    out or is not decisive."""
    clause, verbs, found = decisive_verbs(text)
    groups = [g for g in found if g is not None]
    if not groups or len(groups) < len(verbs):
        # "plans to sell": the plan is the claim, and "plans" is no decisive verb.
        return None
    carrying = _carrying_tokens(text, articles, outlet_of)
    if not carrying:
        return None  # no sentence carries it: the support check refuses it already
    verb = clause[verbs[0]].casefold()
    # "could be charged" claims nothing a source must state surely: HEDGED passes any level.
    said = level_before(clause, verbs[0])
    if said == DONE and _progressive(clause, verbs[0]):
        said = FUTURE  # "is ending its mission" tells what "will end it" does
    levels = [_surest(group, words) for group in groups for words in carrying]
    stated = [level for level in levels if level is not None]
    if not stated:
        return VerbProblem(verb, hedged=False)
    if min(stated) > said:
        return VerbProblem(verb, hedged=True)
    if flipped(clause, verbs[0], carrying, groups[0].verbs):
        return VerbProblem(verb, hedged=False, reversed=True)
    return None


_PRESENT_BE = frozenset({"is", "are", "am"})


def _progressive(words: list[str], at: int) -> bool:
    """Whether `words[at]` is in the present progressive ("is ending"), which a report uses for
    what is about to happen as much as for what is happening."""
    before = words[at - 1].casefold() if at else ""
    return before in _PRESENT_BE and words[at].casefold().endswith("ing")


def _surest(group: Group, words: list[str]) -> int | None:
    """How surely a sentence (its `tokens`) states `group`'s fact: the surest of its group words'
    levels (`modality.level_before`); None when it holds none of them."""
    stems = [stem(word.casefold()) for word in words]
    # "washed away": a phrase is read where its first word stands.
    phrases = [f"{one} {two}" for one, two in zip(stems, [*stems[1:], ""], strict=True)]
    levels = [
        level_before(words, k, group.not_hedges)
        for k, (word, phrase) in enumerate(zip(stems, phrases, strict=True))
        if word in group.words or phrase in group.words
    ]
    return min(levels) if levels else None


def _carrying_tokens(
    text: str, articles: Sequence[Article], outlet_of: Sequence[str]
) -> list[list[str]]:
    evidence = story_evidence(articles, outlet_of)
    bullet = claim(text)
    head = main_clause(text)
    main = claim(head) if head != text else None
    return [
        tokens(sentence.text)
        for _, sentence in evidence.sentences
        if carries(bullet, sentence, evidence, SUPPORT_SHARE, main)
    ]
