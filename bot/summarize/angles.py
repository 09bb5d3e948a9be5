""" "What others are reporting": per outlet, the detail it adds that the others lack.

An outlet's angle is found in its own words: the sentence carrying the most content that no other
outlet has (names and numbers count most, they are the checkable facts). The line describing it
is built from that sentence's own novel words, so it is attributable to the outlet, and the quote
is a verbatim span of the outlet's text, trimmed only at word boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Angle, Article
from bot.summarize.grounding import ELLIPSIS, is_verbatim
from bot.summarize.sentences import content_stems, split_sentences, stem

MAX_ANGLES = 6
QUOTE_MAX_WORDS = 24
# Below this novelty an outlet is only repeating the story: it goes to "Also reporting".
MIN_NOVELTY = 2.0

_NUMBER_RE = re.compile(r"(?:[$€£¥]\s?)?\d[\d,.]*(?:\s?(?:%|percent|million|billion|trillion))?")
_NAME_RUN_RE = re.compile(
    r"(?<![\w'’])[A-Z][\w'’&-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’&-]*)*(?:\s+[A-Z]\.)?"
)
_STOP_NAMES = frozenset(
    """
    The A An This That These Those It He She They We I In On At For And But Or Of To By With From
    As After Before While When Where What Why How Who Which There Here His Her Their Its Our
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Mr Mrs Ms Dr Sen Rep Gov Mayor President
    """.split()
)


@dataclass(slots=True)
class _Pick:
    outlet: str
    article: Article
    sentence: str
    novelty: float
    names: list[str]
    numbers: list[str]
    novel_words: list[str]


def _names(sentence: str) -> list[str]:
    """Capitalised runs after the first word of the sentence: people, companies, places."""
    found: list[str] = []
    for match in _NAME_RUN_RE.finditer(sentence):
        tokens = match.group(0).split()
        # The first word of a sentence is capitalised anyway: "Mayor Elena Brandt" -> "Elena Brandt".
        if match.start() == 0:
            tokens = tokens[1:]
        while tokens and tokens[0] in _STOP_NAMES:
            tokens = tokens[1:]
        if tokens:
            found.append(" ".join(tokens).strip(".,'’"))
    return found


def _other_stems(
    outlet: str, by_outlet: dict[str, list[Article]], cache: dict[str, set[str]]
) -> set[str]:
    other: set[str] = set()
    for name in by_outlet:
        if name != outlet:
            other |= cache[name]
    return other


def _pick_for_outlet(outlet: str, articles: list[Article], other: set[str]) -> _Pick | None:
    best: _Pick | None = None
    for article in articles:
        for position, sentence in enumerate(split_sentences(article.text)[:30]):
            stems = content_stems(sentence)
            novel = [s for s in dict.fromkeys(stems) if s not in other]
            if not novel:
                continue
            names = [
                n
                for n in _names(sentence)
                if not set(content_stems(n)) <= other and not _DEMONYM_RE.match(n)
            ]
            numbers = [
                m.group(0).strip(" ,.")
                for m in _NUMBER_RE.finditer(sentence)
                if stem(m.group(0).strip(" ,.$€£¥%").replace(",", "")) not in other
                and not _is_year_like_date(m.group(0))
            ]
            novelty = len(novel) + 1.5 * len(names) + 2.0 * len(numbers)
            # Prefer early sentences a little: leads carry the outlet's own framing.
            novelty /= 1.0 + 0.05 * position
            if sentence[:1] in '"“':
                novelty *= 0.8
            if best is None or novelty > best.novelty:
                words = [w for w in sentence.split() if _stem_of(w) in set(novel)]
                best = _Pick(outlet, article, sentence, novelty, names, numbers, words)
    return best


def _stem_of(word: str) -> str:
    stems = content_stems(word)
    return stems[0] if stems else ""


def _is_year_like_date(token: str) -> bool:
    return bool(re.fullmatch(r"\d{1,2}", token.strip()))


def _join(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _clauses(sentence: str) -> list[str]:
    return [p.strip() for p in re.split(r"(?<=[,;:])\s+|\s+[—–]\s+", sentence) if p.strip()]


def _short(text: str, max_words: int = 18) -> str:
    """A clause shortened at a word boundary, without trailing function words or punctuation."""
    words = text.rstrip(",;:.").split()[:max_words]
    while len(words) > 3 and words[-1].casefold().strip(",;:") in _WEAK_END:
        words.pop()
    return " ".join(words).rstrip(",;:").strip('"“”')


_WEAK_END = frozenset(
    "a an the and or but of to in on at for with by from as that which who".split()
)
_DEMONYM_RE = re.compile(r"^[A-Z][a-z]+(?:ern|ian|ean|ese|ish|ic|ans?)$")


def _best_clause(sentence: str, focus: Sequence[str]) -> str:
    """The clause carrying the most of `focus` (the outlet's novel words)."""
    focus_set = {f.casefold().strip(",.;:\"“”'") for f in focus}
    return max(
        _clauses(sentence),
        key=lambda c: sum(w.casefold().strip(",.;:\"“”'") in focus_set for w in c.split()),
    )


def angle_line(pick: _Pick) -> str:
    """One line on what the outlet adds, built from its own novel words."""
    if pick.numbers:
        clause = next((c for c in _clauses(pick.sentence) if pick.numbers[0] in c), pick.sentence)
        return f"Adds a number: {_short(clause)}."
    clause = _short(_best_clause(pick.sentence, pick.novel_words))
    if pick.names:
        return f"Names {_join(pick.names[:3])}, a detail absent from the other coverage: {clause}."
    return f"Adds a detail the others lack: {clause}."


def verbatim_quote(sentence: str, source_text: str, focus: Sequence[str]) -> str:
    """A word-boundary window of `sentence` around its novel words, with ellipses where cut."""
    words = sentence.split()
    if len(words) <= QUOTE_MAX_WORDS:
        quote = sentence
    else:
        focus_set = {f.strip(",.;:\"“”'") for f in focus}
        first = next((i for i, w in enumerate(words) if w.strip(",.;:\"“”'") in focus_set), 0)
        start = max(0, min(first - 4, len(words) - QUOTE_MAX_WORDS))
        window = words[start : start + QUOTE_MAX_WORDS]
        quote = " ".join(window).rstrip(",;:—–-")
        if start > 0:
            quote = f"{ELLIPSIS}{quote}"
        if start + QUOTE_MAX_WORDS < len(words):
            quote = f"{quote}{ELLIPSIS}"
    # Belt and braces: never ship a quote that does not check out against the outlet's text.
    return quote if is_verbatim(quote, source_text) else ""


def build_angles(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    lead_outlet: str | None,
    max_angles: int = MAX_ANGLES,
) -> tuple[list[Angle], list[str]]:
    """Angles for outlets other than the lead, best first, and the outlets that add nothing."""
    by_outlet: dict[str, list[Article]] = {}
    for article, outlet in zip(articles, outlet_of, strict=True):
        by_outlet.setdefault(outlet, []).append(article)
    cache = {
        name: {s for a in arts for s in content_stems(f"{a.title}\n{a.text}")}
        for name, arts in by_outlet.items()
    }
    picks: list[_Pick] = []
    also: list[str] = []
    for outlet, arts in by_outlet.items():
        if outlet == lead_outlet:
            continue
        pick = _pick_for_outlet(outlet, arts, _other_stems(outlet, by_outlet, cache))
        if pick is None or pick.novelty < MIN_NOVELTY:
            also.append(outlet)
            continue
        picks.append(pick)
    picks.sort(key=lambda p: -p.novelty)
    angles: list[Angle] = []
    for pick in picks:
        if len(angles) >= max_angles:
            also.append(pick.outlet)
            continue
        quote = verbatim_quote(pick.sentence, pick.article.text, pick.novel_words)
        if not quote:
            also.append(pick.outlet)
            continue
        angles.append(Angle(pick.outlet, angle_line(pick), quote, pick.article.url))
    return angles, also
