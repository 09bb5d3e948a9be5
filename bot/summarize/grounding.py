"""Checks that tie generated words back to the sources: support, verbatim quotes, entities, numbers.

The extractive writer is grounded by construction, but it still needs to know which outlets back
each bullet ("reported by 4 of 6"); the LLM writer is not grounded at all, so everything it names
or counts is checked here against the articles before it may reach a card.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.models import Article
from bot.summarize.quantities import (
    SourceQuantities,
    blank_date_words,
    calendar_names,
    is_number_word,
    quantities,
)
from bot.summarize.sentences import content_stems, split_sentences, stem
from bot.textutil import STOPWORDS, content_words, fold, squash_spaces

# Weighted share of a bullet's content words one source sentence must carry to report it. Below
# a half because a bullet is one outlet's whole sentence and another outlet that reports the same
# fact rarely repeats every detail of it (on the dev clusters most sentence pairs scoring 0.4-0.5
# are the same fact told twice); the weighting, figures and negation keep it from overcounting.
SUPPORT_SHARE = 0.4
# Weight of a word every outlet of the story uses (the place, "fire", the weekday): such words are
# true of the story, not of one claim in it, so they are next to no evidence that a sentence
# reports the bullet. A word only one outlet uses weighs 1; weights fall linearly in between.
COMMON_WEIGHT = 0.25
# A sentence that says part of the bullet (the headline "Thousands evacuated as river floods
# town" beside a bullet that adds the day and the cause) reports it when the bullet carries this
# weighted share of the sentence's words, and at least this much weight: a short sentence of
# the story's common words says nothing in particular.
PART_SHARE = 0.45
PART_MIN_WEIGHT = 1.5
# Sentences checked per article: feeds carry leads and excerpts, and this bounds the cost.
MAX_SUPPORT_SENTENCES = 40
ELLIPSIS = "…"


def outlet_stems(articles: Sequence[Article], outlet_of: Sequence[str]) -> dict[str, set[str]]:
    by_outlet: dict[str, set[str]] = {}
    for article, outlet in zip(articles, outlet_of, strict=True):
        by_outlet.setdefault(outlet, set()).update(
            content_stems(f"{article.title}\n{article.text}")
        )
    return by_outlet


# What flips a claim: "police have not arrested" vs "police arrested". "No." before a figure is an
# abbreviation ("No. 3"), not a negation.
_NEGATION_RE = re.compile(
    r"\b(?:not|no(?!\.\s*\d)|never|none|nobody|nothing|neither|nor|cannot|den(?:y|ies|ied|ying))\b"
    r"|n[’']t\b",
    re.IGNORECASE,
)


def negated(text: str) -> bool:
    """Whether `text` carries a word that flips its claim (see `_NEGATION_RE`)."""
    return _NEGATION_RE.search(text) is not None


# Clause edges a negation does not reach across: "The fire, which was not deliberate, killed 12."
_CLAUSE_RE = re.compile(
    r"[,;:()\[\]—–]|\s-\s|\b(?:but|while|although|though|whereas|however)\b", re.IGNORECASE
)
# Figures written as words, so "Twelve workers died" carries the figure of "killed 12 workers".
# "one" is left out: "one of the", "no one" are rarely a count.
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if w != "_"
} | {
    w: str(10 * i)
    for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)
}
_NUMBER_WORD_RE = re.compile(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence (or bullet) as the support check compares it: words, figures, negated clauses."""

    text: str
    stems: frozenset[str]
    figures: frozenset[str]

    def negated_where(self, stems: set[str] | frozenset[str]) -> bool:
        """Whether a clause carrying any of `stems` is negated: the polarity of that content."""
        return any(negated and clause & stems for clause, negated in _clauses(self.text))


# Clauses are only read for the few sentences that pass the word and figure checks, so they are
# worked out on demand rather than for every sentence of every story.
@lru_cache(maxsize=4096)
def _clauses(text: str) -> tuple[tuple[frozenset[str], bool], ...]:
    """Each clause's content stems and whether the clause is negated."""
    return tuple(
        (frozenset(content_stems(part)), negated(part))
        for part in _CLAUSE_RE.split(text)
        if part and part.strip()
    )


