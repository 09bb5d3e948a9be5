"""Whether two sentences give one figure: the same figures, one of them maybe rounded ("over
212,000" for "212,672") or spelt "48-hour" for "48 hours", with enough of the same words
besides. `restated` asks it for the TL;DR's repeat check, angle lines and quotes."""

from __future__ import annotations

from bot.summarize.sentences import stem
from bot.text_cache import SENTENCE_CHARS, text_cache

# Two sentences giving one figure are the same fact when they share more than this share of the
# shorter one's words besides (see `same_figure_restated`).
SAME_FIGURES_SHARE = 0.3


def stem_overlap(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    """Share of the smaller set's content stems that the other has too: how far two bullets
    repeat each other."""
    return len(a & b) / max(1, min(len(a), len(b)))


def same_figure_restated(
    a_stems: frozenset[str],
    a_figures: frozenset[str],
    b_stems: frozenset[str],
    b_figures: frozenset[str],
    share: float = SAME_FIGURES_SHARE,
) -> bool:
    """Whether two sentences state one figure (one's figures a part of the other's) and share
    more than `share` of the shorter one's words besides: the same fact in other words."""
    if not (a_figures and b_figures):
        return False
    if not (figures_within(a_figures, b_figures) or figures_within(b_figures, a_figures)):
        return False
    # "48-hour" and "48 hours" are one figure and one word apart in two spellings.
    return stem_overlap(_split_compounds(a_stems), _split_compounds(b_stems)) > share


def figures_within(part: frozenset[str], whole: frozenset[str]) -> bool:
    """Whether every figure of `part` is one of `whole`'s, or that figure rounded."""
    return part <= whole or all(any(same_quantity(p, w) for w in whole) for p in part)


# "over 212,000" for "212,672": a rounding keeps the first few digits, so the two lie this close.
ROUNDING_SHARE = 0.02


def same_quantity(a: str, b: str) -> bool:
    """Whether figures `a` and `b` (as `figures` spells them) are one count, one of them rounded:
    the round one has fewer significant digits, the exact one at least three (a "50" near "49" is
    as likely another count), and they lie within `ROUNDING_SHARE`. Years are never rounded
    ("in 2000", "in 2024")."""
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if _year_like(a) or _year_like(b) or x <= 0 or y <= 0:
        return False
    rough, exact = sorted((a, b), key=_significant_digits)
    if _significant_digits(exact) < 3 or _significant_digits(rough) >= _significant_digits(exact):
        return False
    return abs(x - y) <= ROUNDING_SHARE * max(x, y)


def _year_like(figure: str) -> bool:
    return figure.isdigit() and len(figure) == 4 and figure[:2] in ("18", "19", "20", "21")


def _significant_digits(figure: str) -> int:
    digits = figure.replace(".", "").lstrip("0")
    # An integer's trailing zeros are its rounding; a decimal's are already dropped by `figures`.
    return len(digits if "." in figure else digits.rstrip("0"))


@text_cache(maxsize=256, max_chars=SENTENCE_CHARS)
def _split_compounds(stems: frozenset[str]) -> frozenset[str]:
    if not any("-" in s for s in stems):
        return stems
    return frozenset(
        part if part[:1].isdigit() else stem(part)
        for s in stems
        for part in (s.split("-") if "-" in s else [s])
        if part
    )
