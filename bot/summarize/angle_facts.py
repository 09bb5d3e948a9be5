"""The checkable facts of an angle's sentence: the names and figures it gives.

Names and figures count most towards what an outlet adds, and the line's framing ("Names ...",
"Puts a figure on it") promises one; so a date must not pass for a figure, nor a figure the card
already gives for a new one. What passes for a name is `angle_names`'.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence

from bot.summarize.claim_figures import claim_counts, main_figure, same_amount
from bot.summarize.grounding import figures
from bot.summarize.line_alone import mostly_quoted, quotes_words
from bot.summarize.quantities import SourceQuantities, quantities
from bot.summarize.quote_marks import quotation_bounds
from bot.summarize.restated import same_figure_restated
from bot.summarize.sentences import stem
from bot.summarize.told import QUOTE_MAX_HEADLINE, QUOTE_MIN_HEADLINE_SHARE

# Digits glued to a word ("Kestrel-2", "G7") are part of a name, not a figure; after `&`, `@`,
# `#` or `<`, chat syntax a feed left in (`<@123>`, `<@&123>`, `<#123>`) or an entity, an id.
NUMBER_RE = re.compile(
    r"(?<![\w&@#<-])(?:[$€£¥]\s?)?\d[\d,.]*(?:\s?(?:%|percent|million|billion|trillion))?(?![\w-])"
)


# A day of a month, with its year or not ("Jan. 7, 2023", "March 4"): when, to check.
DATE_RE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)\s+\d{1,2}(?:st|nd|rd|th)?"
    r"(?:,\s+\d{4})?(?!\d)"
)


def own_dates(sentence: str, outlet: str, known: KnownFigures | None) -> list[str]:
    """The dates in `sentence` that neither the card nor another outlet gives: a return date
    ("could return on Jan. 7, 2023") is the outlet's fact as much as a figure, though its day
    and year alone are no figures (`is_year_like_date`)."""
    if known is None:
        return []
    return [
        m.group(0)
        for m in DATE_RE.finditer(sentence)
        if not known.known_to_others(m.group(0), outlet)
    ]


def is_year_like_date(token: str) -> bool:
    """Days of the month and years: dates say when, not how much."""
    token = token.strip(" ,.")
    return bool(re.fullmatch(r"\d{1,2}|(?:1[89]|20)\d\d", token))


class KnownFigures:
    """The figures each outlet and the card already give, read as values with scale and unit.

    Compared by value, not by spelling: "$2.4 billion" in one outlet and "2.4bn dollars" in
    another are the same figure, and a stem of "2.4 billion" never matched any single word, so
    every scaled figure used to count as news. Kept per outlet, not as one union per outlet,
    which would be quadratic in a story's outlets.
    """

    __slots__ = ("_read", "_texts", "_told")

    def __init__(self, texts_by_outlet: Mapping[str, str], told: str) -> None:
        # Read on first need: most sentences' figures are settled by spelling before any text is
        # parsed, and parsing every outlet's whole text up front was a fifth of the card's time.
        self._texts = dict(texts_by_outlet)
        self._read: dict[str, SourceQuantities] = {}
        self._told = SourceQuantities(told)

    def _reader(self, outlet: str) -> SourceQuantities:
        reader = self._read.get(outlet)
        if reader is None:
            reader = self._read[outlet] = SourceQuantities(self._texts[outlet])
        return reader

    def known_to_others(self, figure: str, outlet: str) -> bool:
        """Whether the card or an outlet other than `outlet` gives `figure` already."""
        found = quantities(figure)
        if not found:
            return False
        others = [o for o in self._texts if o != outlet]
        return all(
            self._told.grounds(q) or any(self._reader(o).grounds(q) for o in others) for q in found
        )


# A sentence sharing more of its content words with a TL;DR bullet is the story, not an angle.
TLDR_MAX_OVERLAP = 0.6
# A sentence carrying this much of a bullet's content words (or a short sentence this much of
# its own) repeats the bullet. Higher than the bar above: at 0.6 of the smaller set, sentences
# that only share a bullet's setting (place, people) were cut too, and with them real quotes.
TLDR_MAX_CONTAINED = 0.75


def figure_known(
    token: str, outlet: str, other: Container[str], known: KnownFigures | None
) -> bool:
    """Whether another outlet (or the card) gives the figure: spelt the same, which also covers a
    time or a date read out of context here, or of the same value."""
    if stem(token.strip(" ,.$€£¥%").replace(",", "")) in other:
        return True
    return known is not None and known.known_to_others(token.strip(" ,."), outlet)


def retells_headline(stems: list[str], headline: frozenset[str]) -> bool:
    """Whether the sentence is the card's headline in other words, by the bar a quote is held
    to: as a line it tells the reader what the card's top already did."""
    own = set(stems)
    on_headline = len(own & headline)
    return (
        bool(headline)
        and on_headline >= QUOTE_MAX_HEADLINE * len(headline)
        and on_headline >= QUOTE_MIN_HEADLINE_SHARE * len(own)
    )


