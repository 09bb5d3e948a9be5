"""Where a sentence may be cut, and whether what is left still reads as a sentence.

A TL;DR bullet may be a source sentence cut at a clause boundary (a comma, semicolon or dash), but
only where the words before it stand alone: no dangling "the company said it would", no lone
subordinate clause, no reporting verb without its report, no accusation left stated as fact.
Whether words read as a sentence at all, by cues alone (no tagger), is `finite_verbs`'s
`is_clause`; where a comma or a phrase's end still ends no clause, `clause_ends`'s.
"""

from __future__ import annotations

import re

from bot.summarize.asides import CONDITION_RE, accusing, last_accusation
from bot.summarize.clause_ends import lacks_main_clause
from bot.summarize.finite_verbs import (
    ADVERBS,
    COMMA_RE,
    PUNCT,
    SUBORDINATORS,
    VERB_WORDS,
    has_verb,
    opens_time_phrase,
)
from bot.summarize.owed_parts import cut_owes
from bot.summarize.quote_marks import has_open_quote


def ensure_period(text: str) -> str:
    text = text.rstrip(" ,;:—–-")
    if not text.rstrip("\"'”“’)").endswith((".", "!", "?", "…")):
        text += "."
    return text


_CLAUSE_BREAK_RE = re.compile(r"(?:,|;|:|\s[—–]|\s-)\s")
# Words no phrase ends on, cut or whole: each leads to words that follow it (an article, a
# possessive, a preposition, a conjunction, a relative, an auxiliary). The one list every cut
# is checked against: a bullet's clause, a headline's and a quote's window.
WEAK_ENDINGS = frozenset(
    """
    a an the and or but nor of to in into on onto upon at for with by from about as than that
    which who whom whose its their his her our my your is are was were be been has have had will
    would can could should may might must
    """.split()
)
# ... of which a whole sentence, ending with its own full stop, may end on all but these: a
# preposition or a modal may be stranded ("... as they can.", "... was about.", "... in May."),
# an article, a conjunction, a possessive determiner or "than" always leads on: such a sentence
# is a feed's excerpt cut short, its full stop added.
SENTENCE_END_WEAK = frozenset("a an the and or but nor its their our my your whose than".split())
# ... and inside a sentence, at a cut shown with an ellipsis (a headline's, a quote's window):
# there a demonstrative is a determiner whose noun was cut ("... approved this"), "not" has lost
# what it negates and a reporting verb its report. A whole sentence may end on them: "The mayor
# denied this.", "..., officials said."
MID_CUT_ENDINGS = WEAK_ENDINGS | frozenset("this these those not said says told".split())
# ... and at the end of a text its feed cut short, its full stop added by us ("..., ending a
# system that activists said"): what it was to go on with is lost, so it is held to a cut's
# words and a report's verb without its report ("said", "told", "according to") besides.
CUT_SHORT_ENDINGS = MID_CUT_ENDINGS | frozenset("say tell according".split())


def weak_endings(text: str, whole: bool, complete: bool = True) -> frozenset[str]:
    """The words `text` may not end on. A cut, or a text that stops without a full stop, may not
    end on any of `WEAK_ENDINGS`; a whole sentence that ends with its own full stop may end on a
    stranded preposition or a modal ("... as many as they can.", "... what the dispute was
    about."), only not on a word that always leads on. `complete`: whether the source sentence
    had its own final stop; if not, `text` whole ends where the feed cut it."""
    if whole and not complete:
        return CUT_SHORT_ENDINGS
    if whole and text.rstrip("\"'”“’)").endswith((".", "!", "?")):
        return SENTENCE_END_WEAK
    return WEAK_ENDINGS


# Openers of a clause that is itself the sentence's subject ("Whether the deal holds is unclear").
# "That" also opens "That plan was rejected, officials said": that cut is lost too, a small price.
SENTENTIAL_SUBJECTS = frozenset({"that", "whether"})
# A head ending in a reporting verb and a few words ("X said in the recording") lost what was said.
# Only verbs of saying: "announced a new plan" or "warned of delays" is a whole clause.
_REPORT_END_RE = re.compile(
    r"\b(?:said|says|told|added)"
    r"(?:\s+(?!that\b)[^\s,]+){0,4}$"
)


def _first_verbish(tokens: list[str]) -> str:
    """The first word of `tokens`, past an adverb ("never missed", "reportedly told")."""
    first = tokens[0].casefold().strip(PUNCT)
    if len(tokens) > 1 and (first in ADVERBS or first.endswith("ly")):
        return tokens[1].casefold().strip(PUNCT)
    return first


