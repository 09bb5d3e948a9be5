"""A headline's words as a slug takes them: folded to ASCII, names and figures told apart.

`slugs.py` ranks the words a story's headlines agree on; this reads them out of a headline: a
token of a CJK title or a run of names joined by hyphens cut to a word's length, ages, figures
with their units and ranges of numbers left out (none names the event), a prefix before a name
kept with its hyphen ("ex-minneapolis"), and which words the headline writes as names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from bot.cluster.analysis import new_stats
from bot.cluster.features import TermStats, content_terms
from bot.cluster.settings import ClusterSettings
from bot.cluster.slug_links import unlink
from bot.textutil import STOPWORDS, fold

_MID_RARITY = 3.0  # about the IDF of a common news noun ("china", "trade")
_ASCII_RE = re.compile(r"[^a-z0-9]+")
_NOT_WORD_RE = re.compile(r"[\W_]+")
# The same token shape as `textutil.words`, applied before folding.
_TOKEN_RE = re.compile(r"[\w][\w'’.-]*[\w]|[\w]")
# A CJK headline has no spaces, so one "word" can be the whole title; a feed's title can be one
# unbroken run of Latin letters, or of names and a number joined by hyphens, as long. A slug
# goes into every link, `/story` and Discord's button ids (100 characters).
MAX_WORD_CHARS = 20
# Headline filler that names no event: never worth a slug position.
_FILLER = frozenset(
    """
    breaking live update updates latest news report reports reported video watch exclusive opinion
    analysis week weeks day days today yesterday tomorrow year years time first last amid over
    after before could would will may might plan plans set sets get gets make makes take takes
    call calls back big top key major near way amp http https www low lows let vs
    """.split()
)
# A prefix written with a hyphen stays on its word ("anti-vax" -> "antivax", "re-election" ->
# "reelection"), as does a lone letter ("x-ray", "e-mail"): split off, "re" or "anti" names nothing.
# Other hyphens part words: "Russia-Ukraine" is two names, "U.S.-brokered" a name and a word.
_BOUND_PREFIXES = frozenset(
    "anti co counter cross ex mid multi non post pre pro re self semi sub super un vice".split()
)
# Contractions name nothing ("you'd", "can't"); a possessive "'s" is dropped from its name.
_CONTRACTION_RE = re.compile(r"(?:n't|'(?:d|ll|re|ve|m))$")
# An age ("18-year-old", "11-year-olds", "five-month-old", the "olds" of "18-20 year olds") is
# no name: as one word it read "18yearold", and the plural "11yearolds" still did.
_AGE_RE = re.compile(r"(?:[a-z0-9]+-)?(?:year|month|week|day)s?-olds?|olds")
# A figure ("3.5T", "7-point", "10-day") names no event, and glued into one slug word it read
# as a fragment no headline writes ("35t", "7point"), or as a year it is not ("20.24").
_FIGURE_RE = re.compile(r"\d+(?:\.\d+)+[a-z]*|\d+(?:\.\d+)*(?:-[a-z]+)+")
# A range or a score ("18-20", "2019-20") is its numbers: glued, "1820" read as a year.
_NUMBERS_RE = re.compile(r"\d+(?:-\d+)+")
# A name with a number ("Kestrel-2", "COVID-19", "F-35") keeps its hyphen: "kestrel2" misreads.
_NAME_NUMBER_RE = re.compile(r"[a-z]+(?:-[a-z]+)*-\d+[a-z]?")
# Joins the parts of hyphenated names within one piece (`_pieces`): no headline token holds it.
_JOINED = "\x1f"


@lru_cache(maxsize=1)
def _background() -> TermStats:
    return new_stats(ClusterSettings())


def rarity(word: str) -> float:
    """How distinctive a slug word is: its IDF in the clusterer's shipped news background.

    One headline gives every word one vote, so without this the first two content words won
    ("U.S. and China agree on trade truce" -> "china-agree"); the background knows "agree" is
    everywhere and "truce" is not. Static, so a slug never depends on what the bot read before.
    """
    terms = content_terms(word)
    if not terms:  # a name that spells a stopword once folded: "U.S." -> "us"
        return _MID_RARITY
    return max(_background().idfs(terms).values(), default=_MID_RARITY) or _MID_RARITY


def _slug_word(word: str) -> str:
    """The slug form of one word: ascii when the word folds to ascii, else its own letters.

    Latin words keep the ascii form they always had ("Zürich" -> "zurich"), so existing slugs
    stay the same. Other scripts keep their letters, lowercased and NFKC-normalised ("Банк" ->
    "банк", "東京" -> "東京"): dropping them left every such story named "story", and chat
    commands accept Unicode.

    At most `MAX_WORD_CHARS` characters (`_capped`): no word a headline really writes is longer
    but for a rare "counterrevolutionaries", cut as it always was in other scripts.
    """
    return _capped(_word_form(word))


def _capped(word: str) -> str:
    """`word` within `MAX_WORD_CHARS`: hyphenated, the whole parts that fit ("russia-ukraine",
    not "russia-ukraine-pola"); else cut."""
    if len(word) <= MAX_WORD_CHARS:
        return word
    kept = word[:MAX_WORD_CHARS]
    if word[MAX_WORD_CHARS] != "-" and "-" in kept:
        kept = kept[: kept.rindex("-")]
    return kept.rstrip("-")


def _word_form(word: str) -> str:
    if _JOINED in word:  # names joined by a hyphen keep it: "russia-ukraine", "coca-cola"
        return "-".join(filter(None, (_slug_word(part) for part in word.split(_JOINED))))
    folded = fold(word)
    if folded.isascii():
        if _NAME_NUMBER_RE.fullmatch(folded):
            return folded
        return _ASCII_RE.sub("", folded)
    # lower(), not casefold(): casefold turns the Greek final "ς" into "σ".
    return _NOT_WORD_RE.sub("", unicodedata.normalize("NFKC", word).lower())


def _tokens(text: str) -> list[str]:
    # Tokens of the NFKC text, not of `words()`: non-Latin words keep their own letters, unfolded
    # (see `_slug_word`); Latin tokens are folded one by one there.
    return _TOKEN_RE.findall(unlink(unicodedata.normalize("NFKC", text)))


def _title_case(tokens: Sequence[str]) -> bool:
    """Whether a headline capitalises nearly every word, so that only capitals mark a name."""
    cased = sum(t[:1].isalpha() and t[:1] != t[:1].lower() for t in tokens)
    return cased >= 0.6 * max(1, sum(t[:1].isalpha() for t in tokens))


def _acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _parts_named(token: str, title_case: bool, opens: bool) -> bool:
    """Whether a hyphenated token joins names ("Russia-Ukraine", "U.S.-brokered", "Kyiv-based"),
    not a compound word ("ceasefire", "white-collar"): a part capitalised where nothing else
    would capitalise it (not the headline's first letter, nor in Title Case, where "White-Collar"
    is too), or an acronym, and the joined form no word the news knows. Glued, "russiaukraine"
    is also a word no background knows, so it outvoted the names it hid."""
    parts = [p for p in token.split("-") if p]
    if len({fold(p) for p in parts}) < 2:  # "Fei-Fei" is one name
        return False
    later = parts[1:] if opens else parts
    capital = not title_case and any(p[:1].isupper() for p in later)
    named = capital or any(_acronym(p) for p in parts)
    return named and rarity(_slug_word(token)) >= _background().max_idf


def _pieces(token: str, title_case: bool = False, opens: bool = False) -> list[str]:
    """The words one headline token writes, as written: none for a contraction, age or figure,
    a range's numbers, a name without its possessive, a token split at hyphens."""
    folded = fold(token)
    if _CONTRACTION_RE.search(folded):
        return []
    if token[-2:-1] in ("'", "’") and token[-1:] in ("s", "S"):
        token, folded = token[:-2], fold(token[:-2])
    if _AGE_RE.fullmatch(folded) or _FIGURE_RE.fullmatch(folded):
        return []
    if _NUMBERS_RE.fullmatch(folded):
        return folded.split("-")
    if (
        "-" not in token
        or _NAME_NUMBER_RE.fullmatch(folded)
        or not _parts_named(token, title_case, opens)
    ):
        return [token]
    out: list[str] = []
    glue = ""
    for part in token.split("-"):
        if not part:
            continue
        lower = fold(part)
        if lower in _BOUND_PREFIXES or (len(lower) == 1 and lower.isalpha()):
            glue += part
            continue
        # A prefix before a name keeps its hyphen ("ex-tamsfield"): glued, "extamsfield" read
        # as a word no headline writes. Before a word ("anti-vax") it is glued as ever.
        prefixed = fold(glue) in _BOUND_PREFIXES and part[:1].isupper()
        out.append(f"{glue}{_JOINED}{part}" if prefixed else glue + part)
        glue = ""
    if glue:
        out.append(glue)
    # Names on both sides ("Russia-Ukraine", "Coca-Cola") are one word, hyphen kept: split, a
    # brand's halves took both of a slug's words and the event none; glued, "russiaukraine" read
    # as no word at all. A name and a plain word ("U.S.-brokered", "Kyiv-based") are two.
    if len(out) > 1 and all(p[:1].isupper() for p in out):
        return [_JOINED.join(out)]
    return out


def slug_words(text: str) -> list[str]:
    """Lowercase words fit for a slug, in order of appearance."""
    out = []
    tokens = _tokens(text)
    title_case = _title_case(tokens)
    pieces = (p for i, t in enumerate(tokens) for p in _pieces(t, title_case, opens=i == 0))
    for piece in pieces:
        w = _slug_word(piece)
        # The stopword test on the word as written: "U.S." is a name, only "us" is a stopword.
        stop = w in STOPWORDS and fold(piece) in STOPWORDS
        if len(w) < 2 or stop or w in _FILLER or (w.isdigit() and len(w) != 4):
            continue
        out.append(w)
    return out


def headline_names(title: str) -> set[str]:
    """Slug words the headline writes as names: capitalised after its first word (in a sentence
    case headline) or in capitals ("AI", "U.S."). A rare verb is still a verb; names say which
    event this is."""
    tokens = _tokens(title)
    title_case = _title_case(tokens)
    out = set()
    for pos, token in enumerate(tokens):
        for piece in _pieces(token, title_case, opens=pos == 0):
            capital = piece[:1].isalpha() and piece[:1] != piece[:1].lower()
            if _acronym(piece) or (capital and pos > 0 and not title_case):
                out.add(_slug_word(piece))
    return out
