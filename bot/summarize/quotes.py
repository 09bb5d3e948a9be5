"""An angle's quote: a short span of the outlet's own text, verbatim, that adds to the card.

The quote sits under the angle's line, which already says what the outlet adds; so it comes from
another of the outlet's sentences (`angles` ranks them), trimmed only at word boundaries, and it
is checked twice before it ships: word for word against the outlet's text, and against what the
card says above it. A quote telling the headline or a TL;DR bullet again ("The central bank kept
its main rate at 3.5%…" under "Central bank holds key rate at 3.5%", `told`) gives way to the next
one, unless a sentence of it gives a figure the card lacks and quotes well alone: then that
sentence is the quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.boilerplate import is_boilerplate, is_credit
from bot.models import Article
from bot.summarize.clause_ends import (
    in_comma_list,
    lacks_main_clause,
    list_comma,
)
from bot.summarize.clauses import clause_prefixes, clean_cut, leans_on_context
from bot.summarize.finite_verbs import has_verb, is_clause
from bot.summarize.grounding import ELLIPSIS, POSSESSIVE_RE, figures, is_verbatim
from bot.summarize.quote_cuts import PHRASE_OPENERS as PHRASE_OPENERS
from bot.summarize.quote_cuts import dangles as dangles
from bot.summarize.quote_cuts import inner_open, phrase_end
from bot.summarize.quote_marks import has_open_quote, open_quotes, stray_closings
from bot.summarize.signposts import without_signpost
from bot.summarize.told import Told, quote_sentences

QUOTE_MAX_WORDS = 24
# A window that would stop this few words short of its sentence's end shows the sentence to its
# end instead: an editor found 15 of 47 quotes cut at the end stopping 8 words or fewer before the
# full stop ("...a resurgence…" of "...a resurgence of coronavirus."), 8 of them 1-3 words short.
QUOTE_WHOLE_SLACK = 8
# So a sentence this long or shorter is quoted whole, and no quote is longer: a card line.
QUOTE_WHOLE_MAX_WORDS = QUOTE_MAX_WORDS + QUOTE_WHOLE_SLACK
_DEMONSTRATIVES = frozenset("that this these those".split())


def pick_quote(others: Iterable[tuple[float, str, Article, list[str]]], told: Told) -> str:
    """The first of `others` (the outlet's sentences besides its line's, best first, each with
    its article and novel words) that quotes verbatim and does not tell the card again; "" when
    none does (cards render an angle without a quote as the line alone)."""
    for _, sentence, article, focus in others:
        if is_boilerplate(sentence) or is_credit(sentence):
            continue
        quote = _opened(verbatim_quote(sentence, article.text, focus))
        if quote and _never_closes(quote):
            continue
        if quote and not told.retold_by(quote):
            return quote
        trimmed = _news_sentence(quote, article.text, told) if quote else ""
        if trimmed and not _never_closes(trimmed):
            return trimmed
    return ""


def _never_closes(quote: str) -> bool:
    """Whether `quote`, shown whole to its end, opens a quotation that never closes (“We will
    rebuild.): the speaker's words go on in the outlet's next sentence, so the card would show
    half a quotation as though it were all. A quote cut with an ellipsis owns up to its cut."""
    if quote.endswith(ELLIPSIS):
        return False
    return has_open_quote(quote.removeprefix(ELLIPSIS).lstrip(), whole=True)


def _news_sentence(quote: str, source_text: str, told: Told) -> str:
    """The sentence of `quote` (retold) that gives a figure the card lacks, as a quote of its
    own: a whole clause, still verbatim, that tells the card nothing again; "" when none does.
    One after the quote's first opens on an ellipsis, as a quote cut at its start does
    (`verbatim_quote`): the outlet's sentence began before it. Nor may one start inside a
    quotation or hold a mark that pairs with none: it would give part of someone's words as
    the outlet's, or leave the reader unsure whose words end where."""
    parts = quote_sentences(quote)
    if len(parts) < 2:
        return ""
    at = 0
    for n, part in enumerate(parts):
        start = quote.find(part, at)
        at = start + len(part)
        if open_quotes(quote[:start]) or _unpaired(part):
            continue
        part = _opened(part if n == 0 or part.startswith(ELLIPSIS) else f"{ELLIPSIS}{part}")
        body = part.replace(ELLIPSIS, " ").strip()
        if (
            len(body.split()) >= _MIN_REST_WORDS
            and figures(part) - told.figures
            and is_clause(body)
            and not told.retold_by(part)
            and is_verbatim(part, source_text)
        ):
            return part
    return ""


