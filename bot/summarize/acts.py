"""A sentence's act: the main verb that says what happened, and whether two sentences alike in
words tell two facts.

The main verb is its main clause's own (`verb_clause`): the first finite verb past auxiliaries,
reporting verbs and the asides between subject and verb ("Ada Wren, the harbour master
convicted of fraud, was sentenced" is "sentenced"), and past a noun before the verb ("The ferry
strike began" is "began"). `claim_verbs` holds a model bullet's decisive verb to its sources by
it; `two_facts` tells two tellings of opposite decisive acts apart by it ("approved" /
"rejected", `verb_groups.opposed`), as `occasions` tells two occasions of one act apart. The
repeat checks of the TL;DR, the angles and the quotes, and the support check, all ask
`two_facts`.
"""

from __future__ import annotations

import re

from bot.summarize.finite_verbs import (
    COMMA_RE,
    SUBORDINATORS,
    VERB_WORDS,
    has_verb,
    opens_time_phrase,
)
from bot.summarize.main_clause import main_clause, negated
from bot.summarize.modality import tokens
from bot.summarize.occasions import other_occasion
from bot.summarize.reports import REPORTING_VERBS
from bot.summarize.sentences import stem
from bot.summarize.story_memo import story_cached
from bot.summarize.verb_groups import Group, decisive_group, opposed
from bot.text_cache import SENTENCE_CHARS, text_cache