def _figure_value(token: str) -> str:
    """One spelling per value: "1,200" and "1200" agree, as do "7.0" and "7"."""
    plain = token.replace(",", "")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return plain


# A figure, not the digits of a name: "Covid-19", "F-35" and "G7" carry no count to compare.
_FIGURE_RE = re.compile(r"(?<![\w.])(?<![A-Za-z]-)(?:\d[\d,.]*\d|\d)")


def figures(text: str) -> frozenset[str]:
    found = {_figure_value(m.group(0).rstrip(".,")) for m in _FIGURE_RE.finditer(text)}
    found.update(_NUMBER_WORDS[m.group(0).lower()] for m in _NUMBER_WORD_RE.finditer(text))
    return frozenset(found)


@lru_cache(maxsize=16384)
def claim(text: str) -> Claim:
    return Claim(text, frozenset(content_stems(text)), figures(text))


@dataclass(slots=True)
class StoryEvidence:
    """Every title and body sentence of a story, by outlet, and how many outlets use each word."""

    outlets: list[str]
    sentences: list[tuple[str, Claim]]
    outlet_count: dict[str, int]

    def weight(self, stem: str) -> float:
        """1 for a word one outlet uses, COMMON_WEIGHT for one every outlet uses (see above)."""
        n = len(self.outlets)
        used_by = self.outlet_count.get(stem, 0)
        if n <= 1 or used_by <= 1:
            return 1.0
        return 1.0 - (1.0 - COMMON_WEIGHT) * (used_by - 1) / (n - 1)


def story_evidence(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    by_outlet: dict[str, set[str]] | None = None,
) -> StoryEvidence:
    by_outlet = by_outlet if by_outlet is not None else outlet_stems(articles, outlet_of)
    outlet_count: dict[str, int] = {}
    for stems in by_outlet.values():
        for s in stems:
            outlet_count[s] = outlet_count.get(s, 0) + 1
    sentences: list[tuple[str, Claim]] = []
    for article, outlet in zip(articles, outlet_of, strict=True):
        # A headline is a claim of its own: a title-only outlet reports what its headline says.
        texts = [article.title, *split_sentences(article.text, MAX_SUPPORT_SENTENCES)]
        sentences.extend((outlet, claim(t)) for t in texts if t.strip())
    return StoryEvidence(list(by_outlet), sentences, outlet_count)


def carries(bullet: Claim, sentence: Claim, evidence: StoryEvidence, share: float) -> bool:
    """Whether one source sentence reports the bullet's claim.

    Either its words cover `share` of the bullet's and it gives every figure the bullet gives, or
    (a shorter report of the same fact, such as a headline) the bullet covers `PART_SHARE` of the
    sentence's words and the two give the same figures; word shares are weighted away from the
    story's common words. The two must agree on negation where they overlap ("have not arrested"
    is not "was arrested").
    """
    shared = bullet.stems & sentence.stems
    if not shared:
        return False
    weight = evidence.weight
    got = sum(weight(s) for s in shared)
    if not (
        (bullet.figures <= sentence.figures and got >= share * _mass(bullet, weight))
        or (
            sentence.figures == bullet.figures
            and got >= PART_MIN_WEIGHT
            and got >= PART_SHARE * _mass(sentence, weight)
        )
    ):
        return False
    return bullet.negated_where(shared) == sentence.negated_where(shared)


def _mass(c: Claim, weight: Callable[[str], float]) -> float:
    return sum(weight(s) for s in c.stems)


