"""Where a cut ends no clause, though a comma or a phrase's end is there: inside a list or a
place's name, after an opening phrase whose main clause never comes, or before the complement
a clause needs ("has been hosted | by 21 cities", "much larger | than ...").

`clauses.clean_cut` takes a comma for a clause boundary; an angle's line and a quote's window,
shown as the outlet's words, are held to these checks too ("to represent the glittery.", "In
the century since it was first held in Chamonix, France.", "If he did decide to go to war, or
even launch an attack…").
"""

from __future__ import annotations

import re

from bot.summarize.finite_verbs import (
    COMMA_RE,
    PUNCT,
    SUBORDINATORS,
    VERB_WORDS,
    has_verb,
    opens_time_phrase,
)
from bot.textutil import STOPWORDS


def lacks_main_clause(head: str) -> bool:
    """Whether `head` opens on a subordinate or scene-setting phrase ("In the century since it
    was first held in Tolberg", "If he did decide to go to war") and no later comma segment is
    a main clause (a verb, not opening on a conjunction): the commas were inside the phrase
    ("Tolberg, Vennmark"), a list or a coordination (", or even launch an attack"), and the
    main clause never comes. (`clean_cut` takes any comma after such an opener for its end.)"""
    segments = COMMA_RE.split(head)
    words = segments[0].split()
    first = words[0].casefold().strip(PUNCT) if words else ""
    if len(segments) < 2 or not (first in SUBORDINATORS or opens_time_phrase(segments[0])):
        return False
    for segment in segments[1:]:
        opener = segment.split()[0].casefold().strip(PUNCT) if segment.split() else ""
        if opener not in _COORDINATORS and opener not in SUBORDINATORS and has_verb([segment]):
            return False
    return True


_COORDINATORS = frozenset("and or but nor".split())
# After a comma, a word like these goes on with a clause, not with the noun phrase before it.
_CLAUSE_GOES_ON = frozenset("who whom whose which where when while whereas as but and or".split())


def list_comma(before: str, after: str, prior: str = "") -> bool:
    """Whether a comma between the words `before` and `after` sits inside a list or a noun
    phrase ("the glittery, gritty celebration", "the highly divided, deeply gloomy bloc") or a
    place's name ("Chamonix, France,"), rather than ending a clause. `after` keeps its trailing
    mark: a capitalised word closed by a comma or stop is a place's country or region. `prior`,
    the word before `before`: an adverb there ("the highly divided, deeply gloomy bloc") makes
    `before` an adjective still waiting for its noun."""
    last = before.strip("\"“”‘’',")
    bare = after.strip(",.;:\"“”‘’'")
    if not last or not bare:
        return False
    if last[:1].isupper() and bare[:1].isupper():
        return after.endswith((",", "."))
    low = bare.casefold()
    if not all(w.replace("-", "").isalpha() and w.islower() for w in (last, bare)):
        return False
    if last.casefold() in STOPWORDS or low in STOPWORDS or low in _CLAUSE_GOES_ON:
        return False
    if prior.endswith("ly") and prior.islower() and low.endswith("ly"):
        return True
    # A verb, a participle or an adverb after the comma opens a clause; another plain word goes
    # on with a list or the noun phrase the cut tore.
    return not (low in VERB_WORDS or low.endswith(("ing", "ed", "ly")))


# A list's item is this short: "Lyon", "the U.S.", "other nations".
_ITEM_MAX_WORDS = 3


