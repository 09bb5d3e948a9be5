"""The simple inflections a topic query word also matches: ``semiconductor`` matches
"semiconductors", ``company`` "companies", ``tax`` "taxes", and a plural query word its singular
(``chips`` matches "chip"; ``movies`` "movie" and ``cities`` "city"). Possessives need nothing
here: "Japan's" is matched by its parts ("japan", "s"), like every word with inner punctuation.

Only the regular English plural, and only where it cannot reach another common word: words of
Latin letters, three or more of them (``us`` is not "uses"); a singular is taken from a plural
query word only when three or more letters are left and the word does not end like a singular
noun (-ss, -us, -is: ``status``, ``analysis``), nor from a short -es word (``ares``, ``does``;
``lies`` -> "lie" is an -ies plural and still is); a short -s word with no singular is not
pluralised either unless it ends in -as (``gas`` "gases", but ``dos`` is not "doses"); no form
is derived that is a stopword or a month's or weekday's abbreviation (``doe`` is not "does",
``mars`` not "Mar"); and the look-alikes of another word are left out (``new`` does not match
"news", nor ``good`` "goods", ``aid`` "AIDS", ``arm`` "arms", ``economic`` "economics", nor the
other way round). Irregular plurals ("mice") and other languages' plurals are not inflected:
write them out (``mouse OR mice``).
"""

from __future__ import annotations

from bot.text_cache import WORD_CHARS, text_cache
from bot.textutil import STOPWORDS

_SIBILANT_ENDS = ("s", "x", "z", "ch", "sh")
_VOWELS = frozenset("aeiou")
# Words whose regular plural or singular is another word: matched as written. "series" and
# "species" are their own singular; "serie" would be Italy's "Serie A".
_UNINFLECTED = frozenset(
    {
        *("new", "news", "series", "species", "aid", "aids", "arm", "arms"),
        *("good", "goods", "economic", "economics"),
    }
)
# Abbreviations frequent in datelines and listings, each a "plural" or "singular" away from a
# word of its own (Mar/Mars, Sat/sats): never derived, and not inflected themselves.
_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun".split()
)
# A derived form is only ever another word's lookalike when it is one of these.
_NEVER_DERIVED = STOPWORDS | _ABBREVIATIONS
_MIN_LETTERS = 3
# "ares", "does", "goes", "uses": a short word ending in -es is as likely a word of its own or
# a verb as a plural, and its "singular" a stopword or another word.
_MAX_SHORT_ES = 4


def _plurals(word: str) -> set[str]:
    if word.endswith("y") and word[-2] not in _VOWELS:
        return {word[:-1] + "ies"}
    if word.endswith(_SIBILANT_ENDS):
        return {word + "es"}
    if word.endswith("o"):
        return {word + "s", word + "es"}  # "photos", "potatoes"
    return {word + "s"}


def _singulars(word: str) -> set[str]:
    if word.endswith("ies") and len(word) - 3 >= _MIN_LETTERS - 1:
        # Either singular: "companies" -> "company", "movies" -> "movie"; the other one is
        # rarely a word ("companie", "movy"), so it matches next to nothing.
        return {word[:-3] + "y", word[:-1]}
    if word.endswith("es") and word[:-2].endswith((*_SIBILANT_ENDS, "o")) and len(word) > 4:
        return {word[:-2], word[:-1]}  # "taxes" -> "tax"; "buses" -> "bus" (and "buse")
    if word.endswith("es") and not word.endswith("ies") and len(word) <= _MAX_SHORT_ES:
        return set()
    return {word[:-1]} if len(word) - 1 >= _MIN_LETTERS else set()  # "chips", "lies"


@text_cache(maxsize=4096, max_chars=WORD_CHARS)
def inflections(word: str) -> frozenset[str]:
    """`word` (folded, as `storydoc.parts` gives it) and the forms it also matches."""
    if len(word) < _MIN_LETTERS or not (word.isascii() and word.isalpha()):
        return frozenset((word,))
    if word in _UNINFLECTED or word in _ABBREVIATIONS:
        return frozenset((word,))
    forms = {word}
    bases = {word}
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        singulars = _singulars(word)
        if not singulars and not word.endswith("as"):
            # A plural too short to singularise ("dos", "ios") is matched as written: its
            # "plural" would be another word ("doses").
            return frozenset((word,))
        bases = singulars or bases  # "chips": its singular's forms, not "chipses"
    for base in bases:
        forms |= {base} | _plurals(base)
    return frozenset(form for form in forms if form == word or form not in _NEVER_DERIVED)