def mostly_restates(
    stems: list[str], tldr: Sequence[tuple[frozenset[str], frozenset[str]]]
) -> bool:
    """Whether the sentence mostly says what a TL;DR bullet says, or carries most of a bullet.

    Measured over the sentence's own words only, a long sentence containing a whole bullet
    slipped under the bar and its quote repeated the bullet; so the overlap over the smaller of
    the two counts too.
    """
    own = set(stems)
    for bullet, _ in tldr:
        shared = len(own & bullet)
        if shared / max(1, len(own)) >= TLDR_MAX_OVERLAP:
            return True
        if shared / max(1, min(len(own), len(bullet))) >= TLDR_MAX_CONTAINED:
            return True
    return False


# A sentence sharing this much of its content words with a bullet, whose words no other outlet
# uses are fewer than the next share and which names no one and gives no figure of its own, tells
# the bullet's fact in other words ("reached an understanding on key principles" under "agreed
# to a set of guiding principles"): no angle.
REWORDED_MIN_SHARED = 0.4
REWORDED_MAX_NOVEL = 0.5


def rewords_bullet(
    stems: Sequence[str],
    novel: Sequence[str],
    tldr: Sequence[tuple[frozenset[str], frozenset[str]]],
) -> bool:
    """Whether a sentence without a name or figure of its own retells a TL;DR bullet in its own
    words (see REWORDED_MIN_SHARED)."""
    own = set(stems)
    if not own or len(set(novel)) >= REWORDED_MAX_NOVEL * len(own):
        return False
    return any(len(own & bullet) >= REWORDED_MIN_SHARED * len(own) for bullet, _ in tldr)


def gives_figure_of(
    stems: list[str], sentence: str, tldr: Sequence[tuple[frozenset[str], frozenset[str]]]
) -> bool:
    """Whether the sentence states a TL;DR bullet's figure again, in other words."""
    if not tldr:
        return False
    own, figs = frozenset(stems), figures(sentence)
    return any(same_figure_restated(own, figs, bullet, bfigs) for bullet, bfigs in tldr)


# Marks a quotation may open with.
QUOTE_OPENERS = "\"'“‘«„"


def key_figure_of_own(detail: str, numbers: Sequence[str]) -> bool:
    """Whether the shown `detail`'s main figure is one of `numbers`, the figures of its own the
    outlet gives: only then does "Puts a figure on it" say what the line adds. Any figure of
    its own used to frame the line: "forecasts of 318,000" beside the week's real count, a
    crowd's "about 600 supporters" after a candidate's quotation, a date's day. The main figure
    is the detail's first count (`claim_figures.main_figure`) outside any quotation: a figure
    inside someone's words, or in the cue of a line that is mostly their words, is theirs to
    give, and the line is a voice, not a measure. So is a line opening on someone's words
    (""Let's ...," she told about 600 supporters"): the figure after it is only their setting."""
    opens_quoted = detail[:1] in QUOTE_OPENERS and quotes_words(detail)
    if not numbers or mostly_quoted(detail) or opens_quoted:
        return False
    bare = detail
    for start, end in sorted(quotation_bounds(detail), reverse=True):
        bare = bare[:start] + " " * (end - start) + bare[end:]
    main = main_figure(claim_counts(bare))
    if main is None:
        return False
    own = (q.value for n in numbers if n in bare for q in quantities(n) if q.role != "date")
    return any(same_amount(main.value, value) for value in own)