def in_comma_list(head: str, tail: str) -> bool:
    """Whether a cut after `head` (ending on a comma) and before `tail` falls inside a list of
    short items: two items before it ("from Lyon, Oslo, the U.S.,"), or one before it and one
    after that goes on to the list's end ("from Lyon, | Oslo and other nations"). Neither side
    holds a verb: "On Monday, the mayor said ..." is a phrase before its clause."""
    items = COMMA_RE.split(head.rstrip(", "))
    nxt = COMMA_RE.split(tail, maxsplit=1)[0].rstrip(".;:")
    # "shook the alliance, imposed tariffs on friend and foe, | and undermined ...": a series of
    # predicates cut before its last.
    if len(items) >= 2 and nxt.split()[:1] in (["and"], ["or"]) and _predicate(items[-1]):
        return True
    if not _item(items[-1]):
        return False
    # "Lyon, Oslo, and Rome, | the board said": a list its "and" closed is whole, unless an
    # aside of its last item follows ("and Jon Berg, | a pilot").
    if items[-1].split()[:1] in (["and"], ["or"]) and not _item(nxt):
        return False
    if len(items) >= 3 and _item(items[-2]):
        return True
    words = nxt.split()
    if words and words[0].casefold() in _ITEM_NOT_OPENERS:
        return False
    # "tore into Lyon, Oslo, | and Rome for ...": the serial comma before the list's last item.
    if len(items) >= 2 and words[:1] in (["and"], ["or"]):
        return _closing_item(words[1:])
    # The next item runs on to "and"/"or" closing the list ("Japan and other nations"), perhaps
    # with the clause's complement after it ("urged towns, ports | and others to help"): only
    # the items up to the closing one must be verbless.
    closing = _list_end(words)
    if closing:
        return len(items) >= 2 and not _verb_in_item(" ".join(closing))
    return len(items) >= 2 and bool(words) and not has_verb([nxt]) and len(words) <= _ITEM_MAX_WORDS


# Words that end a list's closing item: the clause goes on with its complement or a relative.
_ITEM_ENDS = frozenset("to that who which whose where when for from of in on at by with as".split())


def _list_end(words: list[str]) -> list[str]:
    """`words`, the segment after a cut, up to the end of the item its "and"/"or" closes the
    list with ("Japan and other nations", "ports and others"), or [] when no coordinator comes
    within an item's length."""
    for k in range(1, min(len(words), _ITEM_MAX_WORDS + 1)):
        if words[k] in _COORDINATORS:
            end = k + 1
            while (
                end < len(words)
                and end - k <= _ITEM_MAX_WORDS
                and words[end].casefold().strip(PUNCT) not in _ITEM_ENDS
            ):
                end += 1
            return words[:end]
    return []


def _closing_item(words: list[str]) -> bool:
    """Whether `words`, after a serial comma's "and", open the list's last item ("Rome for
    talks", "family members") rather than a clause ("the council named a successor"). One word
    alone closing its segment ("dining, gyms, and shows,") is an item however it reads."""
    if len(words) == 1:
        low = words[0].casefold().strip(PUNCT)
        return low.isalpha() and not low.endswith(("ed", "ing"))
    item: list[str] = []
    for word in words:
        if word.casefold().strip(PUNCT) in _ITEM_ENDS or len(item) > _ITEM_MAX_WORDS:
            break
        item.append(word)
    return bool(item) and len(item) <= _ITEM_MAX_WORDS and not _verb_in_item(" ".join(item))


# Words after which an "-ed" word is an adjective ("the licensed growth", "two armed men").
_BEFORE_ADJECTIVE = frozenset(
    "the a an its his her their our this these those some many several all other two three".split()
)


def _verb_in_item(text: str) -> bool:
    """Whether a list's item holds a verb: a listed verb form, or an "-ed" word not after a
    determiner. Unlike `has_verb` a plural after a noun stays a plural ("family members"): in a
    list it is one far more often than a verb."""
    previous = ""
    for token in text.split():
        low = token.casefold().strip(PUNCT)
        if low in VERB_WORDS:
            return True
        if (
            token[:1].islower()
            and len(low) >= 5
            and low.endswith("ed")
            and previous not in _BEFORE_ADJECTIVE
        ):
            return True
        previous = low
    return False


def _predicate(segment: str) -> bool:
    """Whether `segment` opens on a verb with no subject before it ("imposed tariffs ...")."""
    first = segment.split()[0] if segment.split() else ""
    low = first.strip(PUNCT)
    return low.islower() and (low in VERB_WORDS or (len(low) > 4 and low.endswith("ed")))


def _item(segment: str) -> bool:
    """A short verbless segment; one opening on a preposition ("in 1950", "on June 3") is a
    phrase of its own, never a list's item. An age is one ("Dan Roe, 75, | and Ann Roe")."""
    words = segment.split()
    return (
        0 < len(words) <= _ITEM_MAX_WORDS
        and not _verb_in_item(segment)
        and words[0].casefold() not in _ITEM_NOT_OPENERS
    )


