"""Checks on the LLM writer's answer before any of it may reach a card.

The model is distrusted by design: its answer arrives as arbitrary JSON, so every field is
type-checked before use, and every fact it states is tied back to the sources. Anything that does
not check out raises LLMRejected and the caller keeps the extractive summary. The checks are
deliberately stricter than the extractive writer needs, because that writer copies source words
and the model does not.

What the card says about its sources must be true too: a bullet is credited only to the outlets
that report it (`attribution.credited_outlets`: a carrying sentence, the same names, every quote
verbatim), and one that none reports is rejected, as is one whose decisive verb ("acquired",
"convicted") no sentence carrying it states, or states only as what may happen (`claim_verbs`); an angle line must be attributable to
its own outlet and its quote be in that outlet's text. Quotations are read in every mark the
project knows (`quote_marks.quoted_spans`); one the model gives to a speaker must be given to the
one its source names, when the source plainly names one (`speakers`). The model may not name or
count the outlets, nor write markup, mentions or links (`llm_prose`), even ones a (hostile) article
holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.models import Angle, Article, Bullet, Summary
from bot.summarize.angles import MAX_ANGLES
from bot.summarize.attribution import attributable, credited_outlets, outlet_texts, quotations
from bot.summarize.claim_verbs import changed_verb
from bot.summarize.grounding import claim, is_verbatim, negated, strip_ellipsis, ungrounded
from bot.summarize.llm_facts import misstated
from bot.summarize.llm_prose import ProseRejected, check_prose
from bot.summarize.quotes import QUOTE_MAX_WORDS
from bot.summarize.restated import stem_overlap
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.speakers import misattributed
from bot.textutil import squash_spaces

MAX_TLDR_WORDS = 55
MIN_BULLETS, MAX_BULLETS = 2, 3
# Two bullets sharing this much of the shorter one's content words say the same thing twice.
BULLET_MAX_OVERLAP = 0.6
# The attribution an angle line opens with ("Adds that ...") says who, not what: it is left out
# of the support check, which compares what the line claims with what the outlet wrote.
_ATTRIBUTION_RE = re.compile(
    r"^(?:it\s+|the\s+outlet\s+)?(?:adds|notes|reports|says|details|describes|cites|explains|"
    r"highlights|stresses|emphasi[sz]es|focuses\s+on|mentions|points\s+out|quotes|reveals|"
    r"confirms|frames|puts|surfaces|names)\b(?:\s+that\b)?[\s,:]*",
    re.IGNORECASE,
)
# Where a negation stops reaching forward to a quote: "not" in an earlier clause does not flip it.
# Anchored: a match can only start at 0 (".*" reaches back there), and without an anchor a text
# with no clause end was retried from every position (quadratic).
_CLAUSE_END_RE = re.compile(r"\A.*(?:[,;:()\[\]—–]|\s-\s|\b(?:but|while|although|though)\b)", re.S)
# A negation flips a quoted claim from just before it ("would not be extended", "don't think
# they're appropriate"); further back it governs a noun phrase the quote merely names ("not in
# possession of the so-called Green Pass"), which on the dev set was most such quotes.
NEGATION_REACH_WORDS = 4


class LLMRejected(ValueError):
    """The model's answer failed a grounding or shape check."""


def _strings(value: Any, what: str) -> list[str]:
    """`value` as a list of non-empty strings, or LLMRejected: no other shape is accepted."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LLMRejected(f"{what} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LLMRejected(f"angle {key} must be a non-empty string")
    return value.strip()


def _check_prose(text: str, outlets: Sequence[str], sources: Sequence[str] = ()) -> None:
    try:
        check_prose(text, outlets, sources)
    except ProseRejected as exc:
        raise LLMRejected(str(exc)) from None


class _Sources:
    """The story's text, indexed once for the checks below."""

    def __init__(self, articles: Sequence[Article], outlets: Sequence[str] | None = None) -> None:
        self.texts = [f"{a.title}\n{a.text}" for a in articles]
        outlets = outlets if outlets is not None else [a.source for a in articles]
        self.by_outlet = outlet_texts(articles, outlets)
        # Both the outlets as the card names them and each feed's own name.
        self.names = list(dict.fromkeys([*outlets, *(a.source for a in articles)]))
        self.sentences = [
            (s, set(content_stems(s)))
            for a in articles
            for s in [a.title, *split_sentences(a.text)]
            if s.strip()
        ]

    def closest_sentence(self, text: str) -> str | None:
        """The source sentence carrying most of `text`'s content words, the tighter fit on ties.

        Coverage first, so a bullet compressed from a long sentence still finds it; then the
        Jaccard share, so "The owner was not arrested." meets "The owner was arrested." rather
        than a longer sentence that merely mentions an owner and an arrest.
        """
        key = set(content_stems(text))
        if not key:
            return None
        best: tuple[float, float] | None = None
        found: str | None = None
        for sentence, stems in self.sentences:
            shared = len(key & stems)
            if not shared:
                continue
            score = (shared / len(key), shared / len(key | stems))
            if best is None or score > best:
                best, found = score, sentence
        return found