def clean_cut(head: str, tail: str, tail_accusing: bool | None = None) -> bool:
    """Whether `head`, the words before a clause boundary, stands as a sentence without `tail`.

    Rejects cuts that leave a dangling word ("... the company said it would"), an open quote, a
    lone subordinate clause ("After the storm hit the coast"), a reporting verb without its
    report, or a main clause whose object still follows ("made it clear, before the vote, that").
    `tail_accusing`: `accusing(tail)`, when the caller knows it (see `last_accusation`).
    """
    tokens = head.split()
    if not tokens or has_open_quote(head) or tokens[-1].strip("\"'”’").casefold() in WEAK_ENDINGS:
        return False
    # A question cut short reads as a statement it never made.
    if tail.rstrip(" \"'”’)").endswith("?"):
        return False
    opener = tokens[0].casefold().strip("\"“‘'")
    # "Speaking at the harbour celebrations": a participle phrase is no sentence until the
    # clause it opens, after its comma, has its own verb ("celebrations" inside the phrase is
    # as likely a plural as a verb).
    if len(opener) >= 5 and opener.endswith(("ing", "ed")):
        _, comma, clause = head.partition(", ")
        if not comma or not has_verb([clause]):
            return False
    if _unfinished_report(head):
        return False
    # "... is growing and, in many cases, | a rule": the aside stands between a word that leads
    # on and what it leads to.
    before = COMMA_RE.split(head)[-2:-1]
    if before and before[0].split() and before[0].split()[-1].casefold() in WEAK_ENDINGS:
        return False
    if (opener in SUBORDINATORS or opens_time_phrase(head)) and ", " not in head:
        return False
    # "While she was one of three left in the race, alongside Roe and Berg, | the senator
    # failed ...": the opener's commas, and still no main clause.
    if lacks_main_clause(head):
        return False
    # "feuding not only with the unions, | but also with ...": the pair's second half is owed.
    # "a new, | eye-popping video": the comma between two adjectives of one noun.
    if _adjective_pair(tokens, tail):
        return False
    pairs = list(_NOT_ONLY_RE.finditer(head))
    if pairs and not _BUT_RE.search(head, pairs[-1].end()):
        return False
    # "That the report was written by X, two harbour veterans, amounts to a rebuke": a clause as the
    # subject has its verb after the whole subject, past any comma, so no cut leaves a sentence.
    if opener in SENTENTIAL_SUBJECTS:
        return False
    if _REPORT_END_RE.search(head.rstrip(".")):
        return False
    # "X; unless Y, Z." cut after Y: a new clause's condition left without that clause.
    last = re.split(r"[;:]\s|\s[—–]\s", head)[-1]
    if last != head and CONDITION_RE.match(last) and ", " not in last:
        return False
    # "September 11, 2001": the comma of a date is no clause boundary.
    if re.match(r"\d{4}\b", tail) or CONDITION_RE.match(tail.lstrip()):
        return False
    # "X, prosecutors said." cut before its speaker states the accusation as fact; a cut inside
    # a kept "(in mice, rats)" leaves it open.
    if tail_accusing is None:
        tail_accusing = tail_accuses(tail)
    if tail_accusing or head.count("(") > head.count(")"):
        return False
    # A tail opening with a verb, maybe after an aside ("the won, took a hit", "Blackburn,
    # R-Tenn., told Fox", "Ada Holm, the port's longest-serving pilot, said"), is the predicate
    # the head still needs. Only the first two segments count; the tail may be the rest of a
    # very long sentence.
    first_two = tail.split(", ", 2)[:2]
    segments = [seg.split() for seg in first_two]
    starts = [_first_verbish(seg) for seg in segments[:1] if seg]
    aside = bool(segments[0]) and (
        len(segments[0]) <= 4
        or (
            len(segments[0]) <= _ASIDE_MAX_WORDS
            and segments[0][0].casefold().strip(PUNCT) in _ASIDE_OPENERS
        )
    )
    if len(segments) == 2 and segments[1] and aside:
        starts.append(_first_verbish(segments[1]))
        # "not willing, at least for now, | to change ...": the aside stood between a word
        # and the infinitive it asks for.
        if _infinitive(segments[1]):
            return False
    # "died" is as much a past tense as "resigned", short as it is.
    if any(
        w in VERB_WORDS or (len(w) >= 5 and w.endswith("ed")) or (len(w) == 4 and w.endswith("ied"))
        for w in starts
    ):
        return False
    # "The law, one of the strictest in the land, | prohibits the practice": a word in "-s"
    # before its object's determiner is the verb ("officials said" is a plural and its verb).
    if segments[0] and _present_verb(segments[0]):
        return False
    # "will allow the pier's owner, a Tolberg firm, | to sell it": what the verb allows; "not
    # willing, at least for now, | to change": what the word before the aside asks for.
    if segments[0] and _infinitive(segments[0]):
        inner = COMMA_RE.split(head)
        last = inner[-1].split()
        if _ALLOWING_RE.search(head) or (
            len(inner) >= 2
            and bool(last)
            and (
                (len(last) <= 4 and not has_verb([inner[-1]]))
                or (len(last) <= _ASIDE_MAX_WORDS and last[0].casefold() in _ASIDE_OPENERS)
            )
        ):
            return False
    return not any(seg.lstrip('"“').startswith("that ") for seg in first_two)


