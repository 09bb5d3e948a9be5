"""Text primitives shared by clustering, topic queries and summaries.

One definition of "a word" keeps the three in agreement: a topic that matches a story's words is
matching the same words the clusterer grouped on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.text_cache import text_cache

_WORD_RE = re.compile(r"[\w][\w'’.-]*[\w]|[\w]", re.UNICODE)
# Invisible characters that sit inside words: soft hyphen, zero-width space, non-joiner and
# joiner, word joiner, and U+FEFF (a byte-order mark mid-text). A word does not continue across
# them, so "Bundes\u00adtags\u00adwahl" was three words and a topic "bundestagswahl" missed it.
# A zero-width joiner between two pictographs is kept: it makes one emoji of them (a family, a
# flag), and no word is split there.
_PICTO = "\u2300-\u23ff\u2600-\u27bf\ufe0f\U0001f000-\U0001faff"
_INVISIBLE_RE = re.compile(
    f"[\u00ad\u200b\u200c\u2060\ufeff]|(?<![{_PICTO}])\u200d|\u200d(?![{_PICTO}])"
)
# A character class of all of them, for a search that finds none in most texts.
INVISIBLE_CLASS = "\u00ad\u200b-\u200d\u2060\ufeff"
_MAYBE_INVISIBLE_RE = re.compile(f"[{INVISIBLE_CLASS}]")
# Bidi embeddings, overrides and isolates: they reorder a line as shown ("Trojan source"),
# hiding what it says. The marks (U+200E, U+200F, U+061C) reorder nothing past a neighbour.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SPACE_RE = re.compile(r"\s+")
# Every quotation the project reads, once: each opening mark and the marks that close it.
# English, German/Czech („…“), Polish and Hungarian („…”), French and Russian («…», ‹…›), German
# and Danish (»…«), low single (‚…’), CJK corner brackets (「…」, 『…』), and the single marks
# that are apostrophes too (‘…’, '…'), which readers must tell from "don't" (summarize.quote_marks
# does). Topic queries read all but those two (topics.query); the LLM check reads them all.
QUOTATION_PAIRS: dict[str, str] = {
    '"': '"',
    "“": "”",
    "„": "“”",
    "«": "»",
    "»": "«",
    "‹": "›",
    "›": "‹",
    "‚": "’‘",
    "「": "」",
    "『": "』",
    "‘": "’",
    "'": "'",
}
# Single marks that also stand for letters ("don't", "the ’90s", "the pilots' union").
APOSTROPHE_MARKS = "'‘’"
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# The kana voicing marks are combining marks after NFKD, but they are not accents: they make
# "バ" (ba) of "ハ" (ha), so dropping them made バス (bus) match パスワード (password). They are
# kept, and put back on their kana so folded text reads as typed.
_KANA_VOICING = frozenset("\u3099\u309a")
_VOICED_RE = re.compile("[\u3040-\u30ff\u31f0-\u31ff][\u3099\u309a]")
# Letters whose "accent" is part of the letter, so NFKD leaves them whole: written without it
# on ASCII keyboards and in ASCII transliterations ("Lodz", "Kilicdaroglu", "Djokovic"). Both
# cases map to lowercase; the result is casefolded anyway.
_UNSTROKED: dict[str, str] = {
    **dict.fromkeys("Łł", "l"),
    **dict.fromkeys("Øø", "o"),
    "ı": "i",
    # "d", as Unicode's Latin-ASCII transliteration has it: Vietnamese "Đà Nẵng" is "Da Nang".
    # Serbian and Croatian names are also written with "dj" ("Djokovic"); one form had to win.
    **dict.fromkeys("ĐđÐð", "d"),
    **dict.fromkeys("Ħħ", "h"),
    **dict.fromkeys("Ŧŧ", "t"),
    **dict.fromkeys("Ææ", "ae"),
    **dict.fromkeys("Œœ", "oe"),
    **dict.fromkeys("Þþ", "th"),
}

STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all almost also although am among an and another any are
    aren't around as at be became because been before being below between both but by can cannot
    could couldn't did didn't do does doesn't doing don't down during each either else even ever
    every few for from further get gets got had hadn't has hasn't have haven't having he he'd he'll
    he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in
    into is isn't it it's its itself just least less let's like made make many may me might more
    most much must mustn't my myself neither no nor not now of off often on once one only or other
    others ought our ours ourselves out over own per perhaps quite rather really same say says said
    shall shan't she she'd she'll she's should shouldn't since so some still such than that that's
    the their theirs them themselves then there there's these they they'd they'll they're they've
    this those though through thus to too toward towards under until up upon us very via was wasn't
    we we'd we'll we're we've were weren't what what's whatever when when's where where's whether
    which while who who's whom whose why why's will with within without won't would wouldn't yet you
    you'd you'll you're you've your yours yourself yourselves new also according told tells
    """.split()
)