def _check_quote(quote: str, homes: Sequence[str], line: str) -> None:
    """`quote` must be verbatim in one of `homes`, and not cropped out of a negation.

    "would not be extended beyond two weeks" holds the verbatim span "be extended beyond two
    weeks"; quoted under a line that does not negate it either, it says the opposite of its source.
    """
    core = strip_ellipsis(quote)
    found = [t for t in homes if is_verbatim(core, t)]
    if not found:
        raise LLMRejected(f"quote not verbatim in its source: {quote!r}")
    if negated(core) or negated(line):
        return
    pattern = re.compile(re.escape(squash_spaces(core)))
    # Only a quote every occurrence of which is negated is cropped out of a negation: "confident"
    # in 'Asked why he was "confident" ... "I'm not confident."' is quoted as said once.
    flipped: str | None = None
    for text in found:
        for sentence in split_sentences(squash_spaces(text)):
            for match in pattern.finditer(sentence):
                lead_in = _CLAUSE_END_RE.sub("", sentence[: match.start()])
                if not negated(" ".join(lead_in.split()[-NEGATION_REACH_WORDS:])):
                    return
                flipped = sentence
    if flipped is not None:
        raise LLMRejected(f"quote {quote!r} drops the negation of {flipped!r}")


def _check_quoted_spans(text: str, homes: Sequence[str]) -> None:
    """Every span a bullet or line puts in quotation marks, of any kind, must be a verbatim quote,
    given to the speaker the sources give it to when they plainly name one."""
    for span in quotations(text):
        _check_quote(span, homes, text)
    wrong = misattributed(text, homes)
    if wrong is not None:
        raise LLMRejected(f"quote {wrong!r} given to another speaker than its source names")


def _check_polarity(text: str, sources: _Sources) -> None:
    closest = sources.closest_sentence(text)
    if closest is None:
        raise LLMRejected(f"{text!r} has no source sentence")
    # Names and numbers survive a flipped claim ("did not kill 12 workers"), so the polarity
    # of the text must match the sentence it was written from, clause by clause as in the
    # support check: dropping a negated clause ("talks fell apart, as lawmakers could not
    # agree") shortens a claim without flipping it.
    mine, theirs = claim(text), claim(closest)
    shared = mine.stems & theirs.stems
    if mine.negated_where(shared) != theirs.negated_where(shared):
        raise LLMRejected(f"{text!r} flips its source sentence {closest!r}")


def _check_bullets(texts: list[str], sources: _Sources, outlets: Sequence[str]) -> None:
    if not MIN_BULLETS <= len(texts) <= MAX_BULLETS:
        raise LLMRejected(f"tldr must have {MIN_BULLETS}-{MAX_BULLETS} bullets")
    if sum(len(t.split()) for t in texts) > MAX_TLDR_WORDS:
        raise LLMRejected("tldr over the word limit")
    stems = [set(content_stems(t)) for t in texts]
    for i, text in enumerate(texts):
        _check_prose(text, outlets, sources.texts)
        missing = ungrounded(text, sources.texts)
        if missing:
            raise LLMRejected(f"tldr names or counts what no source says: {missing}")
        wrong = misstated(text, sources.texts)
        if wrong is not None:
            raise LLMRejected(f"tldr states what the sources state otherwise: {wrong!r}")
        _check_quoted_spans(text, sources.texts)
        _check_polarity(text, sources)
        for j in range(i):
            if stem_overlap(stems[i], stems[j]) >= BULLET_MAX_OVERLAP:
                raise LLMRejected(f"bullets {j + 1} and {i + 1} repeat each other")


