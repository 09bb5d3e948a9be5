"""Sentence splitting and the stemmed word forms every scorer in the summariser compares on.

Feeds give us leads and excerpts, often with abbreviations ("Sen. Rand Paul, R-Ky.", "U.S.",
"John F. Kerry") that a naive split on ". " would cut in the middle of a name, producing bullets
that start with "Kerry said". The splitter is conservative: when unsure it does not split.
Feed boilerplate ("Continue reading", "The post ... appeared first on ...", a trailing "[…]") is
dropped here too, by the definition ingest strips it with: articles stored before, and text from
elsewhere, may still carry it.

A feed body's lines come from its markup's blocks and from its writer's wrapping alike, so a
line break ends a sentence only where the line before closes with a stop (not an abbreviation's),
the next opens with a capital or a quotation mark, or the next opens with a list's, a heading's
or a quotation's marker ("- ", "# ", "(a) "): a line planted to steer a model is then a sentence
of its own, and the honest one before it is not dropped with it. Prose wrapped mid-sentence runs
on, except before a capital (a heading without a stop reads the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.boilerplate import is_boilerplate, page_furniture_end, strip_truncation
from bot.models import Article
from bot.summarize.sentence_checks import caption, steering
from bot.summarize.speech_tags import tags_quotation
from bot.summarize.story_memo import story_memo
from bot.text_cache import SENTENCE_CHARS, WORD_CHARS, stemmer, text_cache
from bot.textutil import STOPWORDS, content_words, squash_spaces, words

_STEMMER = stemmer("english")

# Words that end with a dot but do not end a sentence when followed by a capitalised word.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gov sen rep gen lt col maj capt sgt cmdr adm st jr sr rev hon pres
    sens reps govs gens drs attys atty
    inc corp co ltd llc bros dept univ assn est fig v vs etc approx no nos vol op
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb
    nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
) | frozenset(
    # German, French, Spanish, Italian and Dutch: titles, "approximately", "respectively",
    # numbers and magnitudes ("ca. 5 Mio. Euro"). None is an English word that ends a sentence
    # ("art.", "me.", "on." are left out for that reason), and "usw."/"ecc."/"enz." are not
    # listed: they often end one, and a lowercase word after them already holds the sentence.
    """
    ca bzw nr mio mrd tsd evtl ggf inkl zzgl bspw vgl sog str hr fr frl dipl abs bd jh jhd
    mme mlle cie env ste av
    sr sra srta dra ud uds vd vds avda pág núm aprox cía dña
    sig sigg dott ing avv pag mld mln
    dhr mevr mw blz bijv zgn drs ir
    """.split()
)
# "Saint", "Fort" and "Mount" before a place's name ("St. Louis", "Ft. Lauderdale", "Mt. Vernon"):
# part of the name. Capitalised only, so "a drop of 6 ft. The ..." still ends a sentence.
PLACE_ABBREVIATIONS = frozenset({"St", "Ft", "Mt"})
# A day of the month before a month's name, as German, Dutch and the Nordic languages write a
# date ("bis zum 3. März"): an ordinal, not the end of a sentence ending in "3".
_ORDINAL_MONTHS = frozenset(
    """
    januar jänner februar märz april mai juni juli august september oktober november dezember
    januari februari maart mei augustus december
    marts maj juni oktober
    """.split()
)
# "No. 10", "Nos. 3 and 4": a number's abbreviation only before the number. "He said no. Then"
# ends a sentence on the word.
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos"})
_ORDINAL_RE = re.compile(r"(?:[1-9]|[12]\d|3[01])")
_MONTH_STEMS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec mär mai okt dez".split())

# A candidate boundary: terminal punctuation, optional closing quote/bracket, then whitespace;
# `_starts_sentence` decides whether what follows can open a sentence. CJK full stops need no
# space after them. A "“" after the full stop closes a German „…“, or an English quotation
# whose closing mark was typed the wrong way round ("the end.“ Then").
_BOUNDARY_RE = re.compile(r"[.!?…][\"'”“’»)\]]*\s+|[。！？][」』”’）)]*\s*")
_CJK_STOPS = frozenset("。！？")
_OPENERS = "\"'“‘„«(（[「『"
_WORD_START_RE = re.compile(r"[^\W\d_]+")
_LAST_TOKEN_RE = re.compile(r"(\S+)$")
_PARAGRAPH_RE = re.compile(r"\n\s*\n|\n(?=\s*[A-Z\"“])")
# A line break ends a sentence whatever case the next line opens in after a line's closing stop
# (unless it ends an abbreviation: "U.S.\nofficials" is one sentence), or before a line opened by
# a list's, a heading's or a quotation's marker ("- ", "* ", "> ", "# ", "1. ", "(a) ", "b) ").
# Feed bodies wrap prose mid-sentence ("the council\napproved"), which no stop or marker ends;
# a line run on into the sentence before it was dropped with it when it steered a model.
_LINE_MARK_RE = re.compile(r"(?:[-*•·»«>›‹|~+#]+|\(?\d{1,3}[.)]|\(?(?:[a-zA-Z]|[ivx]{2,4})\))[ \t]")
_STOPS = (".", "!", "?", "…")
_CLOSERS = "\"'”“’»)]"


def stem(word: str) -> str:
    return _cached_stem(word)


@text_cache(maxsize=16384, max_chars=WORD_CHARS)
def _cached_stem(word: str) -> str:
    return _STEMMER.stemWord(word.strip("'’.-"))


def content_stems(text: str) -> list[str]:
    """Stemmed content words: the unit of overlap for consensus, redundancy and grounding."""
    return list(_cached_content_stems(text))


def token_stems(token: str) -> tuple[str, ...]:
    """`content_stems` of one word token, from a cache of its own: the word model and the angle
    lines ask it of every word of every sentence, which in the sentences' cache pushed out the
    sentences the other checks ask again. Text without spaces (Chinese, Japanese) is one token a
    sentence, up to 60,000 characters: past `WORD_CHARS` it is stemmed afresh (`text_cache`)."""
    return _cached_token_stems(token)


@text_cache(maxsize=8192, max_chars=WORD_CHARS)
def _cached_token_stems(token: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in content_words(token))


# The same sentences are stemmed by the scorer, the grounding check and the angle finder.
@text_cache(maxsize=2048, max_chars=SENTENCE_CHARS)
def _cached_content_stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in content_words(text))


def _is_abbreviation(chunk: str, following: str = "") -> bool:
    """Whether the token before a candidate boundary is an abbreviation rather than a sentence end.
    `following`: the text after the boundary, which tells "No. 10" from "said no. Fine"."""
    match = _LAST_TOKEN_RE.search(chunk)
    if not match:
        return False
    # "South Korea/U.S. Combined Forces": the slash joins two names, the last an abbreviation.
    token = match.group(1).rstrip(".").lstrip("\"'“‘(").rsplit("/", 1)[-1]
    if not token:
        return False
    low = token.casefold()
    if low in _NUMBER_ABBREVIATIONS:
        return following[:1].isdigit()
    if low in ABBREVIATIONS or token in PLACE_ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "F.", "U.S.", "D.C.", "R-Ky."; a lone lowercase letter is
    # one half of an abbreviation in any language ("z. B.", "d. h.", "a. m."), not a sentence.
    if len(token) == 1 and token.isalpha() and (token.isupper() or token.islower()):
        return True
    if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]?", token):
        return True
    return bool(re.fullmatch(r"[RDI]-[A-Z][a-z]{1,4}", token))


def _is_day_of_month(text: str, start: int, at: int) -> bool:
    """Whether the token from `start` ("3.") is a day of the month written before a month's
    name (`at`: "3. März"). Not after a month's name: "on March 3. April saw more" is English."""
    if not _ORDINAL_RE.fullmatch(text, start, text.rfind(".", start, at)):
        return False
    word = _WORD_START_RE.match(text, at)
    if not word or word.group(0).casefold() not in _ORDINAL_MONTHS:
        return False
    before = _LAST_TOKEN_RE.search(text, max(0, start - 16), max(0, start - 1))
    return not (before and before.group(1).rstrip(".,").casefold()[:3] in _MONTH_STEMS)


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the text from `at` can open a sentence, in any script.

    A capital (any cased script), a digit or a letter of a caseless script (CJK, Arabic, Hebrew)
    can; a lowercase word only when it is a brand like "iPhone" or "eBay", since otherwise a
    lowercase start is far likelier an abbreviation ("approx. two") than a new sentence.
    """
    if at < len(text) and text[at] in _OPENERS:
        at += 1
    if at >= len(text):
        return False
    first = text[at]
    if first.isdigit() or first.isupper():
        return True
    if not first.isalpha():
        return False
    if not first.islower():
        return True  # caseless script
    word = _WORD_START_RE.match(text, at)
    return word is not None and any(c.isupper() for c in word.group(0)[1:])


# A "Story highlights" box's label glued to its first item: the item is the outlet's sentence.
_HIGHLIGHTS_RE = re.compile(r"^story highlights:?\s+(?=(?-i:[A-Z])|[\"“‘'])", re.IGNORECASE)


def _clean(chunk: str) -> str:
    """A sentence without a trailing truncation marker or a "Story highlights" box's label, or ""
    when it is feed boilerplate."""
    chunk = _HIGHLIGHTS_RE.sub("", strip_truncation(chunk.strip()), count=1)
    return "" if is_boilerplate(chunk) else chunk


def _ends_line(line: str, following: str) -> bool:
    """Whether `line` ends its sentence before `following`, the next line of its paragraph: the
    line closes with a stop that ends no abbreviation, or the next opens with a list's marker."""
    following = following.lstrip(" \t")
    if _LINE_MARK_RE.match(following):
        return True
    # Stripped, not matched back from the line's end: a regex scanned a run of blanks or of
    # closing marks again from each of its characters.
    end = line.rstrip(" \t").rstrip(_CLOSERS)
    if not end.endswith(_STOPS):
        return False
    # Only the last token is read (`split_sentences` says why).
    return not (end.endswith(".") and _is_abbreviation(end[-64:], following[:1]))