def supporting_outlets(
    text: str,
    origin: str | None,
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    share: float = SUPPORT_SHARE,
    evidence: StoryEvidence | None = None,
) -> list[str]:
    """Outlets with a title or sentence that carries `text`'s claim (see `carries`), origin first.

    One sentence must carry it, not the outlet's text as a whole: spread over a whole article,
    the story's common words alone reach any share. Content words rather than exact wording,
    because outlets paraphrase: "ruled police were entitled to immunity" and "sided with officers
    seeking immunity" report the same fact.
    """
    evidence = evidence if evidence is not None else story_evidence(articles, outlet_of)
    # The bullet was taken from its origin's text, so the origin reports it by construction.
    result: list[str] = [origin] if origin in evidence.outlets else []
    bullet = claim(text)
    if not bullet.stems:
        return result
    backed = set(result)
    for outlet, sentence in evidence.sentences:
        if outlet not in backed and carries(bullet, sentence, evidence, share):
            backed.add(outlet)
    # Story order, as before: the card lists outlets the way the story does.
    result.extend(o for o in evidence.outlets if o in backed and o not in result)
    return result


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


def _bounded(needle: str) -> re.Pattern[str]:
    """`needle` as a pattern that may not start or end inside a word of the text searched.

    A plain substring test takes "wner was arr" as a quote of "owner was arrested" and "Ann" as a
    name found in "announcement". The guard applies only where the needle itself starts or ends
    with a word character, so quotes opening on a quotation mark still match.
    """
    head = r"(?<!\w)" if needle[:1].isalnum() or needle[:1] == "_" else ""
    tail = r"(?!\w)" if needle[-1:].isalnum() or needle[-1:] == "_" else ""
    return re.compile(head + re.escape(needle) + tail)


def is_verbatim(quote: str, source_text: str) -> bool:
    """Whether `quote`, minus any trimming ellipses, appears word for word in `source_text`,
    starting and ending on word boundaries of that text."""
    core = _norm_for_match(strip_ellipsis(quote))
    if not core:
        return False
    return _bounded(core).search(_norm_for_match(source_text)) is not None


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


# "Macron's", "the Workers'": the name is what the sources must carry, not its possessive form.
_POSSESSIVE_RE = re.compile(r"['’]s$|(?<=s)['’]$")


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
            fold(_POSSESSIVE_RE.sub("", tokens[0])) in _COMMON_CAPS or is_number_word(tokens[0])
        ):
            tokens = tokens[1:]
        if not tokens:
            continue
        parts: list[str] = []
        current: list[str] = []
        for token in tokens:
            bare = _POSSESSIVE_RE.sub("", token)
            current.append(bare)
            if bare != token:
                parts.append(" ".join(current))
                current = []
        if current:
            parts.append(" ".join(current))
        opener = at_start and len(tokens) == 1 and len(span.split()) == 1 and not span.isupper()
        found.append((" ".join(tokens), parts, opener))
    return found


def entities(text: str) -> list[str]:
    """Named-entity-like spans: capitalised token runs, minus a lone sentence-initial word."""
    return [part for _, parts, opener in _entity_spans(text) if not opener for part in parts]


def numbers(text: str) -> list[str]:
    return [m.group(0).rstrip(".,") for m in _NUMBER_RE.finditer(text)]


def ungrounded(text: str, sources: Iterable[str]) -> list[str]:
    """Entities and numbers of `text` that no source contains: evidence of invention."""
    raw_corpus = " ".join(sources)
    corpus = _fold_for_match(raw_corpus)
    # Read from the unfolded text: the case of "Mar." or "AM" does not matter, but "US$" does.
    source_numbers = SourceQuantities(raw_corpus)
    corpus_stems: set[str] | None = None
    missing: list[str] = []
    for span, parts, opener in _entity_spans(text):
        if _bounded(_fold_for_match(span)).search(corpus):
            continue
        for entity in parts:
            if _bounded(_fold_for_match(entity)).search(corpus):
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
    # Weekdays and months are not names (see _COMMON_CAPS), but a wrong one is a wrong fact.
    source_days = {key for _, key in calendar_names(raw_corpus)}
    missing.extend(raw for raw, key in calendar_names(text) if key not in source_days)
    # With scale, unit and role: "$6.16 billion" is not "$6.16 million", nor "March 12" a count.
    missing.extend(
        q.raw for q in quantities(text, small_words=False) if not source_numbers.grounds(q)
    )
    return missing