# A quote may open on these only with the conjunction dropped: "But he stopped short ..." reads
# as "…he stopped short ...", the ellipsis owning up to the cut.
_CONJUNCTIONS = frozenset("and but so yet".split())
# "So far, ...", "Yet another ...": no conjunction, the sentence opens there.
_NOT_CONJOINED = frozenset("far much many long another again".split())
_BE = frozenset("is was 's ’s has had will would".split())
# Fewer words than this after a dropped conjunction ("But not yet.") are a fragment.
_MIN_REST_WORDS = 5


def _opened(quote: str) -> str:
    """`quote` as it may open under an angle's line, or "" when it cannot stand alone.

    A personal pronoun ("He said ...", "Their lawyer ...") is how news quotes open: the line
    above names the outlet, and the quote is its reporting. What only points back at an unseen
    sentence ("That was ...", "It was the ...", "Also, ...") says nothing alone, and is dropped.
    """
    if not quote:
        return ""
    cut = quote.startswith(ELLIPSIS)
    body = quote.removeprefix(ELLIPSIS).lstrip()
    words = body.split(maxsplit=2)
    first = words[0].casefold().rstrip(",") if words else ""
    second = words[1].casefold().strip(",") if len(words) > 1 else ""
    if first in _CONJUNCTIONS and second not in _NOT_CONJOINED:
        body = body.split(maxsplit=1)[1].lstrip(", ") if len(words) > 1 else ""
        if len(body.split()) < _MIN_REST_WORDS:
            return ""
        cut = True
    if _points_back(body):
        return ""
    return f"{ELLIPSIS}{body}" if cut else body


def _points_back(text: str) -> bool:
    words = text.split(maxsplit=2)
    if not words:
        return True
    first = words[0].casefold().rstrip(",")
    second = words[1].casefold().strip(",") if len(words) > 1 else ""
    if first in _CONJUNCTIONS:
        return second not in _NOT_CONJOINED  # "But and ..." or a second conjunction
    if first in ("it", "it's", "it’s"):
        # "It was the first ...": the sentence before said what "it" is. "It said ..." is a
        # company or body speaking, and stays.
        if first == "it" and second not in _BE:
            return False
        rest = [w.casefold().strip(",;:") for w in text.split()[1:8]]
        return not _anticipates(rest if first == "it" else ["is", *rest])
    return first == "also" or (first in _DEMONSTRATIVES and leans_on_context(text))


# What may stand between "It" and its predicate in "It was not immediately clear whether ...".
_IT_AUXILIARIES = frozenset(
    """
    is was will would could can may might has had have be been remains remained seems seemed
    appears appeared become became becomes not still also now immediately already yet n't
    isn't wasn't won't hasn't
    """.split()
)
# What opens the clause an anticipatory "it" stands for: "It is hard to see how ...".
_EXTRAPOSED = frozenset("to that whether how for if why when what who where".split())
_PREDICATE_NOT = frozenset("the a an this that these those his her its their our one".split())
# "It is likely to ...", "It is set to ...": "it" is something said before, raised.
_RAISING = frozenset("likely unlikely set due going able about certain sure bound poised".split())


def _anticipates(words: Sequence[str]) -> bool:
    """Whether `words` (what follows "It", casefolded) make "it" stand for a clause still to
    come, so the sentence says what it means alone: "It is unclear whether ...", "It will take
    two years ...", "It's hard to ...". Not "It was the ...", "It was approved by ..."."""
    i = 0
    while i < len(words) and words[i] in _IT_AUXILIARIES:
        i += 1
    if i == 0 or i >= len(words) or words[i] in _PREDICATE_NOT:
        return False
    predicate = words[i]
    if predicate.rstrip(".") in ("take", "takes", "took"):
        return True  # "It will take three years to ...": a span of time, not a thing
    marker = next((w for w in words[i + 1 : i + 3] if w in _EXTRAPOSED), "")
    if not marker:
        return False
    # "It is expected to cost ...", "It is likely to ...": the thing expected came before.
    return marker != "to" or not (predicate.endswith("ed") or predicate in _RAISING)


