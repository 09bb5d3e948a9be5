"""Which names an angle's line may lean on: a telling name, worth a "Names ..." framing (two
words, or one the outlet uses again as a name, never a modifier or a common word), and a known
person, the story's subject spelt another way. The names themselves are `angle_names`'.
"""

from __future__ import annotations

import re
from collections.abc import Container

from bot.models import Article
from bot.summarize.angle_names import CONNECTORS
from bot.summarize.grounding import POSSESSIVE_RE
from bot.summarize.sentences import content_stems
from bot.textutil import STOPWORDS


def known_person(name: str, other: Container[str]) -> bool:
    """Whether `name` is a person's name ("Alexey Navalny") whose surname some other outlet uses:
    it is the story's subject spelt another way ("Alexei Navalny"), not a name the others lack.
    Names with a connector ("Center for Security Policy") are institutions: all their words
    count, as the caller checks."""
    tokens = name.split()
    if len(tokens) < 2 or any(t in CONNECTORS for t in tokens):
        return False
    surname = content_stems(POSSESSIVE_RE.sub("", tokens[-1]))
    return bool(surname) and all(s in other for s in surname)


def is_telling_name(name: str, article: Article) -> bool:
    """Whether `name` is worth a "Names ..." framing: a proper name of two words or more, or one
    word the outlet uses again (a lone capitalised word is as often a place in passing, an
    adjective or a slogan as the detail's subject), and never in lowercase: a word the outlet
    also writes "fog" or "black" is a common word capitalised at a sentence's start or for
    emphasis, not a name. Nor is a word the outlet only ever writes before another word, "the
    Delta variant", "a Web site", "Covid patients" or "Covid-19": a modifier, not who or what."""
    if len(name.split()) > 1:
        return True
    if name.lower() != name and _word_re(name.lower()).search(article.text):
        return False
    text = f"{article.title}\n{article.text}"
    uses = [m.end() for m in _word_re(name).finditer(text)]
    return len(uses) > 1 and any(_stands_alone(text, end) for end in uses)


_NEXT_WORD_RE = re.compile(r"\s+([A-Za-z][\w'’]*)")


def _stands_alone(text: str, end: int) -> bool:
    """Whether the word ending at `end` stands for itself there: before punctuation, its
    possessive, a function word or a verb ("Okonkwo said", "by Okonkwo.", "Okonkwo’s", "Okonkwo
    warned", "Tokyo formally apologised"), not before a hyphen, another capitalised word or a
    lowercase word it describes ("the Delta variant"). A verb is told from a noun by its ending
    only ("-ed", or an adverb's "-ly"): "Okonkwo wrote" reads as a modifier, the safe side, as
    a word taken for a modifier loses the line its "Names" framing and nothing else."""
    if text.startswith("-", end):
        return False
    following = _NEXT_WORD_RE.match(text, end)
    if following is None:
        return True
    word = following.group(1)
    return word.islower() and (word in STOPWORDS or word.endswith(("ed", "ly")))


def _word_re(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'’]){re.escape(word)}(?!\w)")
