"""Where a cut ends no clause, though a comma is there: inside a list or a place's name, or
after an opening phrase whose main clause never comes.

`clauses.clean_cut` takes a comma for a clause boundary; an angle's line and a quote's window,
shown as the outlet's words, are held to these checks too ("to represent the glittery.", "In
the century since it was first held in Chamonix, France.", "If he did decide to go to war, or
even launch an attack…").
"""

from __future__ import annotations

from bot.summarize.clauses import (
    COMMA_RE,
    SUBORDINATORS,
    VERB_WORDS,
    has_verb,
    opens_time_phrase,
)
from bot.textutil import STOPWORDS

_PUNCT = ".,:;!?\"'“”‘’"


def lacks_main_clause(head: str) -> bool:
    """Whether `head` opens on a subordinate or scene-setting phrase ("In the century since it
    was first held in Tolberg", "If he did decide to go to war") and no later comma segment is
    a main clause (a verb, not opening on a conjunction): the commas were inside the phrase
    ("Tolberg, Vennmark"), a list or a coordination (", or even launch an attack"), and the
    main clause never comes. (`clean_cut` takes any comma after such an opener for its end.)"""
    segments = COMMA_RE.split(head)
    words = segments[0].split()
    first = words[0].casefold().strip(_PUNCT) if words else ""
    if len(segments) < 2 or not (first in SUBORDINATORS or opens_time_phrase(segments[0])):
        return False
    for segment in segments[1:]:
        opener = segment.split()[0].casefold().strip(_PUNCT) if segment.split() else ""
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