def _bare(word: str) -> str:
    """A word as a focus is matched: no punctuation around it, no possessive ("Trump’s", and a
    plural's "the moorings’", which keeps its "s"), by grounding's one possessive pattern."""
    return POSSESSIVE_RE.sub("", word.strip(",.;:\"“”'"))


def verbatim_quote(sentence: str, source_text: str, focus: Sequence[str]) -> str:
    """A word-boundary window of `sentence` around its novel words, with ellipses where cut.
    A sentence of at most QUOTE_WHOLE_MAX_WORDS words is quoted whole, and a window that would
    stop at most QUOTE_WHOLE_SLACK words short of the end runs to it: a quote cut a few words
    before its full stop ("...fights a resurgence…") saves no space worth the lost ending.
    A list's marker or a transcript speaker's label opening it ("• ", "HOST: ") is no one's
    words: the window is chosen after it (`without_signpost`), still the outlet's text."""
    sentence = without_signpost(sentence)
    words = sentence.split()
    if len(words) <= QUOTE_WHOLE_MAX_WORDS:
        quote = sentence
    elif (start := _window_start(words, _first_focus(words, focus))) + QUOTE_MAX_WORDS + (
        QUOTE_WHOLE_SLACK
    ) >= len(words) and _opens_clean(words, start):
        quote = f"{ELLIPSIS}{' '.join(words[start:])}"
    else:
        first = _first_focus(words, focus)
        start = _window_start(words, first)
        window = words[start : start + QUOTE_MAX_WORDS]
        cut = start + QUOTE_MAX_WORDS < len(words)
        if cut:
            rest = words[start + len(window) :]
            ended = _clause_end(window, first - start, rest) or phrase_end(
                window, first - start, rest
            )
            if not ended:
                return ""
            window = ended
        quote = " ".join(window).rstrip(",;:—–-")
        if start > 0:
            quote = f"{ELLIPSIS}{quote}"
        if cut:
            quote = f"{quote}{ELLIPSIS}"
    # A quotation the window opened but never closes ("He ‘had a ringside seat ... for years…"),
    # or one closed that it never opened ("We are proud,” at the site." of a sentence opening
    # inside someone's words), leaves the reader unsure whose words end where.
    if _unpaired(quote):
        return ""
    # Belt and braces: never ship a quote that does not check out against the outlet's text.
    return quote if is_verbatim(quote, source_text) else ""


def _first_focus(words: Sequence[str], focus: Sequence[str]) -> int:
    focus_set = {_bare(f) for f in focus}
    return next((i for i, w in enumerate(words) if _bare(w) in focus_set), 0)


def _opens_clean(words: Sequence[str], start: int) -> bool:
    """Whether a quote of `words` from `start` to the end opens where a clause does: at a clause
    boundary `_window_start` found, not a few words back mid-phrase."""
    return start > 0 and (words[start - 1].endswith(_CLAUSE_END) or words[start - 1] in _DASHES)


def _clause_end(window: list[str], first: int, rest: Sequence[str]) -> list[str]:
    """`window` (cut before its sentence's end, `rest` the words the cut took) ended at its last
    clause boundary at or past word `first` where the words read as a whole thought; [] when no
    boundary does. Cut at a word, a quote said nothing ("...told the paper that he learned…") or
    held a condition without its consequence ("If he did decide to go to war, or even…")."""
    for i in range(len(window) - 1, first - 1, -1):
        word = window[i]
        dash = i + 1 < len(window) and window[i + 1] in _DASHES
        if not (word.endswith(_CLAUSE_END) or dash):
            continue
        head = " ".join(window[: i + 1]).rstrip(",;:—–- ")
        tail = " ".join([*window[i + 1 :], *rest])
        prior = window[i - 1] if i > 0 else ""
        if (
            word.endswith(",")
            and tail
            and (list_comma(word, tail.split()[0], prior) or in_comma_list(head, tail))
        ):
            continue
        # "... internal opposition but, in 1978": the comma closes an aside the conjunction
        # opened, and its clause is still to come.
        segments = head.split(", ")
        if len(segments) > 1 and segments[-2].split()[-1:] in _OPENS_ASIDE:
            continue
        # A quotation the window opens with may run past its end: renderers do not show its
        # mark hanging. One opened later must close inside.
        core = head.lstrip("\"“‘'")
        if is_clause(core) and clean_cut(core, tail) and not lacks_main_clause(core):
            return window[: i + 1]
    return []


