"""The card headline: the most representative source title, cleaned up.

A title is picked rather than written so the headline is always something an outlet actually
published; cleanup then removes what makes titles bad card headlines: site suffixes
(`site_names`), shouting, clickbait framing and "WATCH:"-style labels. A story with no usable
title takes its first sentence of reporting instead (`text_headline`), in the case the story
writes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.casing import case_forms, fix_shouting, is_shouted, shouted_runs
from bot.summarize.developments import newest_development
from bot.summarize.explainers import RARE_DOCS, reporting_titles
from bot.summarize.headline_style import LABEL_RE, headline_end
from bot.summarize.introduced import previews
from bot.summarize.media_pages import is_media_page
from bot.summarize.sentences import content_stems
from bot.summarize.site_names import strip_site_prefix, strip_site_suffix
from bot.summarize.text_headline import headline_from_text
from bot.summarize.title_tone import CLICKBAIT_RE, badness, best_title
from bot.summarize.wordmodel import DOC_FREQ
from bot.textutil import squash_spaces

# "... - latest updates", "...: live updates", "... | live": a live-page tag, not the news.
_TRAILING_LIVE_RE = re.compile(
    r"(?i)\s*[:|\-–—]\s*(?:(?:the\s+)?latest(?:\s+(?:news|updates?))?|live(?:\s+(?:news|updates?|"
    r"blog|coverage))?|as it happened)\s*$"
)
_TRAILING_TAG_RE = re.compile(r"(?i)\s*[\[(](?:video|photos?|watch|live|updated?|opinion)[\])]\s*$")
# Tails and heads peeled per pass: a few suffice.
_MAX_SUFFIXES = 4


def clean_title(
    title: str, site_names: Sequence[str] = (), forms: Mapping[str, str] | None = None
) -> str:
    """A card headline from an outlet title; ``forms`` restores the case of a shouted title."""
    title = squash_spaces(title)
    # Labels, site names and live tags can wrap each other ("Reuters: WATCH: ... - live updates
    # | Site"): peel until nothing changes (each pass only shortens the title; a few suffice).
    for _ in range(_MAX_SUFFIXES):
        before = title
        title = LABEL_RE.sub("", title)
        title = strip_site_prefix(title, site_names)
        title = _TRAILING_TAG_RE.sub("", title)
        title = strip_site_suffix(title, site_names)
        title = _TRAILING_LIVE_RE.sub("", title)
        if title == before:
            break
    return headline_end(fix_shouting(title, forms))


_SHOUTED_PENALTY = 0.3
# A video, gallery or live page's title: the card's title links it, and a reader expects an
# article to read, so a text article's title as good as it, or nearly, heads the card instead.
_MEDIA_PAGE_PENALTY = 0.3


# Rare words two titles share to be about one event (as the TL;DR's retelling check counts them).
_EVENT_RARE_WORDS = 2


def _one_event(a: Sequence[str], b: Sequence[str]) -> bool:
    return sum(1 for s in set(a) & set(b) if DOC_FREQ.get(s, 0) <= RARE_DOCS) >= _EVENT_RARE_WORDS


def choose_headline(
    articles: Sequence[Article], probs: dict[str, float] | None = None
) -> tuple[str, int]:
    """The best cleaned title and the index of the article it came from.

    Titles are scored by how much of the shared story vocabulary they use (consensus words are the
    neutral core), minus penalties for questions, clickbait, shouting, quote-led headlines and
    a video, gallery or live page's title (`media_pages`: the card's title links the article).
    A clickbait title is only used when every title is clickbait. A development two outlets
    reported after the best title's (`developments`) heads the card with its best title instead.
    """
    sites = [a.source for a in articles]
    # Only computed when needed: most clusters have no shouted title. A title shouting in runs
    # teaches nothing either: its "CITY COUNCIL" would pass for how the story writes the words.
    forms: dict[str, str] | None = None
    loud = [is_shouted(a.title) or bool(shouted_runs(a.title)) for a in articles]
    if any(loud):
        forms = case_forms(
            [
                text
                for article, shouts in zip(articles, loud, strict=True)
                for text in ((article.text,) if shouts else (article.title, article.text))
            ]
        )
        loud = [is_shouted(a.title) or bool(shouted_runs(a.title, forms)) for a in articles]
    scored: list[tuple[float, str, int]] = []
    cleaned_titles = [
        (index, cleaned)
        for index, article in enumerate(articles)
        if content_stems(cleaned := clean_title(article.title, sites, forms))
    ]
    # Clickbait is ruled out, not just marked down, whenever any other title is usable: a short
    # plain title beats "You won't believe ..." however much story vocabulary the bait uses.
    if any(not CLICKBAIT_RE.search(cleaned) for _, cleaned in cleaned_titles):
        cleaned_titles = [(i, c) for i, c in cleaned_titles if not CLICKBAIT_RE.search(c)]
    # So is a question or an explainer ("Where is ...?", "What the vote means for ..."): a card
    # headline says what happened, which another outlet's title does when it tells this story.
    cleaned_titles = reporting_titles(cleaned_titles, articles)
    # An announcement ("X and Y to hold talks in Tarn") is out of date once another outlet's
    # title reports that event: the card says what happened, not what was to happen.
    reports = [content_stems(c) for _, c in cleaned_titles if not previews(c)]
    cleaned_titles = [
        (i, c)
        for i, c in cleaned_titles
        if not previews(c) or not any(_one_event(content_stems(c), r) for r in reports)
    ]
    media = [is_media_page(a) for a in articles]
    for index, cleaned in cleaned_titles:
        stems = content_stems(cleaned)
        if probs:
            score = sum(probs.get(s, 0.0) for s in set(stems)) / (len(set(stems)) ** 0.5)
        else:
            score = float(len(set(stems)))
        # A recased shouted title is only as good as the case guessed for it: a title that never
        # shouted is the safer headline when it tells the story as well.
        bad = badness(cleaned) + (_SHOUTED_PENALTY if loud[index] else 0.0)
        if media[index]:
            bad += _MEDIA_PAGE_PENALTY
        score *= 1.0 - min(0.9, bad)
        scored.append((score, cleaned, index))
    if scored:
        _score, best, index = best_title(scored)
        # Reports told later that the story moved on (the strike ended), by two outlets: the
        # card does not head them with the state they superseded ("union rejects talks").
        newer = newest_development(articles, outlet_names(articles), index)
        if any(i in newer for _, _, i in scored):
            _score, best, index = best_title([item for item in scored if item[2] in newer])
        return best, index
    # No usable title: fall back to the start of the first text; a teaser cut too short for a
    # clean end only when no text gives better, but kept rather than lost.
    for short_ok in (False, True):
        for index, article in enumerate(articles):
            headline = headline_from_text(article.text, short_ok)
            if headline:
                return _unshouted(headline, articles), index
    return "Untitled story", 0


def _unshouted(headline: str, articles: Sequence[Article]) -> str:
    """`headline`, from a body text that shouts ("THE COUNCIL VOTED TO CLOSE THE QUAY"), in the
    case the story's other texts give its words, as a shouted title is: a headline never shouts."""
    if not is_shouted(headline) and not shouted_runs(headline):
        return headline
    forms = case_forms([text for a in articles for text in (a.title, a.text)])
    return fix_shouting(headline, forms)