_AUXILIARIES = frozenset(
    """
    is are was were be been being am has have had do does did will would can could shall should
    may might must isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't won't
    wouldn't can't couldn't shouldn't not never also still now again already just reportedly
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
_RELATIVES = frozenset("who whom whose which".split())
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
    main clause (`verb_clause`) past auxiliaries and reporting verbs, and the one after it in
    "plans to cut"; [] when none is found or the verb is a light one ("made a bid")."""
    words = _TOKEN_RE.findall(verb_clause(text))
    return [words[i].casefold() for i in _main_verb_at(words)]


def verb_clause(text: str) -> str:
    """`text`'s main clause (`support.main_clause`), past a scene it opens on and without the
    asides between its subject and its verb: "When the vote came on Friday, the board approved
    the levy" is read as "the board approved the levy", "Ada Wren, the harbour master convicted
    of fraud, was sentenced" as "Ada Wren was sentenced"; the participle of an appositive, or
    the verb of a relative clause set off by commas, is not the main verb."""
    return main_clause(_past_asides(_past_scene(text)))


# Scenes read past at most: "On Monday, after talks, the union ...".
_MAX_SCENES = 3


def _past_scene(text: str) -> str:
    """`text` after the scenes it opens on, each up to its comma: a subordinate clause or a
    phrase ("After talks on Tuesday,", "When the vote came on Friday,", "Speaking in Tolberg,",
    "The day after the storm hit,"). The scene says when or why, and its verb ("came") is not
    the act's, as its date is not the act's either (`occasions`). Without a comma, where the
    scene ends is not read: the text is kept whole."""
    for _ in range(_MAX_SCENES):
        head, comma, rest = text.partition(", ")
        words = head.split()
        opener = words[0].casefold().strip("\"“‘'(") if words else ""
        participle = len(opener) >= 5 and opener.endswith(("ing", "ed"))
        scene = opener in SUBORDINATORS or participle or opens_time_phrase(head)
        if not (comma and scene and has_verb([rest])):
            break
        text = rest
    return text


def _past_asides(text: str) -> str:
    segments = COMMA_RE.split(text)
    opener = segments[0].split(maxsplit=1)[0].casefold() if segments[0].split() else ""
    # "On Monday, the council approved ...": a scene before the subject, no aside after it.
    if len(segments) < 3 or opener in SUBORDINATORS or has_verb(segments[:1]):
        return text
    # A participle's segment is an aside only before a segment opening on an auxiliary ("The
    # driver, injured in the crash, was taken ..."); else it may be the predicate itself.
    found = _predicate_at(segments, participles=True)
    if found is None:
        found = _predicate_at(segments, participles=False)
    return text if found is None else " ".join([segments[0], ", ".join(segments[found:])])


def _predicate_at(segments: list[str], participles: bool) -> int | None:
    """Which of `segments` opens the subject's predicate after its asides: on an auxiliary, past
    participles' asides too (`participles`), or on any finite verb, past the other asides."""
    for n in range(2, len(segments)):
        if not _aside(segments[n - 1], participles):
            return None
        if _opens_on_verb(segments[n], participles):
            return n
    return None


def _aside(segment: str, participles: bool) -> bool:
    """Whether a comma segment after a subject reads as its aside: an appositive ("the harbour
    master convicted of fraud"), an age ("45"), a relative clause ("who was charged in May") or,
    with `participles`, a participle's ("arrested on Monday")."""
    words = segment.split()
    first = words[0].casefold() if words else ""
    if first in _DETERMINERS or first in _RELATIVES or first[:1].isdigit():
        return True
    return participles and words[0][:1].islower() and len(first) >= 5 and first.endswith("ed")


_TRUE_AUXILIARIES = frozenset(
    "is are was were has have had will would can could shall should may might must do does did".split()
)


def _opens_on_verb(segment: str, auxiliary: bool) -> bool:
    """Whether `segment` opens on a finite verb (past an adverb); on an auxiliary, if asked."""
    words = _TOKEN_RE.findall(segment)
    if words and words[0].casefold().endswith("ly") and len(words) > 1:
        words = words[1:]  # "..., formally approved the plan"
    if not words or not words[0][:1].islower():
        return False
    first = words[0].casefold()
    if auxiliary:
        return first in _TRUE_AUXILIARIES
    if first in _AUXILIARIES or first in VERB_WORDS:
        return True
    return len(first) >= 5 and first.endswith("ed")


def _in_noun_phrase(words: list[str], i: int) -> bool:
    """Whether `words[i]`, a verb's form, is the head of the subject's noun phrase instead: a
    bare form ("strike", "cut", not "struck") after a noun ("The ferry strike began") or a
    determiner and a name ("The Quayline strike began"), with a finite verb right after it."""
    low = words[i].casefold()
    if low.endswith(("ed", "s")) or i + 1 >= len(words):
        return False
    following = words[i + 1]
    if following.casefold().endswith("ly") and i + 2 < len(words):
        following = words[i + 2]  # "The ferry strike finally began"
    nxt = following.casefold()
    if not following[:1].islower() or not (
        nxt in _AUXILIARIES or nxt in VERB_WORDS or (len(nxt) >= 5 and nxt.endswith("ed"))
    ):
        return False
    before = words[i - 1]
    if before[:1].islower():
        low_before = before.casefold()
        return low_before not in VERB_WORDS and low_before not in _AUXILIARIES
    return i >= 2 and words[i - 2].casefold() in _DETERMINERS


def _main_verb_at(words: list[str]) -> list[int]:
    """Where in `words` (a main clause's) `main_verbs` finds its verbs."""
    found: list[int] = []
    i = 1  # the first word opens the subject
    while i < len(words):
        low = words[i].casefold()
        after_aux = words[i - 1].casefold() in _AUXILIARIES and words[i][:1].islower()
        if low in _AUXILIARIES or not (after_aux or _looks_finite(words, i)):
            i += 1
            continue
        if not after_aux and _in_noun_phrase(words, i):
            i += 1  # "The ferry strike began": a noun before the verb, not the verb
            continue
        if low in REPORTING_VERBS:
            i += 1
            continue
        if any(w.casefold() in _RELATIVES for w in words[1:i]):
            # "A man who was charged ... was sentenced": the verb is the subject's relative
            # clause's, and where that clause ends is not read.
            return []
        found.append(i)
        if low in _LEADS_ON and i + 2 < len(words) and words[i + 1].casefold() == "to":
            found.append(i + 2)
        break
    if len(found) == 1 and words[found[0]].casefold() in _LIGHT:
        return []
    return found


@text_cache(maxsize=256, max_chars=SENTENCE_CHARS)
def decisive_verbs(text: str) -> tuple[list[str], list[int], tuple[Group | None, ...]]:
    """`text`'s main clause as tokens, where its main verbs (`main_verbs`) stand in them, and
    each verb's group when it is decisive in its sense there (`decisive_group`), else None."""
    clause = tokens(verb_clause(text))
    at = [k for k, token in enumerate(clause) if _TOKEN_RE.fullmatch(token)]
    verbs = [at[i] for i in _main_verb_at([clause[k] for k in at])]
    return clause, verbs, tuple(decisive_group(clause[k], clause, k) for k in verbs)


# Every repeat and support check asks `two_facts` of a pair, so one text meets hundreds of
# others: its own reading is kept, not worked out again for each pair.
@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def _decisive_acts(text: str) -> tuple[tuple[str, Group], ...]:
    """`text`'s decisive main verbs (stemmed) with their groups; none when its main clause is
    negated ("did not approve" may tell its opposite's fact, and decides nothing)."""
    clause, verbs, groups = decisive_verbs(text)
    decisive = tuple(
        (stem(clause[k].casefold()), g) for k, g in zip(verbs, groups, strict=True) if g
    )
    if not decisive or negated(verb_clause(text)):
        return ()
    return decisive


def other_acts(a_text: str, b_text: str) -> bool:
    """Whether two sentences tell opposite decisive acts: the main verb of each is decisive
    (read as `claim_verbs.changed_verb` reads a model bullet's), their groups' facts exclude each other
    (`verb_groups.opposed`: "The council approved the tram line" / "The council rejected the
    tram line") and neither verb is one of the other's group's words. However alike their other
    words, they are two facts. A negated main clause ("did not approve") may tell its
    opposite's fact, and decides nothing."""
    a_acts = _decisive_acts(a_text)
    if not a_acts:
        return False
    b_acts = _decisive_acts(b_text)
    if not b_acts:
        return False
    if any(
        a_verb in b_group.words or b_verb in a_group.words
        for a_verb, a_group in a_acts
        for b_verb, b_group in b_acts
    ):
        return False
    return any(opposed(a_group, b_group) for _, a_group in a_acts for _, b_group in b_acts)


# One pair is asked again and again (the repeat check, `same_core`, `cores_alike` and
# `one_remark` in turn, each beam of the search): answered once a story.
@story_cached
def two_facts(a_text: str, b_text: str) -> bool:
    """Whether two sentences tell two facts however alike their words: other occasions of one
    act (`other_occasion`: "voted on Monday" / "voted on Thursday", "voted for" / "voted
    against") or opposite decisive acts (`other_acts`: "approved" / "rejected"). Every check
    of whether one sentence tells another again asks it: the TL;DR's repeats, an angle's
    sentence and a quote under a bullet (`restated`, `told`, `angles`), and whether a sentence
    backs a bullet (`support`)."""
    return other_occasion(a_text, b_text) or other_acts(a_text, b_text)