def _unpaired(text: str) -> bool:
    """Whether `text` leaves a quotation open (but for one opening it, as `_inner_open`) or has a
    double closing mark that closes none ("... to build,” the council said" cut from its
    opening). A straight mark right after a digit is an inch mark ('the new 6.1" model'),
    not a quotation's."""
    if inner_open(text.replace(ELLIPSIS, " ").strip()):
        return True
    return bool(stray_closings(text))


_OPENS_ASIDE = [[w] for w in "but and or so yet while because although though".split()]
# A word ending like this closes a clause: the next one may open a quote.
_CLAUSE_END = (",", ";", ":")
_DASHES = frozenset("—–-")


def _window_start(words: Sequence[str], first: int) -> int:
    """Where a QUOTE_MAX_WORDS window over `words` that holds word `first` should start.

    At the sentence's start when that reaches `first`, else at the latest clause boundary that
    does, even if the window then runs short of the sentence's end: a window opened a fixed few
    words back starts mid-phrase ("…talks in the harbour office, the union ..."). Without such a
    boundary, a few words before `first`, as full a window as the sentence allows.
    """
    latest = len(words) - QUOTE_MAX_WORDS
    if first < QUOTE_MAX_WORDS:
        return 0
    for i in range(first, max(0, first - QUOTE_MAX_WORDS + 1) - 1, -1):
        if i > 0 and (words[i - 1].endswith(_CLAUSE_END) or words[i - 1] in _DASHES):
            return i
    return max(0, min(first - 4, latest))


# A teaser's clause prefix longer than this is windowed by the quote anyway.
_TEASER_MAX_WORDS = 40
# A teaser without a clean clause boundary is quoted up to its cut only when this long.
_TEASER_MIN_WORDS = 8


def teaser_quote(sentence: str) -> str:
    """A teaser cut's words for a quote, then an ellipsis: up to its last clean clause boundary,
    or else up to the cut, when that holds a clause of some length and does not end on a word
    that needs the next ("...the well-being of individuals and..." quotes to "individuals…");
    "" for a fragment ("The core...", "Lohmeier did not...")."""
    body = sentence.rstrip("\"'”“’)] .…")
    prefixes = clause_prefixes(body, _TEASER_MAX_WORDS, 6)
    if prefixes:
        head = prefixes[0]
        if not body.startswith(head):
            head = head[:-1]  # the full stop `clause_prefixes` gives a cut
        return f"{head.rstrip(',;:—–- ')}{ELLIPSIS}"
    words = body.split()
    while words and dangles(words[-1]):
        words.pop()
    head = " ".join(words).rstrip(",;:—–-\"“‘'( ")
    if len(words) < _TEASER_MIN_WORDS or not is_clause(head) or _open_clause(words):
        return ""
    # "Rates, or the share of owners who are behind on...": the verb is the relative clause's.
    before, relative, rest = head.rpartition(" who ")
    if relative and "," not in rest and not is_clause(before):
        return ""
    return f"{head}{ELLIPSIS}"


def _open_clause(words: list[str]) -> bool:
    """Whether `words` end in a that/whether/if clause with no verb yet ("... found that the
    harbour"): the teaser was cut before it said what was found."""
    for i in range(len(words) - 1, -1, -1):
        if words[i].casefold().strip(",;:\"“”'‘’(") in _OPENS_CLAUSE:
            return not has_verb([" ".join(words[i + 1 :])])
    return False


_OPENS_CLAUSE = frozenset("that whether if".split())