def strip_invisible(text: str) -> str:
    """`text` without the invisible characters that split words (see `_INVISIBLE_RE`)."""
    if _MAYBE_INVISIBLE_RE.search(text) is None:
        return text
    return _INVISIBLE_RE.sub("", text)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Zürich' and 'ZURICH' both fold to 'zurich', 'Łódź' to
    'lodz'. Marks that make another letter rather than accent one (the kana voicing marks) stay.

    Stored keys are made with it (`duplicates.title_key`, `stories.slug_key`): a change to what it
    returns needs a migration that recomputes them (see migration 7). Dropping the invisible
    characters (`strip_invisible`) needed none: slugs are made of words, which never held them,
    and titles are stored without them since; an older title that has one keeps its old key,
    which only its own three-day duplicate check reads.
    """
    if text.isascii():
        return text.lower()
    # Only short strings (words, titles) are kept: caching whole article bodies would pin them in
    # memory.
    return _fold_cached(text)


# The longest text `fold` keeps folded: a word or a title, not an article's body.
FOLD_KEPT_CHARS = 200


@text_cache(maxsize=4096, max_chars=FOLD_KEPT_CHARS)
def _fold_cached(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", strip_invisible(text))
    # Only the non-ASCII characters (a few curly quotes, the odd accent) are looked at one by one.
    if not decomposed.isascii():
        decomposed = _NON_ASCII_RE.sub(_drop_combining, decomposed)
        if "\u3099" in decomposed or "\u309a" in decomposed:
            decomposed = _VOICED_RE.sub(_compose, decomposed)
    return decomposed.casefold().replace("’", "'")


def opening_letters(options: Iterable[str]) -> str:
    """A look-ahead for the first letters of `options`, for a pattern that is their alternation.

    Before an alternation of many words it lets a position that opens none of them fail on one
    character class, instead of every word being tried there: the scans of whole texts for
    number words ran several times faster so. It only admits what the words may open with, so
    it matches what they match, case-insensitive matching included (the class is compiled with
    the pattern's flags)."""
    return "(?=[" + "".join(sorted({re.escape(option[0]) for option in options})) + "])"


def has_digit(text: str) -> bool:
    """Whether `text` holds an ASCII digit (a C-level scan, far cheaper than a regex search)."""
    return any(map(text.__contains__, "0123456789"))


def number_forms_as_digits(text: str) -> str:
    """`text` with each character that writes a number without being a decimal digit (a Roman
    numeral "Ⅶ", a circled "⑨", a fraction "½") as its value in ASCII digits, kept apart from a
    word or digit it is glued to. A superscript or subscript glued after a word or digit is left
    alone: a power or a note mark ("km²", "10⁹", "said¹"), no figure of its own.

    Such characters are no `\\d` and no word, so a figure written in them went past every check
    that reads numbers: "Ⅶ months" passed for the sources' "six months"."""
    if text.isascii():
        return text
    values = {
        char: value
        for char in set(text)
        if unicodedata.category(char) in ("No", "Nl")
        and (value := unicodedata.numeric(char, None)) is not None
    }
    if not values:
        return text

    def spelled(match: re.Match[str]) -> str:
        char, at = match.group(0), match.start()
        before, after = text[at - 1 : at], text[at + 1 : at + 2]
        glued = before.isalnum()
        if glued and unicodedata.decomposition(char).startswith(("<super>", "<sub>")):
            return char
        value = values[char]
        digits = str(int(value)) if value.is_integer() else f"{value:g}"
        return (" " if glued else "") + digits + (" " if after.isalnum() else "")

    return re.sub("[" + "".join(map(re.escape, values)) + "]", spelled, text)


def words(text: str) -> list[str]:
    """Folded word tokens, keeping inner apostrophes, dots and hyphens ('u.s.', 'covid-19')."""
    return _WORD_RE.findall(fold(text))


def content_words(text: str) -> list[str]:
    """Folded words minus stopwords and one-letter tokens."""
    return [w for w in words(text) if len(w) > 1 and w not in STOPWORDS]


def _drop_combining(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _KANA_VOICING:
        return ch
    if unicodedata.combining(ch):
        return ""
    return _UNSTROKED.get(ch, ch)


def _compose(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", match.group(0))


def squash_spaces(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 feed', '2 feeds' (`nouns` for irregular plurals)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


# A lone UTF-16 surrogate: valid in JSON ("\ud800") and so in a chat payload, but a str no
# UTF-8 or UTF-16 codec will write (SQLite, an HTTP body, Discord's length count).
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def repair_surrogates(text: str) -> str:
    """`text` with a split surrogate pair joined and a lone surrogate as U+FFFD (as
    `bot.ingest.entries` repairs feed text)."""
    if not _SURROGATE_RE.search(text):
        return text
    # Via UTF-16 so a pair that is still split in two is joined, not replaced.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
