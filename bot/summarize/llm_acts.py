"""Who did an act, and what it was done to, checked against the sources (`llm_facts.misstated`
runs both):

- who: a named person, or a title ("the mayor"), as the subject of an act verb ("voted",
  "approved", "resigned") must stand, in any form or as the body it is a member of
  ("Councillors voted" for "the council voted"), in one source sentence with that verb, when a
  source sentence has the verb at all ("the mayor voted against" when only Councillor Dale did).
- what to: an act's complement that says which way it went ("voted to close the base", "asked
  the council to keep the ramp open", "voted for its closure") must not go the other way from
  every source sentence stating the same act (the same verb, by stem) on the same thing ("voted
  to keep the base open"). Only a direction this module reads for certain is compared: a
  complement's first infinitive, or its "for" / "against" with the head of what follows it
  ("against the base's proposed closure": a possessive or adjective is read past), in a small
  lexicon of opposite outcomes (close / keep open, build / scrap, raise / cut, approve / reject, ...), with "not"
  and "keep ... closed" read; the thing is the complement's last content word, which the
  source's complement must name. Any other complement ("voted to go ahead", "to approve" where
  the source says "to build") is left alone: honest paraphrase changes them freely, and a refused
  answer costs the card all its model prose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from bot.summarize.sentences import split_sentences, stem
from bot.textutil import STOPWORDS

__all__ = ["wrong_actor", "wrong_object"]

# Acts a person does, in the past tense a summary states them in.
_ACTS = (
    "voted|approved|rejected|signed|vetoed|resigned|proposed|announced|asked|urged|opposed|"
    "backed|supported|blocked|ordered|fired|appointed|nominated|endorsed|abstained|introduced|"
    "sponsored|sued|won|lost|cast|pledged|promised|demanded|called|criticised|criticized|"
    "praised|defended|refused|agreed|accepted|declined|approves|rejects|votes|signs|resigns"
)
_TITLES = (
    "mayor|governor|president|councillor|councilor|councilman|councilwoman|minister|premier|"
    "chancellor|senator|judge|sheriff|speaker|chair|chairman|chairwoman|chief|commissioner|"
    "prosecutor|secretary|treasurer|superintendent|director|ceo|spokesman|spokeswoman|"
    "spokesperson|manager|leader"
)
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
_ACTOR_RE = re.compile(
    rf"(?:(?<![\w'’])(?P<name>{_NAME})|\b[Tt]he\s+(?P<title>{_TITLES}))"
    rf"\s+(?:\w+ly\s+)?(?:(?:has|had|have)\s+)?(?P<verb>{_ACTS})\b"
)
# Capitalised words that open a clause without naming anyone.
_NOT_ACTORS = frozenset(
    "the a an this that these those it he she they we i but and or so yet then also".split()
)


# The shortest stem read as a body its longer form is a member of ("council", "councillor").
_MEMBER_STEM = 5

# Irregular past tenses the stemmer leaves alone: "won" must meet "to win".
_IRREGULAR = {"won": "win", "lost": "lose", "lose": "lose", "win": "win", "wins": "win"}


def _verb_stem(word: str) -> str:
    word = word.lower()
    return _IRREGULAR.get(word) or stem(word)


def wrong_actor(text: str, sources: Sequence[str]) -> str | None:
    for match in _ACTOR_RE.finditer(text):
        name = match.group("name")
        if name is not None:
            words = [w for w in name.split() if w.lower() not in _NOT_ACTORS]
            if not words:
                continue
            key = re.sub(r"['’]s$", "", words[-1])
        else:
            key = match.group("title")
        verb = _verb_stem(match.group("verb"))
        acting = [words for source in sources for words in _sentence_stems(source) if verb in words]
        # Sources that tell the act in other words ("stepped down") are the claim-verb check's
        # to judge; those that tell it in this verb must tell it of this actor.
        if acting and not any(_same_actor(stem(key.lower()), words) for words in acting):
            return match.group(0)
    return None


# The checks run once per sentence of an answer against the same sources, a cluster's articles
# (62,000 characters and more): each source is split and read once, not once per sentence.
# Sized for a few stories' sources at a time.
@lru_cache(maxsize=64)
def _sentences(source: str) -> tuple[str, ...]:
    return tuple(split_sentences(source))


@lru_cache(maxsize=64)
def _sentence_stems(source: str) -> tuple[frozenset[str], ...]:
    """The verb stems of each of `source`'s sentences' words."""
    return tuple(
        frozenset(_verb_stem(w) for w in re.findall(r"[\w'’]+", s)) for s in _sentences(source)
    )


def _same_actor(key: str, words: frozenset[str]) -> bool:
    """Whether a sentence's word stems name the actor `key` (a stem), in any form or as the
    body its members belong to: "Councillors voted" for "the city council voted"."""
    if key in words:
        return True
    return any(
        min(len(key), len(w)) >= _MEMBER_STEM and (w.startswith(key) or key.startswith(w))
        for w in words
    )


# Verbs whose complement may say which way an act went: the acts above and some that take "to".
_TAKING_RE = re.compile(
    rf"\b(?P<verb>{_ACTS}|decided|chose|moved|sought|wanted|planned|plans|opted|urges|asks)\b",
    re.IGNORECASE,
)
# Where a complement ends: another clause, or an aside.
_CLAUSE_END_RE = re.compile(
    r"[.;:!?,()\[\]—–\"“”]|\s-\s|\b(?:and|but|or|after|before|because|while|although|though|"
    r"when|since|as|which|who|whom|where|if|unless|until|so)\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[A-Za-z][\w'’-]*|\d[\d,.]*")
# Outcomes an act may be for, by stem: +1 keeps, makes or grows a thing, -1 ends, stops or
# shrinks it. Buying and selling are left out: one deal is both, from its two sides.
_DIRECTIONS = {
    **{
        stem(w): 1
        for w in """keep open reopen build expand approve continue extend raise save retain
        preserve restore fund support back protect increase maintain renew accept adopt allow
        permit resume""".split()
    },
    **{
        stem(w): -1
        for w in """close shut end scrap cut ban reject cancel halt stop block abolish remove
        demolish reduce lower suspend drop axe shelve withdraw abandon dismantle oppose closure
        demolition""".split()
    },
}
# Verbs that hold a thing in a state, whose direction is the state's ("keep it closed").
_HOLDING = {stem(w) for w in "keep leave stay remain hold".split()}
_STATES = {"open": 1, "opened": 1, "running": 1, "operating": 1, "closed": -1, "shut": -1}
_NEGATIONS = frozenset("not never".split())
# A tally's second number ("7 to 2", "seven to two"), which is no infinitive.
_NUMBER_RE = re.compile(
    r"\d|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)\b",
    re.IGNORECASE,
)
# Words before a "for" / "against" that leave it the act's own: a tally, a day, an adverb.
_LEAD_RE = re.compile(
    r"^(?:\d[\d,.]*|to|on|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|today|\w+ly)$",
    re.IGNORECASE,
)
# Words that end the thing an act was done to: an adjunct of place, time or means begins.
_OBJECT_END = frozenset(
    "to in on at by from during for over with under into next this last".split()
)


class _Complement(NamedTuple):
    direction: int
    thing: frozenset[str]  # its content word stems
    head: str  # its last content word's stem, which the other complement must name
    end: int  # where it ends in the text


def _words(text: str, start: int) -> list[re.Match[str]]:
    """The words of the clause that starts at `start`."""
    end = _CLAUSE_END_RE.search(text, start)
    return list(_WORD_RE.finditer(text, start, end.start() if end else len(text)))


def _lower(word: re.Match[str]) -> str:
    return word.group(0).lower()


def _complement(text: str, start: int) -> _Complement | None:
    """Which way the act whose verb ends at `start` went, and on what, if read for certain."""
    words = _words(text, start)
    for i, word in enumerate(words):
        lower = _lower(word)
        if lower in ("for", "against") and all(_LEAD_RE.match(_lower(w)) for w in words[:i]):
            return _for_against(words[i + 1 :], 1 if lower == "for" else -1)
        if lower == "to" and i + 1 < len(words) and not _NUMBER_RE.match(words[i + 1].group(0)):
            negated = i > 0 and _lower(words[i - 1]) in _NEGATIONS
            return _directed(words[i + 1 :], -1 if negated else 1)
    return None


def _for_against(rest: list[re.Match[str]], sign: int) -> _Complement | None:
    """ "for the closure of the base", "against keeping it open", "for a plan to close it",
    "against the base's closure", "for the proposed cuts to the budget"."""
    for i, word in enumerate(rest):
        if _lower(word) == "to" and i + 1 < len(rest):
            found = _directed(rest[i + 1 :], sign)
            return found and _thing(found.direction, rest[:i] + rest[i + 2 :])
    # The noun phrase "for" takes, up to its first preposition ("of the base"): its head, the
    # last content word, is what the act was for; a possessive or an adjective before it is not.
    phrase: list[re.Match[str]] = []
    for word in rest:
        if _lower(word) in _OBJECT_END or _lower(word) == "of":
            break
        phrase.append(word)
    content = [w for w in phrase if _bare(w) not in STOPWORDS]
    turns = [w for w in content if stem(_bare(w)) in _DIRECTIONS]
    if not turns:
        return _thing(sign, rest)
    if turns[0] is content[0]:  # "for closing the base", "for the closure of the base"
        return _directed(rest[rest.index(content[0]) :], sign)
    if turns == [content[-1]]:  # "against the base's closure", "for the proposed closure"
        head = content[-1]
        rest_of = [w for w in rest if w is not head]
        found = _thing(sign * _DIRECTIONS[stem(_bare(head))], rest_of)
        return found and found._replace(end=max(found.end, head.end()))
    return None  # a direction word inside a name ("the closure plan committee"): unsure


def _bare(word: re.Match[str]) -> str:
    """A word without its possessive ending: "base's" is "base"."""
    return re.sub(r"['’]s?$", "", _lower(word))


def _directed(rest: list[re.Match[str]], sign: int) -> _Complement | None:
    """The direction of the outcome verb opening `rest`, times `sign`, on the thing after it."""
    if not rest:
        return None
    if _lower(rest[0]) in _NEGATIONS:  # "to not close"
        return _directed(rest[1:], -sign)
    verb = stem(_lower(rest[0]))
    if verb in _HOLDING:
        states = [_STATES[_lower(w)] for w in rest[1:] if _lower(w) in _STATES]
        direction = states[0] if states else (None if verb == stem("leave") else 1)
    else:
        direction = _DIRECTIONS.get(verb)
    if direction is None:
        return None
    return _thing(sign * direction, rest[1:])


def _thing(direction: int, rest: list[re.Match[str]]) -> _Complement | None:
    stems: list[str] = []
    end = 0
    for word in rest:
        lower = _bare(word)
        if lower in _OBJECT_END:
            break
        end = word.end()
        if lower in STOPWORDS or lower in _STATES or lower[0].isdigit():
            continue
        if stem(lower) not in _DIRECTIONS:
            stems.append(stem(lower))
    if not stems:
        return None
    return _Complement(direction, frozenset(stems), stems[-1], end)


def wrong_object(text: str, sources: Sequence[str]) -> str | None:
    """An act told as going the other way on its thing from every source sentence that tells it
    (the module docstring), as the text's words from the verb to the thing; else None."""
    for match in _TAKING_RE.finditer(text):
        if re.search(r"\b(?:not|never)\s+$|n['’]t\s+$", text[: match.start()]):
            continue  # a negated act: the polarity check's to compare
        mine = _complement(text, match.end())
        if mine is None:
            continue
        verb = _verb_stem(match.group("verb"))
        ways = {
            found.direction
            for source in sources
            for their_verb, found in _source_acts(source)
            if their_verb == verb and mine.head in found.thing
        }
        if ways == {-mine.direction}:
            return text[match.start() : mine.end]
    return None


@lru_cache(maxsize=64)
def _source_acts(source: str) -> tuple[tuple[str, _Complement], ...]:
    """Each act in `source` whose complement is read for certain: its verb's stem, and which way
    it went on what."""
    acts = []
    for sentence in _sentences(source):
        for theirs in _TAKING_RE.finditer(sentence):
            found = _complement(sentence, theirs.end())
            if found is not None:
                acts.append((_verb_stem(theirs.group("verb")), found))
    return tuple(acts)
