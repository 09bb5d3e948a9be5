"""Checks that tie generated words back to the sources: support, verbatim quotes, entities, numbers.

The extractive writer is grounded by construction, but it still needs to know which outlets back
each bullet ("reported by 4 of 6"); the LLM writer is not grounded at all, so everything it names
or counts is checked here against the articles before it may reach a card.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.summarize.calendar_words import blank_date_words, calendar_names
from bot.summarize.main_clause import negated
from bot.summarize.quantities import SourceQuantities, is_number_word, quantities
from bot.summarize.sentences import stem
from bot.summarize.story_memo import story_cached
from bot.summarize.support import (
    Claim,
    StoryEvidence,
    carries,
    claim,
    figures,
    outlet_stems,
    story_evidence,
    supporting_outlets,
)
from bot.textutil import STOPWORDS, content_words, fold, number_forms_as_digits, squash_spaces

__all__ = [
    "ELLIPSIS",
    "Claim",
    "StoryEvidence",
    "carries",
    "claim",
    "entities",
    "figures",
    "is_verbatim",
    "negated",
    "numbers",
    "outlet_stems",
    "story_evidence",
    "strip_ellipsis",
    "supporting_outlets",
    "ungrounded",
    "unnamed",
]

ELLIPSIS = "…"


def _norm_for_match(text: str) -> str:
    """Normalise only spacing and quote glyphs: verbatim means same words, same case, same order.

    Feeds and models disagree on straight vs curly quotes and on line breaks, which is not a
    change of wording; a change of case or spelling is.
    """
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return squash_spaces(text)


def _fold_for_match(text: str) -> str:
    """Case- and accent-insensitive form, for finding names and numbers in the sources."""
    return squash_spaces(fold(_norm_for_match(text)))


def strip_ellipsis(quote: str) -> str:
    return quote.strip().strip(ELLIPSIS).strip().removesuffix("...").strip()


def _is_word_char(char: str) -> bool:
    """What `\\w` matches in a str pattern: a letter, digit or number of any script, or "_"."""
    return char.isalnum() or char == "_"


def _bounded_in(needle: str, text: str) -> bool:
    """Whether `needle` occurs in `text` not starting or ending inside a word of it.

    A plain substring test takes "wner was arr" as a quote of "owner was arrested" and "Ann" as a
    name found in "announcement". The guard applies only where the needle itself starts or ends
    with a word character, so quotes opening on a quotation mark still match. It matches what
    the pattern `(?<!\\w)needle(?!\\w)` does, without compiling one per needle: that took most of
    the quote check's time, as every quote and name is a new pattern.
    """
    head = _is_word_char(needle[:1])
    tail = _is_word_char(needle[-1:])
    size = len(needle)
    at = text.find(needle)
    while at >= 0:
        end = at + size
        if (not head or at == 0 or not _is_word_char(text[at - 1])) and (
            not tail or end == len(text) or not _is_word_char(text[end])
        ):
            return True
        at = text.find(needle, at + 1)
    return False


# Each outlet's text is checked against every quote taken from it: normalised once a story.
@story_cached
def _normed_source(text: str) -> str:
    return _norm_for_match(text)


def is_verbatim(quote: str, source_text: str) -> bool:
    """Whether `quote`, minus any trimming ellipses, appears word for word in `source_text`,
    starting and ending on word boundaries of that text."""
    core = _norm_for_match(strip_ellipsis(quote))
    if not core:
        return False
    return _bounded_in(core, _normed_source(source_text))


# Capital letters of the Latin, Greek and Cyrillic scripts: a name opening on "É" or "Ñ" is as
# much a name as one opening on "E" or "N", and must be checked as one.
_CAPITALS = "".join(re.escape(c) for c in map(chr, range(0x2000)) if c.isupper() or c.istitle())
# Capitalised token sequences ("Preferred Networks", "U.S.", "NEC") that are not sentence starts.
_CAPITALISED = rf"[{_CAPITALS}][\w'’&.-]*"
_ENTITY_RE = re.compile(rf"(?<![\w'’])(?:{_CAPITALISED})(?:\s+(?:of\s+|the\s+)?{_CAPITALISED})*")
_NUMBER_RE = re.compile(r"\d[\d,.]*\d|\d")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;]\s+|[\"“(]\s*)$")
# Words often capitalised for reasons other than being a name.
_COMMON_CAPS = frozenset(
    """
    the a an this that these those it its he she they we i in on at for and but or of to by with
    from as after before while when where what why how who which adds names puts surfaces
    confirms notes says reports frames focuses quotes highlights emphasises emphasizes stresses
    according also however meanwhile adds details describes cites explains offers gives reveals
    mentions includes underlines warns argues claims questions points recounts recalls monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    """.split()
)


# A verb right after a capitalised word opening a sentence: that word is the subject, and a
# name as often as a common word ("Grant approved", "Police arrested"). Past tenses, and the
# verbs a summary opens with.
_VERB_AFTER_RE = re.compile(
    r"\s+(?:[a-z]+ed|said|says|told|won|lost|made|took|gave|began|led|met|sold|bought|left|"
    r"ran|set|cut|paid|held|will|has|had|is|was|wants|plans|signs|approves|rejects|calls)\b"
)
# Marks a part read as a sentence's subject (see `_VERB_AFTER_RE`) for `_unnamed`; a speaker
# is one before a verb of speech, which only a person or a body does.
_SUBJECT = "\0"
_SPEAKER = "\1"
_SPEECH_RE = re.compile(r"said|says|told", re.IGNORECASE)
_LOWER_WORD_RE = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")

# "Macron's", "the Workers'": the name is what the sources must carry, not its possessive form.
POSSESSIVE_RE = re.compile(r"['’]s$|(?<=s)['’]$")


def _entity_spans(text: str) -> list[tuple[str, list[str], bool]]:
    """Capitalised token runs: each as written, split into names at possessives, and whether it
    is a lone capitalised word opening a sentence (as often the first word as a name).

    "Joe Biden's Supreme Court Commission" names two things; if the run as written is not in the
    sources, "Joe Biden" and "Supreme Court Commission" are looked up on their own.
    """
    found: list[tuple[str, list[str], bool]] = []
    text = blank_date_words(text)
    for match in _ENTITY_RE.finditer(text):
        span = match.group(0).strip(".'’-")
        tokens = span.split()
        at_start = bool(_SENTENCE_START_RE.search(text[: match.start()]))
        while tokens and (
            fold(POSSESSIVE_RE.sub("", tokens[0])) in _COMMON_CAPS or is_number_word(tokens[0])
        ):
            tokens = tokens[1:]
        if not tokens:
            continue
        parts: list[str] = []
        current: list[str] = []
        for token in tokens:
            bare = POSSESSIVE_RE.sub("", token)
            current.append(bare)
            if bare != token:
                parts.append(" ".join(current))
                current = []
        if current:
            parts.append(" ".join(current))
        opener = at_start and len(tokens) == 1 and len(span.split()) == 1 and not span.isupper()
        verb = _VERB_AFTER_RE.match(text, match.end()) if opener else None
        if verb is not None:
            # "Bond approved ...": a lone word acting as the subject is read as a name.
            speaks = _SPEECH_RE.fullmatch(verb.group(0).strip()) is not None
            parts = [f"{_SPEAKER if speaks else _SUBJECT}{part}" for part in parts]
        found.append((" ".join(tokens), parts, opener))
    return found


def entities(text: str) -> list[str]:
    """Named-entity-like spans: capitalised token runs, minus a lone sentence-initial word."""
    return [
        part.lstrip(_SUBJECT + _SPEAKER)
        for _, parts, opener in _entity_spans(text)
        if not opener
        for part in parts
    ]


def numbers(text: str) -> list[str]:
    return [m.group(0).rstrip(".,") for m in _NUMBER_RE.finditer(text)]


def ungrounded(text: str, sources: Iterable[str]) -> list[str]:
    """Entities and numbers of `text` that no source contains: evidence of invention."""
    raw_corpus = " ".join(sources)
    missing = _unnamed(text, raw_corpus)
    # Weekdays and months are not names (see _COMMON_CAPS), but a wrong one is a wrong fact.
    source_days = {key for _, key in calendar_names(raw_corpus)}
    missing.extend(raw for raw, key in calendar_names(text) if key not in source_days)
    # Read from the unfolded text: the case of "Mar." or "AM" does not matter, but "US$" does.
    # Number characters ("Ⅶ", "⑨") are read as their digits on both sides, so a figure written
    # in them must be grounded like any other, and a source's own grounds the same.
    source_numbers = SourceQuantities(number_forms_as_digits(raw_corpus))
    # With scale, unit and role: "$6.16 billion" is not "$6.16 million", nor "March 12" a count.
    missing.extend(
        q.raw
        for q in quantities(number_forms_as_digits(text), small_words=False)
        if not source_numbers.grounds(q)
    )
    return missing


def unnamed(text: str, sources: Iterable[str]) -> list[str]:
    """The names of `text` (see `entities`) that no source contains; dates and numbers aside."""
    return _unnamed(text, " ".join(sources))


def _unnamed(text: str, raw_corpus: str) -> list[str]:
    corpus = _fold_for_match(raw_corpus)
    corpus_stems: set[str] | None = None
    lower_stems: set[str] | None = None
    missing: list[str] = []
    for span, parts, opener in _entity_spans(text):
        subject = any(part[:1] in (_SUBJECT, _SPEAKER) for part in parts)
        if not subject and _bounded_in(_fold_for_match(span), corpus):
            continue
        for part in parts:
            entity = part.lstrip(_SUBJECT + _SPEAKER)
            as_name = part[:1] in (_SUBJECT, _SPEAKER) and not _never_a_name(entity)
            if as_name and part[:1] == _SUBJECT:
                # A word the sources write in lower case, in any form, is a thing, not a name:
                # "Debate lasted four hours" for their "a four hour debate". Who did an act is
                # `llm_facts`' to check ("Bond approved" for "a local bond" is refused there);
                # a thing never speaks, so "Bond said" stays a name.
                if lower_stems is None:
                    lower_stems = {stem(w) for w in _LOWER_WORD_RE.findall(raw_corpus)}
                as_name = stem(entity.lower()) not in lower_stems
            if _bounded_in(_fold_for_match(entity), corpus):
                if not as_name or _used_as_subject(entity, raw_corpus):
                    continue
                missing.append(entity)
                continue
            if as_name:
                missing.append(entity)
                continue
            if opener:
                # "Scholz named Barnier" must not pass because "Scholz" opens the sentence. A
                # common word opening it ("Evacuations began") is not a name: a function word, or
                # a word whose stem the sources use ("evacuated").
                if fold(entity) in STOPWORDS:
                    continue
                if corpus_stems is None:
                    corpus_stems = {stem(w) for w in content_words(corpus)}
                if stem(fold(entity)) in corpus_stems:
                    continue
            missing.append(entity)
    return missing


def _never_a_name(word: str) -> bool:
    """A function word, or a plural ("Evacuations began"): a name is neither."""
    return (
        fold(word) in STOPWORDS
        or fold(word) in _COMMON_CAPS
        or re.search(r"[^s]s$", word) is not None
    )


def _used_as_subject(word: str, raw_corpus: str) -> bool:
    """Whether the sources use `word`, which a sentence opens on before its verb, as they would a
    name or a subject: capitalised inside a sentence ("said Grant"), opening one of theirs
    ("Police said"), or in lower case right before a verb ("police arrested"). A common word
    the sources use otherwise ("a local bond") is no subject: "Bond approved" names someone.
    """
    escaped = re.escape(word)
    if re.search(rf"(?<![.!?:;\"“(\s])\s+{escaped}(?!\w)", raw_corpus):
        return True  # capitalised mid-sentence
    if re.search(rf"(?:^|[.!?]\s+|[\"“(]\s*){escaped}(?!\w)", raw_corpus, re.MULTILINE):
        return True  # opening a sentence of a source too
    lower = re.compile(rf"(?<!\w){re.escape(word.lower())}(?={_VERB_AFTER_RE.pattern})")
    return lower.search(raw_corpus) is not None