_NOT_ONLY_RE = re.compile(r"\bnot only\b", re.IGNORECASE)
_BUT_RE = re.compile(r"\bbut\b", re.IGNORECASE)
# An aside between a head and its predicate: "Ada Holm, the port's longest-serving pilot, said".
_ASIDE_MAX_WORDS = 10
_ASIDE_OPENERS = frozenset("the a an who whom whose which like including".split())
_DETERMINERS = frozenset("the a an his her its their our this that these those".split())
# Verbs that take an object and then an infinitive: "allow the port's owner to sell".
_ALLOWING_RE = re.compile(
    r"\b(?:allow|permit|enable|force|require|want|expect|urge|ask|order|tell|told|encourage"
    r"|invite|persuade|authori[sz]e|need|pressure|push|lead|prompt|convince)(?:s|ed|d|ing)?\b"
    r"(?:\s+\S+){0,10}$",
    re.IGNORECASE,
)


# Adjectives that stand between an article and a noun, and adjective endings.
_ADJECTIVES = frozenset(
    "new old big small large major first last long short high low great good bad key top full"
    " young huge rare strong weak rich poor".split()
)
# (Few endings: "-al", "-ic", "-ive" end as many nouns, "the deal", "the clinic", "the motive".)
_ADJECTIVE_ENDINGS = ("ous", "less")


def _adjective_pair(tokens: list[str], tail: str) -> bool:
    """Whether the head ends on an article and an adjective ("a new") and the tail opens on a
    lowercase word that is no determiner: the noun they describe is still to come."""
    if len(tokens) < 2 or tokens[-2].casefold() not in ("a", "an", "the"):
        return False
    last = tokens[-1].casefold()
    first = tail.split(maxsplit=1)[:1]
    return (
        (last in _ADJECTIVES or last.endswith(_ADJECTIVE_ENDINGS))
        and bool(first)
        and first[0][:1].islower()
        and first[0].casefold() not in _OBJECT_DETERMINERS
    )


def _present_verb(words: list[str]) -> bool:
    """Whether `words` open on a present-tense verb and its object ("prohibits the practice",
    "bans all trawlers"): a lowercase word in "-s" before a determiner."""
    if len(words) < 2:
        return False
    first = words[0].strip(PUNCT)
    return (
        first.isalpha()
        and first.islower()
        and len(first) >= 4
        and first.endswith("s")
        and not first.endswith(("ss", "us", "is"))
        and words[1].casefold() in _OBJECT_DETERMINERS
    )


_OBJECT_DETERMINERS = frozenset("the a an its his her their this these those all any".split())


def _infinitive(words: list[str]) -> bool:
    """Whether `words` open on "to" and a verb ("to radically change", "to sell"), not on "to"
    and a noun phrase ("to the harbour")."""
    if len(words) < 2 or words[0].casefold().strip('"“') != "to":
        return False
    nxt = words[1].strip(PUNCT)
    return nxt[:1].islower() and nxt.isalpha() and nxt.casefold() not in _DETERMINERS


# A "that" opening a reported clause ("says that the lawyer ..."), told from a relative or a
# determiner ("the plan that critics oppose", "that bridge") by what follows it.
_REPORT_THAT_RE = re.compile(
    r"\b(?:that(?=\s+(?:the|a|an|his|her|its|their|this|these|those|he|she|it|they|we|there"
    r"|if|when|once|unless|after|before|following|despite|amid|during|while|since|because"
    r"|although|though)\b|\s+(?-i:[A-Z]))|if|whether)\s+",
    re.IGNORECASE,
)
_CONDITION_OPENERS = frozenset("if when once unless".split())


