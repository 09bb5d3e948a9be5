"""What the card says above an angle's quote, and whether a quote tells it again.

A quote telling the headline or a TL;DR bullet again ("The central bank kept its main rate at
3.5%…" under "Central bank holds key rate at 3.5%") adds nothing the reader has not just read, and
gives way (`bot.summarize.quotes.pick_quote`). A figure the card does not give yet is news, but
only for the sentence of the quote it sits in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.summarize.acts import two_facts
from bot.summarize.finite_verbs import is_clause
from bot.summarize.grounding import figures
from bot.summarize.restated import cores_alike, one_remark, same_figure_restated, stem_overlap
from bot.summarize.sentences import content_stems

# A quote carrying this much of the headline's content words, which are at least this share of
# its own, tells the headline again. Both: a short headline ("Apple earnings") is covered by any
# quote naming its subject, and a long quote may carry a headline and much besides.
QUOTE_MAX_HEADLINE = 0.7
QUOTE_MIN_HEADLINE_SHARE = 0.5
# A quote carrying this much of a bullet's content words (or of its own, when shorter) repeats
# the bullet: the bar `angles` holds an angle's sentence to.
QUOTE_MAX_CONTAINED = 0.75


@dataclass(frozen=True, slots=True)
class Told:
    """What the card says above the angles: the headline's stems, each bullet's stems and
    figures. A quote telling it again adds nothing the reader has not just read."""

    headline: frozenset[str] = frozenset()
    bullets: Sequence[tuple[frozenset[str], frozenset[str]]] = ()
    figures: frozenset[str] = frozenset()  # every figure the headline and the bullets give
    # The bullets' words, in the bullets' order, for a retelling the stems alone miss: the same
    # event with other background, or the same remark quoted in other words
    # (`restated.cores_alike`, `one_remark`); and for another occasion of a bullet's act or its
    # opposite act, which is no retelling (`acts.two_facts`).
    texts: Sequence[str] = ()
    # The headline's words, for another occasion of its act or its opposite act (`two_facts`),
    # which its stems alone cannot tell from a retelling.
    headline_text: str = ""

    def retold_by(self, quote: str) -> bool:
        figs = figures(quote)
        new = figs - self.figures
        if not new:
            return self._retells(quote, figs)
        # A figure the card does not give yet is news, but only for the sentence it sits in: a
        # quote whose other sentence tells a bullet again ("...made the announcement in his
        # hometown of Hope, Ark. In a 30-minute speech…") still repeats the card.
        rest = [part for part in quote_sentences(quote) if not figures(part) & new]
        return any(is_clause(part) and self._retells(part, figures(part)) for part in rest)

    def _retells(self, quote: str, figs: frozenset[str]) -> bool:
        stems = frozenset(content_stems(quote))
        headline = self.headline
        on_headline = len(stems & headline)
        if (
            headline
            and not self._other_fact_than_headline(quote)
            and on_headline >= QUOTE_MAX_HEADLINE * len(headline)
            and on_headline >= QUOTE_MIN_HEADLINE_SHARE * len(stems)
        ):
            return True
        for n, (bullet, bullet_figs) in enumerate(self.bullets):
            # The bullet's act on a day days apart, its other side or its opposite act ("voted on
            # Thursday" under "voted on Monday", "voted against" under "voted for", "rejected"
            # under "approved") is news however alike the words (`two_facts`, as the TL;DR's
            # repeat check asks).
            if n < len(self.texts) and two_facts(quote, self.texts[n]):
                continue
            if stem_overlap(stems, bullet) >= QUOTE_MAX_CONTAINED:
                return True
            # A bullet's figure in other words ("…will spend up to 4 billion crowns…" under
            # "…is putting 4 billion crowns behind the idea").
            shared = figs & bullet_figs
            if shared and same_figure_restated(stems, shared, bullet, bullet_figs):
                return True
        return any(cores_alike(quote, text) or one_remark(quote, text) for text in self.texts)

    def _other_fact_than_headline(self, quote: str) -> bool:
        """Whether `quote` tells another occasion of the headline's act, or its opposite act
        ("voted on Thursday" under "Council votes on Monday ..."): news, however many of the
        headline's words it carries. Asked of the headline's words, and of the bullets', which
        tell its event at more length (the bullets' check asks the same)."""
        texts = [self.headline_text, *self.texts] if self.headline_text else self.texts
        return any(two_facts(quote, text) for text in texts)


# Where a quote's sentences part, for placing its figures: the space after a full stop, question
# or exclamation mark (and any closing marks), before a capital or a number. Looser than
# `split_sentences`, which keeps "Hope, Ark. In a 30-minute speech" whole for the abbreviation: a
# finer cut only narrows what a new figure answers for. Not after a word that leads on to a name
# or a number ("Mr. Lund", "Gen. Hale", "No. 3", "Jan. 5"), an initial ("J. Doe"), a name's
# suffix ("Nordbau Inc. Workers", "Acme Corp. Chief Executive") or an initialism ("the U.S.
# Army", "Washington, D.C. Police", "9 a.m. Tuesday"): cut there, a sentence of the quote, quoted
# alone, started in the middle of a name. An initialism also ends sentences ("...a first in the
# U.S. The crossing cost..."), so it holds the cut back only before a word that does not open
# one; a figure's full stop ("at 9.30. The crossing") holds nothing back.
_SENTENCE_GAP = re.compile(r"[.!?][\"”’')]*(\s+)(?=[\"“‘'(]*[A-Z0-9])")
_LEADS_ON = frozenset(
    """
    mr mrs ms dr prof gov sen rep gen lt col maj capt sgt cmdr adm st ft mt rev hon pres no nos
    vs v fig approx vol op jan feb mar apr jun jul aug sep sept oct nov dec
    inc corp co ltd llc plc jr sr
    """.split()
)
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
# Words that open a sentence and never continue a name: after "U.S." one starts a sentence.
_SENTENCE_OPENERS = frozenset("The He She It In This But They We I A An".split())


def quote_sentences(quote: str) -> list[str]:
    """`quote`'s sentences, their marks and ellipses kept where they were."""
    parts: list[str] = []
    start = 0
    for gap in _SENTENCE_GAP.finditer(quote):
        word = quote[start : gap.start(1)].rsplit(None, 1)[-1].strip("\"“”‘’'()").rstrip(".")
        if word.casefold() in _LEADS_ON or (len(word) == 1 and word.isalpha()):
            continue
        following = quote[gap.end(1) :].split(None, 1)[0].lstrip("\"“‘'(")
        if _INITIALISM.fullmatch(word) and following not in _SENTENCE_OPENERS:
            continue
        parts.append(quote[start : gap.start(1)])
        start = gap.end(1)
    parts.append(quote[start:])
    return [part for part in parts if part.strip()]
