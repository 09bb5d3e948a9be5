"""The simple inflections a topic query word also matches: ``semiconductor`` matches
"semiconductors", ``company`` "companies", ``tax`` "taxes", and a plural query word its singular
(``chips`` matches "chip"; ``movies`` "movie" and ``cities`` "city"). Possessives need nothing
here: "Japan's" is matched by its parts ("japan", "s"), like every word with inner punctuation.

Only the regular English plural, and only where it cannot reach another common word: words of
Latin letters, three or more of them (``us`` is not "uses"); a singular is taken from a plural
query word only when three or more letters are left and the word does not end like a singular
noun (-ss, -us, -is: ``status``, ``analysis``); and the few look-alikes of another word are left
out (``new`` does not match "news", nor ``news`` "new"). Irregular plurals ("mice") and other
languages' plurals are not inflected: write them out (``mouse OR mice``).
"""

from __future__ import annotations

from functools import lru_cache

_SIBILANT_ENDS = ("s", "x", "z", "ch", "sh")
_VOWELS = frozenset("aeiou")
# Words whose regular plural or singular is another word: matched as written. "series" and
# "species" are their own singular; "serie" would be Italy's "Serie A".
_UNINFLECTED = frozenset({"new", "news", "series", "species"})
_MIN_LETTERS = 3


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
    return {word[:-1]} if len(word) - 1 >= _MIN_LETTERS else set()  # "chips", "lies"


@lru_cache(maxsize=4096)
def inflections(word: str) -> frozenset[str]:
    """`word` (folded, as `storydoc.parts` gives it) and the forms it also matches."""
    if len(word) < _MIN_LETTERS or not (word.isascii() and word.isalpha()):
        return frozenset((word,))
    if word in _UNINFLECTED:
        return frozenset((word,))
    forms = {word}
    bases = {word}
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        bases = _singulars(word) or bases  # "chips": its singular's forms, not "chipses"
    for base in bases:
        forms |= {base} | _plurals(base)
    return frozenset(forms)