def _unfinished_report(head: str) -> bool:
    """Whether `head` ends inside a reported or conditional clause that has not got its verb
    ("says that the shipyard's chief lawyer Anton Reis") or its consequence ("announced that if
    the union and the port agree on a lease")."""
    found = list(_REPORT_THAT_RE.finditer(head))
    if not found:
        return False
    last = found[-1]
    clause = head[last.end() :]
    words = clause.split()
    if not words:
        return True
    if last.group(0).casefold().startswith("that") and words[0].casefold() in _CONDITION_OPENERS:
        return True
    return not has_verb([clause])


def tail_accuses(tail: str) -> bool:
    """Whether `tail`, what a cut drops, accuses (`accusing`) in a way that bears on the words
    kept: the claim they make would read as established fact without it."""
    return accusing(tail) and not _relative_accusation(
        tail.lstrip(), last_accusation(tail.lstrip())
    )


_RELATIVE_RE = re.compile(r"\b(?:that|which|who|whom|whose)\b", re.IGNORECASE)


def _relative_accusation(tail: str, at: int) -> bool:
    """Whether `tail`'s last sign of accusing, at `at`, speaks inside a relative clause of the
    participle phrase `tail` opens ("ending a lease that dock workers said"): of the relative's
    noun, not of the words before the cut. Not after a comma, nor with an accusation before it."""
    before = tail[:at]
    words = before.split(maxsplit=1)
    first = words[0].casefold() if words else ""
    return (
        first.endswith("ing")
        and first != "according"
        and ", " not in before
        and _RELATIVE_RE.search(before) is not None
        and not accusing(before)
    )


def cut_to_words(sentence: str, max_words: int, min_words: int = 6) -> str | None:
    """`sentence` cut at its last clause boundary within `max_words`, or None if no clean cut.

    Cutting at a comma, semicolon or dash keeps the bullet readable; a cut in the middle of a
    clause would leave "... the company said it would" dangling.
    """
    if len(sentence.split()) <= max_words:
        return sentence
    if sentence.rstrip(" \"'”’)").endswith("?"):
        return None
    best: str | None = None
    for match in _CLAUSE_BREAK_RE.finditer(sentence):
        head = sentence[: match.start()].rstrip()
        n = len(head.split())
        if n > max_words:
            break
        if n < min_words or not clean_cut(head, sentence[match.end() :]):
            continue
        if cut_owes(match.group(), head, sentence[match.end() :]):
            continue
        best = head
    return ensure_period(best) if best else None


def clause_prefixes(sentence: str, max_words: int, min_words: int = 6) -> list[str]:
    """Every clean clause-boundary cut of `sentence` within `max_words`, longest first."""
    out: list[str] = []
    # Each tail starts after a space: whether it accuses is known from one pass (asking each
    # tail is quadratic in a long sentence with many clause breaks).
    accusation = last_accusation(sentence)
    for match in _CLAUSE_BREAK_RE.finditer(sentence):
        head = sentence[: match.start()].rstrip()
        n = len(head.split())
        if n > max_words:
            break
        tail_accusing = accusation >= match.end() and not _relative_accusation(
            sentence[match.end() :], accusation - match.end()
        )
        if n < min_words or not clean_cut(head, sentence[match.end() :], tail_accusing):
            continue
        if cut_owes(match.group(), head, sentence[match.end() :]):
            continue
        out.append(ensure_period(head))
    return out[::-1]


# A bullet opening with one of these leans on a sentence the card does not show ("Its ferry
# resumes on Friday": whose?; "Also on board were ..."; "So when ..."). Bullets are read alone.
_ANAPHORS = frozenset("he she it they its their his her also so yet and but".split())
# "That brings the total to ...": a demonstrative standing for the previous sentence, told by
# the verb after it ("That plan was ..." names its own subject and may stay).
_DEMONSTRATIVES = frozenset("that this these those".split())


def leans_on_context(text: str) -> bool:
    """Whether `text` opens on a word standing for something said before it (a pronoun, "Also",
    "That brings ..."): read alone, as a bullet or an angle line is, it leaves the reader asking
    who or what."""
    words = text.split(maxsplit=2)
    if not words:
        return False
    first = words[0].casefold().rstrip(",")
    if first in _ANAPHORS:
        return True
    if first in _DEMONSTRATIVES and len(words) > 1:
        second = words[1].casefold().strip(",")
        # A singular demonstrative's own verb mostly ends in -s ("That seems", "This means").
        singular_verb = (
            first in ("that", "this") and second.endswith("s") and not {"'", "’"} & set(second)
        )
        return second in VERB_WORDS or (singular_verb and len(second) > 3)
    return False