def _lines_apart(text: str) -> Iterator[str]:
    """`text` in the stretches no sentence runs across: paragraphs, and a paragraph's lines
    where one ends its sentence (`_ends_line`); a line wrapped mid-sentence runs on."""
    for paragraph in _PARAGRAPH_RE.split(text):
        if "\n" not in paragraph:
            yield paragraph
            continue
        lines = paragraph.split("\n")
        start = 0
        for at in range(1, len(lines)):
            if _ends_line(lines[at - 1], lines[at]):
                yield "\n".join(lines[start:at])
                start = at
        yield "\n".join(lines[start:])


# How far a story's split of a text reads ahead: the deepest reader's (the support check's) 40.
SPLIT_AHEAD = 40


def split_sentences(text: str, limit: int | None = None) -> list[str]:
    """Split plain text into sentences; paragraph breaks always end a sentence.

    With `limit`, only the first `limit` sentences (the same as slicing the full split), found
    without reading on: every scorer reads only a story's first few dozen sentences.
    """
    if limit is not None and limit <= 0:
        return []
    # The word model, the TL;DR's sentences, the support check and each outlet's angle split the
    # same article again, each to its own limit: within a story, each text's split is kept as
    # (the limit it was split to, None for all; the sentences found).
    memo = story_memo("split_sentences")
    if memo is None:
        return _split(text, limit)
    known = memo.get(text)
    if known is not None:
        split_to, found = known
        # A split that stopped short of its limit read the whole text: it serves any limit.
        if split_to is None or len(found) < split_to or (limit is not None and limit <= split_to):
            return list(found if limit is None else found[:limit])
    # Read ahead, so the first reader's split serves every later one.
    split_to = None if limit is None else max(limit, SPLIT_AHEAD)
    found = tuple(_split(text, split_to))
    memo[text] = (split_to, found)
    return list(found if limit is None else found[:limit])