_ITEM_NOT_OPENERS = frozenset(
    "from in on at for to by with about into over under after before during since as like than".split()
)


# Be-forms: a participle after one is passive, and its "by ..." says who did it.
_BE_FORMS = frozenset("is are was were be been being".split())
# Verbs that ask for what comes next: "has urged guests | to leave", "asked the board | to ...".
_ASKING = frozenset(
    "urge urges urged ask asks asked warn warns warned order orders ordered call calls called"
    " tell tells told".split()
)
# How close an asking verb must be for the cut to take its complement.
_ASKING_REACH = 4


def needs_next(head_words: list[str], nxt: str) -> bool:
    """Whether a phrase cut between `head_words` and the word `nxt` takes the complement the
    clause needs: a comparative's "than" ("something much larger, likely | than ..."), a
    passive's agent ("the festival has been hosted | by 21 cities"), what an asking verb asks
    ("has urged guests | to leave"), or a list's last item ("Lyon, Oslo | and Rome")."""
    low = nxt.casefold().strip(PUNCT)
    recent = [w.casefold().strip(PUNCT) for w in head_words[-_ASKING_REACH:]]
    if low == "than":
        return True
    if low in ("and", "or"):
        # "from India, Pakistan, the U.S., China | and other nations": the list's last item.
        items = COMMA_RE.split(" ".join(head_words))
        return len(items) >= 2 and _item(items[-1])
    if low == "by" and any(w in _BE_FORMS for w in recent[-3:]):
        return True
    return low == "to" and any(w in _ASKING for w in recent)


# Words that open a subordinate clause, never a main one.
_SUBORDINATE = frozenset(
    "if although though because since when while until unless once whereas before after".split()
)


def lone_subordinate(head: str) -> bool:
    """Whether `head`, with no comma, is only a subordinate clause or a phrase holding one ("If
    the council did decide to shut the yard", "In the century since the fair was first held"):
    a cut there ends before the main clause it leads to. A subordinator after the first verb
    ("The mayor resigned after the vote") is no opener."""
    words = [w.casefold().strip(PUNCT) for w in head.split()]
    if not words or COMMA_RE.search(head) or words[0] not in SUBORDINATORS:
        return False
    for i, word in enumerate(words):
        if word in _SUBORDINATE:
            return True
        if has_verb([" ".join(head.split()[: i + 1])]):
            return False
    return False


