"""The card headline: the most representative source title, cleaned up.

A title is picked rather than written so the headline is always something an outlet actually
published; cleanup then removes what makes titles bad card headlines: site suffixes
(`site_names`), shouting, clickbait framing and "WATCH:"-style labels. A story with no usable
title takes its first sentence of reporting instead, in the case the story writes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.boilerplate import (
    is_boilerplate,
    is_caption,
    is_credit,
    is_page_furniture,
    page_furniture_end,
)
from bot.models import Article
from bot.summarize.casing import case_forms, fix_shouting, is_shouted, shouted_runs
from bot.summarize.clauses import MID_CUT_ENDINGS, clause_prefixes
from bot.summarize.datelines import without_dateline
from bot.summarize.explainers import RARE_DOCS, reporting_titles
from bot.summarize.finite_verbs import is_clause
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.introduced import previews
from bot.summarize.media_pages import is_media_page
from bot.summarize.quote_marks import open_quotes
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.site_names import strip_site_prefix, strip_site_suffix
from bot.summarize.title_tone import CLICKBAIT_RE, badness
from bot.summarize.wordmodel import DOC_FREQ
from bot.textutil import QUOTATION_PAIRS, squash_spaces

_LABEL_WORDS = (
    r"(?:breaking(?: news)?|watch|video|live(?: updates)?|update[d]?|exclusive|opinion|"
    r"analysis|editorial|just in|developing|photos?|listen|explainer|fact check)"
)
# Labels can stack ("WATCH LIVE:", "BREAKING: LIVE:"); the run before the separator goes at once.
_LABEL_RE = re.compile(rf"(?i)^{_LABEL_WORDS}(?:\s+{_LABEL_WORDS})*\s*[:|\-–—]\s*")
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
        title = _LABEL_RE.sub("", title)
        title = strip_site_prefix(title, site_names)
        title = _TRAILING_TAG_RE.sub("", title)
        title = strip_site_suffix(title, site_names)
        title = _TRAILING_LIVE_RE.sub("", title)
        if title == before:
            break
    return _headline_end(fix_shouting(title, forms))


def _headline_end(title: str) -> str:
    title = title.rstrip(" !").strip()
    # A final full stop is not headline style, but the dot of "U.S." is part of the word.
    if title.endswith(".") and not re.search(r"(?:^|\s)(?:[^\W\d_]\.)+$", title):
        title = title[:-1].rstrip()
    return _tone_down(title)


# "?!" and "!?" ask; a run of "!" only shouts. A single "!" inside the title is kept: it is
# part of a name ("Yahoo! Japan", "Jeopardy! host") or of text quoted as it is ("<!channel>",
# which the renderers escape).
_INTERROBANG_RE = re.compile(r"\?!+|!+\?")
_BANGS_RE = re.compile(r"\s*!{2,}")


def _tone_down(title: str) -> str:
    """`title` without clickbait emphasis: runs of "!" and a trailing "!" go, "?!" becomes "?"."""
    if "!" not in title:
        return title
    title = _BANGS_RE.sub("", _INTERROBANG_RE.sub("?", title))
    return title.rstrip(" !").strip()


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
    A clickbait title is only used when every title is clickbait.
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
    best: tuple[float, str, int] | None = None
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
        if best is None or score > best[0]:
            best = (score, cleaned, index)
    if best is not None:
        return best[1], best[2]
    # No usable title: fall back to the start of the first text; a teaser cut too short for a
    # clean end only when no text gives better, but kept rather than lost.
    for short_ok in (False, True):
        for index, article in enumerate(articles):
            headline = _headline_from_text(article.text, short_ok)
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


# A headline made from body text: as long as a title may run before `title_tone.badness` marks it down.
TEXT_HEADLINE_MAX_WORDS = 16
# Sentences looked at for one that is not a credit or boilerplate: a caption comes first at most.
_TEXT_HEADLINE_SENTENCES = 4
# A clause cut without a verb of its own reads as a headline only when it says this much.
_VERBLESS_CUT_WORDS = 10
# "Jane Roe/Tide Agency" heading a part after " | ": a caption's credit (photographer/agency),
# which `is_credit` only knows after a label or from a few agencies' own spelling.
_SLASH_CREDIT_RE = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s?/\s?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\W*$"
)


def _headline_from_text(text: str, short_ok: bool = True) -> str:
    """The first sentence of `text` that is reporting, as a headline.

    Whole when short enough; else cut at its last clause boundary that fits, or at a word with
    a visible ellipsis. A teaser its feed cut off ("... is suing President...") is cut before
    the cut, or gives way to the next sentence. A fixed count of words cut "...approved on
    Tuesday a plan" mid-phrase and took in a caption's "Photo: Harbor Times staff." or
    "REUTERS/Jonathan Ernst". The text keeps its own case: only a title shouts, and its
    dateline, which does, is left out. With `short_ok`, a teaser too short to cut cleanly ("Fire
    hits the harbour...") is kept whole when no later sentence serves, never lost.
    """
    short = ""
    # Split before spaces are squashed: a title line above the text ends at its paragraph break,
    # not in the first sentence ("Songs Remixed: Listen to 7 of the Best The rap world ...").
    text = _joined_drop_cap(text)
    found = split_sentences(text, _TEXT_HEADLINE_SENTENCES)
    sentences = [squash_spaces(s) for s in found]
    reporting = [
        part
        for raw, sentence in zip(found, sentences, strict=True)
        if not _captioned(raw, text) and not sentence.endswith((",", ":"))
        for part in _bar_parts(sentence)
    ]
    # With no reporting, the first sentence, whatever it is, only as the last resort: another
    # text's reporting first (`choose_headline` asks with `short_ok` last).
    for sentence in reporting or [without_dateline(s) for s in sentences[:1] if short_ok]:
        words = sentence.split()
        if not words:
            continue
        cut_off = _TEASER_CUT_RE.search(sentence)
        if cut_off is not None:
            # A teaser the feed cut ("... is suing President...") ends on a word its cut may
            # have fallen in or after: the headline ends before it, or the next sentence serves.
            teaser = _teaser_headline(sentence[: cut_off.start()])
            if teaser:
                return teaser
            if short_ok and not short:
                short = _short_teaser(sentence[: cut_off.start()])
            continue
        if len(words) <= TEXT_HEADLINE_MAX_WORDS:
            return balanced_cut(_finish(sentence), "")
        for cut in clause_prefixes(sentence, TEXT_HEADLINE_MAX_WORDS, 5):
            n = len(cut.split())
            if (is_clause(cut) or n >= _VERBLESS_CUT_WORDS) and not _in_name(words, n):
                return balanced_cut(_finish(cut), ELLIPSIS)
        return balanced_cut(_finish(_word_cut(words)), ELLIPSIS)
    return short


# A drop cap set apart from its word ("T he most likely ...", "T\n\nhe ..."): any letter but
# the words "A" and "I", before a lowercase run.
_DROP_CAP_RE = re.compile(r"^(\W*)([B-HJ-Z])\s+(?=[a-z]+\b)")


def _joined_drop_cap(text: str) -> str:
    return _DROP_CAP_RE.sub(r"\1\2", text.lstrip(), count=1)


def _captioned(sentence: str, text: str) -> bool:
    """Whether `sentence` of `text` is a picture's caption: a credit follows it on its line ("...
    on September 20, 2005. Jane Roe/Tide Agency", "... on August 11th. Photo: Jane Roe")."""
    at = text.find(sentence)
    if at < 0:
        return False
    rest = text[at + len(sentence) :].split("\n", 1)[0].strip()
    return bool(rest) and (
        is_credit(rest) or _SLASH_CREDIT_RE.match(rest) is not None or is_page_furniture(rest)
    )


# The ellipsis a feed ends a cut teaser with, and the comma or dash it may follow.
_TEASER_CUT_RE = re.compile(r"[\s,;:—–-]*(?:\.\.\.|…)[\s.…]*$")
# A teaser's headline keeps at least this many words, or the next sentence serves.
_TEASER_MIN_WORDS = 4
# Looked through to the word a cut ends on: "(and" leads on as "and" does.
_QUOTES_AND_BRACKETS = "\"“”'‘’()[]"


def _teaser_headline(text: str) -> str:
    """A headline from a teaser's `text`, cut off by its feed where it ends: its last clean
    clause, else its words up to the one the cut left (which may be half of a name: "President"
    of "President Ola Berg"), ending on no word that leads on; "" when too little is left. The
    ellipsis shows the cut, once."""
    words = text.split()
    for cut in clause_prefixes(text, TEXT_HEADLINE_MAX_WORDS, _TEASER_MIN_WORDS):
        if is_clause(cut) and not _in_name(words, len(cut.split())):
            return balanced_cut(_finish(cut), ELLIPSIS)
    for n in range(min(len(words) - 1, TEXT_HEADLINE_MAX_WORDS), _TEASER_MIN_WORDS - 1, -1):
        if not _dangles(words[n - 1]) and not _in_name(words, n):
            return _with_cut(" ".join(words[:n]))
    return ""


def _short_teaser(text: str) -> str:
    """A teaser too short for `_teaser_headline`: all its words up to the feed's cut, less a last
    word that leads on ("Harbour officials praised "the") while two words remain."""
    words = text.split()
    n = len(words)
    while n > 2 and _dangles(words[n - 1]):
        n -= 1
    return _with_cut(" ".join(words[:n]))


def _dangles(word: str) -> bool:
    """Whether a cut after `word` leaves a phrase hanging: a word that leads on ("the", "(and"),
    a bare dash or quote, or a comma's pause."""
    bare = word.strip(_QUOTES_AND_BRACKETS)
    return (
        word.endswith((",", ";", ":"))
        or not bare.strip("—–-")
        or bare.casefold() in MID_CUT_ENDINGS
    )


def _with_cut(text: str) -> str:
    """`text` as a headline the feed's cut ends: one ellipsis, after no dash, comma or opening
    bracket, and no quotation left open; "" when nothing is left."""
    return balanced_cut(_finish(text).rstrip(" ,;:—–-(“[‘"), ELLIPSIS)


def _bar_parts(sentence: str) -> list[str]:
    """The parts of `sentence` that are reporting, split at " | ", each without a label or a
    dateline. The splitter leaves a caption glued to its credit ("... on Sunday night. | Jane
    Roe/Tide Agency Crowds ...") or a page's "PHILADELPHIA | PHILADELPHIA (Reuters) - Eight
    people ..." as one sentence: a credit goes, and a part that is no clause when another is."""
    # Credits are told before labels go: "Photo: Jane Roe" is one by its label.
    # A page's buttons glued before its first words ("SHARE COPY LINK Judge ...") go; a part
    # that is all furniture, a caption or a player's message, is no headline.
    sentence = sentence[page_furniture_end(sentence) :]
    parts = [
        p
        for p in sentence.split(" | ")
        if not is_boilerplate(p)
        and not is_credit(p)
        and not is_caption(p)
        and not is_page_furniture(p)
    ]
    if len(parts) > 1:
        parts = [p for p in parts if not _SLASH_CREDIT_RE.match(p.strip())]
    parts = [without_dateline(_LABEL_RE.sub("", p.strip())) for p in parts]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        parts = [p for p in parts if is_clause(p)] or parts
    return parts


def _in_name(words: Sequence[str], n: int) -> bool:
    """Whether a cut after `words[:n]` falls inside a run of capitalised words: "northern New"
    of New Mexico, "Portland," of "Portland, Maine"."""
    return 0 < n < len(words) and words[n - 1][:1].isupper() and words[n][:1].isupper()


def _word_cut(words: Sequence[str]) -> str:
    """The longest start of `words` within the limit that ends on neither a word that leaves a
    phrase hanging nor inside a name; the plain limit when every end does (a list of names)."""
    for n in range(TEXT_HEADLINE_MAX_WORDS, TEXT_HEADLINE_MAX_WORDS // 2, -1):
        last = words[n - 1].strip(",;:\"“”'‘’()").casefold()
        # "... as the meeting place | of the clan": what the last word takes is still to come.
        takes = n < len(words) and words[n].casefold() in ("of", "to")
        if last and last not in MID_CUT_ENDINGS and not takes and not _in_name(words, n):
            break
    else:
        n = TEXT_HEADLINE_MAX_WORDS
    return " ".join(words[:n]).rstrip(",;:—–-")


def _finish(text: str) -> str:
    """`text` from an article's body in headline style: no label, no final full stop or "!"s.
    Unlike `clean_title` it keeps the text's case: reporting does not shout."""
    return _headline_end(_LABEL_RE.sub("", text))


# Opening mark -> the mark that closes it in a headline.
_CLOSERS = {opener: closers[0] for opener, closers in QUOTATION_PAIRS.items()}
# A quotation a cut leaves open holding fewer words than this is cut off rather than closed...
_MIN_QUOTED_WORDS = 2
# ... and only when this many words are left before it ("Harbour minister…" says too little).
_MIN_WORDS_BEFORE = 3


def balanced_cut(head: str, ellipsis: str) -> str:
    """`head`, a headline cut short, with `ellipsis` after it and no quotation left open: closed
    after the ellipsis ("says 'we will not…'"), or cut before its mark when it would hold too few
    words and enough is left before it ("welcomed “the…" → "welcomed…"); "" when nothing is.
    A whole sentence (no `ellipsis`) whose quotation runs on into the next one keeps its words
    and has the quotation closed."""
    opens = open_quotes(head)
    if not opens:
        return f"{head}{ellipsis}" if head else ""
    first = opens[0]
    before = head[:first].split()
    # "said the 'final…" cut before its quotation would end on "the", which leads on.
    while before and before[-1].casefold() in MID_CUT_ENDINGS:
        before.pop()
    few = len(head[first + 1 :].split()) < _MIN_QUOTED_WORDS
    if ellipsis and few and len(before) >= _MIN_WORDS_BEFORE:
        return " ".join(before).rstrip(" ,;:—–-([{") + ellipsis
    closers = "".join(_CLOSERS[head[i]] for i in reversed(opens))
    return f"{head}{ellipsis}{closers}"