def _split(text: str, limit: int | None) -> list[str]:
    out: list[str] = []
    for paragraph in _lines_apart(text):
        paragraph = squash_spaces(paragraph)
        if not paragraph:
            continue
        start = 0
        for match in _BOUNDARY_RE.finditer(paragraph):
            if match.end() >= len(paragraph):
                break
            if paragraph[match.start()] not in _CJK_STOPS and not _starts_sentence(
                paragraph, match.end()
            ):
                continue
            # '“Is it legal?” Jones asked.': the stop is the quotation's, its tag goes on.
            if tags_quotation(paragraph, match.start(), match.end()):
                continue
            # Only the terminal dot can be an abbreviation; "!" and "?" end a sentence.
            # Only the last token is read: passing all since `start` would make a run of
            # abbreviations ("Sen. Sen. Sen. ...") quadratic. Spaces are single after squashing.
            token_start = max(start, paragraph.rfind(" ", start, match.start()) + 1)
            head = paragraph[token_start : match.start() + 1]
            if paragraph[match.start()] == "." and (
                _is_abbreviation(head, paragraph[match.end() : match.end() + 1])
                or _is_day_of_month(paragraph, token_start, match.end())
            ):
                continue
            chunk = _clean(paragraph[start : match.end()])
            if chunk:
                out.append(chunk)
                if limit is not None and len(out) >= limit:
                    return out
            start = match.end()
        tail = _clean(paragraph[start:])
        if tail:
            out.append(tail)
            if limit is not None and len(out) >= limit:
                return out
    return out