def _check_angles(
    raw: Any,
    articles: Sequence[Article],
    outlets: Sequence[str],
    lead: str,
    sources: _Sources,
) -> list[Angle]:
    """The model's angles, checked; the lead's and those past MAX_ANGLES are left out, not fatal."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise LLMRejected("angles must be a list of objects")
    by_outlet: dict[str, list[Article]] = {}
    for article, outlet in zip(articles, outlets, strict=True):
        by_outlet.setdefault(outlet, []).append(article)
    angles: list[Angle] = []
    for item in raw:
        outlet, line, quote = (_text(item, k) for k in ("source", "line", "quote"))
        if outlet not in by_outlet:
            raise LLMRejected(f"angle for an outlet not in the story: {outlet!r}")
        own = by_outlet[outlet]
        if len(strip_ellipsis(quote).split()) > QUOTE_MAX_WORDS:
            raise LLMRejected(f"quote longer than {QUOTE_MAX_WORDS} words")
        own_texts = [f"{a.title}\n{a.text}" for a in own]
        _check_prose(line, sources.names, sources.texts)
        # A quote is the outlet's own words, which may name it; markup is refused all the same.
        _check_prose(quote, ())
        _check_quote(quote, own_texts, line)
        if not attributable(line, outlet, sources.by_outlet):
            raise LLMRejected(f"angle line says more of another outlet than of {outlet}: {line!r}")
        # The line says what this outlet reports, so its names, numbers, quotes and polarity are
        # checked against that outlet's text. (Not the bullets' word-share support check: a
        # line describes a framing, "Puts a price on the damage", more than it restates one.)
        missing = ungrounded(line, own_texts)
        if missing:
            raise LLMRejected(f"angle line names or counts what {outlet} does not say: {missing}")
        wrong = misstated(line, own_texts)
        if wrong is not None:
            raise LLMRejected(f"angle line states what {outlet} states otherwise: {wrong!r}")
        _check_quoted_spans(line, own_texts)
        _check_polarity(_ATTRIBUTION_RE.sub("", line) or line, _Sources(own))
        # The lead's facts are the TL;DR itself; an angle for it would repeat the card.
        if outlet == lead or any(a.source == outlet for a in angles):
            continue
        if len(angles) < MAX_ANGLES:
            angles.append(Angle(source=outlet, line=line, quote=quote, url=own[0].url))
    return angles


def check_answer(
    answer: Any,
    articles: Sequence[Article],
    outlets: Sequence[str],
    base: Summary,
) -> Summary:
    """The model's answer as a Summary, or LLMRejected if any part of it is malformed or not
    grounded. `outlets[0]` is the lead: the prompt lists it first and asks for no angle on it."""
    if not isinstance(answer, dict):
        raise LLMRejected("answer is not a JSON object")
    if not articles:
        raise LLMRejected("no articles to check against")
    sources = _Sources(articles, outlets)
    texts = _strings(answer.get("tldr"), "tldr")
    _check_bullets(texts, sources, sources.names)
    tldr: list[Bullet] = []
    for text in texts:
        changed = changed_verb(text, articles, outlets)
        if changed is not None and changed.hedged:
            raise LLMRejected(
                f"bullet {text!r} says {changed.verb!r} surely, which the sentences carrying it"
                " only say may or will happen"
            )
        if changed is not None and changed.reversed:
            raise LLMRejected(
                f"bullet {text!r} says {changed.verb!r} of the party the sentences carrying it"
                " say did the other side of it"
            )
        if changed is not None:
            raise LLMRejected(
                f"bullet {text!r} says {changed.verb!r}, which no sentence carrying it says"
            )
        support = credited_outlets(text, articles, outlets)
        if not support:
            raise LLMRejected(f"no outlet reports bullet {text!r}")
        tldr.append(Bullet(text=text, sources=support))
    lead = outlets[0]
    angles = _check_angles(answer.get("angles"), articles, outlets, lead, sources)
    covered = {a.source for a in angles}
    # The headline's outlet leads the card with its words: it is never "adding nothing".
    leads = {lead} | {
        o
        for a, o in zip(articles, outlets, strict=True)
        if base.headline_url and a.url == base.headline_url
    }
    also = [o for o in dict.fromkeys(outlets) if o not in covered and o not in leads]
    if not angles:
        # The model found nothing to add; the extractive angles are still grounded and useful.
        angles, also = base.angles, base.also_reporting
    return replace(base, tldr=tldr, angles=angles, also_reporting=also, writer="llm")