def inside_list(mark: str, head: str, tail: str) -> bool:
    """Whether a cut at a comma falls inside a list of short items ("poured in from Lyon,
    Oslo, the U.S. | Rome and other cities"): the head ends on an item, often one whose own
    full stop ("U.S.") makes the cut read as a whole sentence that names only part of the list."""
    if not mark.startswith(","):
        return False
    # "X announced that ... for two years, | and would only be reinstated if ...": the head's
    # last segment is a whole clause, the tail a second one; only a short item before "and"
    # ("Lyon, Oslo, | and Rome") makes the tail a list's end.
    last_item = COMMA_RE.split(head)[-1]
    tail_coordinates = tail.split()[:1] in (["and"], ["or"])
    if (not tail_coordinates or len(last_item.split()) <= _ITEM_WORDS) and in_comma_list(
        head + ",", tail
    ):
        return True
    # "to decide between X, | a Republican, and Y": "between" still needs its second. Only a
    # cut right after the between-phrase's first side, with the tail going on to "and", is
    # one: "Talks between the two sides collapsed on Friday, | officials said, and ..." ends
    # a clause whose between-phrase is whole.
    if _BETWEEN_RE.search(head) and _between_open(head.rsplit("between", 1)[-1], tail):
        return True
    # Cut after the list's first item ("poured in from Lyon, | Oslo, Rome and other cities"):
    # the rest is only items, each short and verbless.
    rest = COMMA_RE.split(tail.rstrip(" .;:"))
    # "made Dan Roe, | 75, and Ann Roe, 68, ...": a name's age aside belongs to the name.
    if len(rest) >= 2 and _AGE_RE.fullmatch(rest[0].strip()) and head.split()[-1][:1].isupper():
        return True
    # "accused Mr. Roe, 74, | of lying ...", "Dan Roe, 75, | and Ann Roe": after the age aside
    # the sentence still goes on with the name's verb's complement or a second name.
    segments = COMMA_RE.split(head)
    if (
        len(segments) >= 2
        and _AGE_RE.fullmatch(segments[-1].strip())
        and tail.split()[:1] in (["of"], ["and"], ["or"])
    ):
        return True
    # "..., Vennmark and Lundia, | the board said on Monday": what follows the list is not in it;
    # nor the complement after its closing item ("towns, | ports and others to help").
    if len(rest) >= 2:
        closing = _list_end(rest[1].split()) if len(rest) == 2 else []
        if closing:
            rest[1] = " ".join(closing)
    while len(rest) > 1 and (not _rest_item(rest[-1]) or rest[-1].split()[:1] == ["according"]):
        rest.pop()
    # "on Saturday, | from Tolberg, Oslo and Rome": a phrase of its own opens the list.
    if rest[0].split()[:1] and rest[0].split()[0].casefold() in _PREPOSITIONS:
        return False
    # A date ("on Sunday, | October 3, 2021") or a place's country ("in Cannes, | France") is
    # no list: a list's items carry no digits, and its last opens on "and" or "or".
    if not all(
        0 < len(r.split()) <= _LIST_REST_WORDS and _rest_item(r) and not _DIGIT_RE.search(r)
        for r in rest
    ):
        return False
    if len(rest) >= 2:
        return rest[-1].split()[0] in ("and", "or") or any(
            w in ("and", "or") for w in rest[-1].split()[1:]
        )
    # One item left, closing the list ("Lyon, | Oslo and Rome"): names on both sides, or plain
    # nouns ("records on pilots, | crews and their families"), the word before the cut no verb.
    last, nxt = head.split()[-1:], rest[0].split()
    if not last or not any(w in ("and", "or") for w in nxt[1:]):
        return False
    if last[0][:1].isupper():
        return nxt[0][:1].isupper()
    word = last[0].strip(PUNCT)
    return (
        word.isalpha()
        and word.islower()
        and nxt[0].isalpha()
        and nxt[0].islower()
        and not _verb_in_item(word)
        and word.casefold() not in STOPWORDS
    )


def _rest_item(segment: str) -> bool:
    """Whether `segment`, after a cut inside a list, is one of its items: verbless, or its last
    one after a serial comma ("and shows")."""
    words = segment.split()
    if words[:1] in (["and"], ["or"]):
        return _closing_item(words[1:])
    return not _verb_in_item(segment)


def _between_open(side: str, tail: str) -> bool:
    """Whether `side`, the head's words after its last "between", is one short verbless side,
    perhaps with an aside ("Roy Moore, a Republican"), and `tail` gives the second within its
    next two comma segments ("a Republican, and Y", "and Y, a Democrat")."""
    parts = COMMA_RE.split(side)
    if (
        len(parts) > 2
        or not all(0 < len(p.split()) <= _BETWEEN_SIDE_WORDS for p in parts)
        or _AND_RE.search(side)
        or has_verb([side])
    ):
        return False
    return any(_AND_RE.search(part) for part in COMMA_RE.split(tail)[:2])


# The first side of "between X and Y" is this short: a name with its title or initials.
_BETWEEN_SIDE_WORDS = 4
# A list's remaining item and its closing "and ...": "Japan and other nations".
_LIST_REST_WORDS = 5
_DIGIT_RE = re.compile(r"\d")
_AGE_RE = re.compile(r"\d{1,3}")
# A list's item is this short ("Lyon", "the U.S.", "other nations"), as `_ITEM_MAX_WORDS`.
_ITEM_WORDS = 3
_BETWEEN_RE = re.compile(r"\bbetween\b")
_AND_RE = re.compile(r"\b(?:and|or)\b")
_PREPOSITIONS = frozenset(
    "from in on at for to by with about into over under after before during since of".split()
)