# A full stop after a lowercase word, then a lowercase word: "... what she really thinks. the
# truth." The splitter holds these together (a lowercase start is far likelier to follow an
# abbreviation), but past a plain word the stop ended a sentence and a fragment runs on.
_RUN_ON_RE = re.compile(r"(?<![\w.@/])([^\W\d_]{2,})\.\s+(?=[^\W\d_])")
# Units written lowercase with a stop, mid-sentence: "after she lost 50 lbs. one colleague".
_UNITS = frozenset("lbs oz ft yds mins hrs secs pts sq cu approx".split())


def before_run_on(text: str) -> str | None:
    """`text` up to its first full stop that a lowercase word runs on past (a fragment or a
    second sentence the splitter could not tell from an abbreviation's text: "... what he
    thinks. the truth."), or None when it has none."""
    for match in _RUN_ON_RE.finditer(text):
        word = match.group(1)
        following = text[match.end() : match.end() + 1]
        if (
            word.islower()
            and following.islower()
            and word not in _UNITS
            and not _is_abbreviation(word + ".", following)
        ):
            return text[: match.end(1) + 1]
    return None


@dataclass(slots=True)
class Sentence:
    """One source sentence with the features the scorers need, computed once."""

    text: str
    outlet: str
    article_index: int
    position: int
    stems: list[str] = field(default_factory=list)
    n_words: int = 0
    # Whether it reads as a sentence (ends in terminal punctuation), not a caption or a dateline.
    complete: bool = True

    @property
    def stem_set(self) -> set[str]:
        return set(self.stems)


def make_sentence(text: str, outlet: str, article_index: int, position: int) -> Sentence:
    stripped = text.rstrip("\"'”“’)] ")
    return Sentence(
        text=text,
        outlet=outlet,
        article_index=article_index,
        position=position,
        stems=content_stems(text),
        n_words=len(text.split()),
        # "...killed after..." is a feed excerpt cut mid-sentence, not a finished thought.
        complete=stripped.endswith((".", "!", "?")) and not stripped.endswith(".."),
    )


def article_sentences(
    articles: list[Article], outlet_of: list[str], max_per_article: int = 40
) -> list[Sentence]:
    """All sentences of the story, capped per article so long feeds cannot dominate the cost."""
    result: list[Sentence] = []
    for index, article in enumerate(articles):
        for position, text in enumerate(split_sentences(article.text, max_per_article)):
            # A page's buttons glued before its words ("SHARE COPY LINK A judge ruled ..."): the
            # reporting after them may be a bullet, the buttons never.
            text = text[page_furniture_end(text) :]
            # A photo's caption ("FILE - In this 2016 file photo, ...") describes a picture, not
            # the news: no bullet. Its position still counts, as the reader sees it there.
            # Nor does a line planted to steer a model, or shouting (`steering`).
            if text and not caption(text) and not steering(text, article.text):
                result.append(make_sentence(text, outlet_of[index], index, position))
    return result


def word_count(text: str) -> int:
    return len(text.split())


def is_stopword(word: str) -> bool:
    return word in STOPWORDS


__all__ = [
    "Sentence",
    "article_sentences",
    "before_run_on",
    "content_stems",
    "is_stopword",
    "make_sentence",
    "split_sentences",
    "stem",
    "word_count",
    "words",
]
