"""An angle's line: the detail in the outlet's words, after a framing if one says what it adds.

The detail is a complete form of the outlet's sentence (the TL;DR compressor's forms, or the
sentence cut at a clause boundary): it starts where the sentence starts and ends where a thought
ends, so the line is attributable to the outlet and reads as a sentence. It never ends in "…":
109 of 1,360 lines on the dev clusters did, cut a few words short of what the sentence said.

Framings: "Puts a figure on it:", "Adds a voice:". Every other line is the detail alone: "Adds a
detail the others lack:" opened 902 of those 1,360 lines and said nothing the section's title
did not; "Names X:" framed only names the detail itself shows ("Names East Coast: ... the
country's East Coast"), so it said them twice, and is no longer written (`line_detail` still
reads it off lines stored before). A line also stands alone: one opening "That list ...", speaking as an unnamed "I", or an
exclamation no one is said to have made is refused, like a pronoun's (`line_alone`).

An outlet whose one detail has no form of a line's length and no cut gets, last of all, one
clause of it keeping its own figure or name, at most WHOLE_LINE_MAX_WORDS framed
(`_rescue_form`). Session 24 first allowed such clauses 45 words: 158 more angles on the dev
stories, but lines over 32 words rose from 157 to 263 and some retold a bullet in other words;
cut to one line, and dropped when mostly the card again (`angle_retold.mostly_told`), 37 remain.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from bot.models import Article
from bot.summarize.angle_cuts import (
    LINE_MAX_WORDS,
    LONG_LINE_MAX_WORDS,
    PHRASE_MIN_FOCUS,
    WHOLE_LINE_MAX_WORDS,
    _phrase_cut,
    _quote_broken,
    _unfinished,
    cut_inside,
)
from bot.summarize.angle_facts import key_figure_of_own
from bot.summarize.angle_subjects import is_uninformative
from bot.summarize.clause_ends import in_comma_list, lacks_main_clause, list_comma
from bot.summarize.clauses import clause_prefixes, cut_to_words
from bot.summarize.compress import compress, variants
from bot.summarize.finite_verbs import PUNCT, has_verb
from bot.summarize.framed_names import in_passing, quoted_name, whole_names
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.line_alone import SPEECH_RE, leans, mostly_quoted, quotes_words
from bot.summarize.sentences import content_stems, token_stems
from bot.summarize.telling_names import is_telling_name


def stem_of(word: str) -> str:
    stems = token_stems(word)
    return stems[0] if stems else ""


# The framings a line may open with, each saying what the detail adds; a detail that is only
# itself opens the line (see `angle_line`). NAMES_FRAMING is only read off stored lines.
FIGURE_FRAMING = "Puts a figure on it: "
VOICE_FRAMING = "Adds a voice: "
NAMES_FRAMING = "Names "
# The outlet's own title, when no sentence of its detail makes a line (`angles._title_line`).
TITLE_FRAMING = "Its headline: "
_FRAMING_RE = re.compile(
    rf"^(?:{re.escape(FIGURE_FRAMING)}|{re.escape(VOICE_FRAMING)}|{re.escape(TITLE_FRAMING)}"
    rf"|{NAMES_FRAMING}[^:]+?: )"
)


def line_detail(line: str) -> str:
    """The outlet's words of an angle `line`, without the framing it may open with."""
    return _FRAMING_RE.sub("", line, count=1)


def _detail(
    sentence: str,
    focus: Sequence[str],
    key: str = "",
    phrase_cut: bool = False,
    keep_focus: bool = False,
    long_whole: bool = False,
    last_resort: bool = False,
    rescue_words: int = 0,
    facts: Sequence[str] = (),
) -> str:
    """A short complete form of `sentence` keeping `key` and most of the outlet's novel words.

    Forms come from the TL;DR compressor, so they start where the sentence starts (no line
    opening mid-clause, "said the town's...") and end at a clause boundary (no "used to make.").
    The shortest form that keeps the key detail and 60% of what the fullest form keeps wins: the
    quote below the line carries the rest. With `phrase_cut` (when none of the outlet's details
    has such a form), a long sentence may be cut at the end of a phrase instead (`_phrase_cut`).
    With `keep_focus` (the sentence restates a bullet and `focus` is what it adds), a form must
    keep 60% of the focus words the sentence has, not of what its best form keeps. With
    `long_whole` (when no detail of the outlet has a phrase cut either), the whole sentence up
    to LONG_LINE_MAX_WORDS instead of any cut. With `last_resort` instead (when nothing else
    gave the outlet a line), the phrase cut may stop before an "of" or "to" phrase ("... gave
    the executive branch the power…"): that still carries the detail, where no line left the
    outlet with none. With `rescue_words` (when nothing else gave the outlet a line either),
    only `_rescue_form`'s clause of at most that many words keeping one of `facts`.
    """
    focus_set = {stem_of(f) for f in focus} - {""}
    # The compressor ends a sentence the source cut off with a stop: without it, it reads cut.
    full = compress(sentence).removesuffix(".") if _cut_off(sentence) else compress(sentence)
    if rescue_words:
        return _rescue_form(full, facts, focus_set, rescue_words, keep_focus)
    forms = [full, *variants(full), *clause_prefixes(full, LINE_MAX_WORDS, 5)]
    scored: list[tuple[int, int, str]] = []
    for form in dict.fromkeys(forms):
        n_words = len(form.split())
        if n_words > LINE_MAX_WORDS or (key and key not in form) or _broken(full, form):
            continue
        scored.append((len(focus_set & set(content_stems(form))), n_words, form))
    whole = len(focus_set & set(content_stems(full)))
    # The sentence restates a bullet and its focus is what it adds past it: when the compressor
    # dropped all of that (an attribution, ", first reported by the Harbour Post"), every form
    # left is the bullet again, word for word.
    if keep_focus and not whole:
        return ""
    if keep_focus:
        scored = [item for item in scored if item[0] >= PHRASE_MIN_FOCUS * whole]
    if scored:
        need = 0.6 * max(kept for kept, _, _ in scored)
        return _drop_stop(min((n, form) for kept, n, form in scored if kept >= need)[1])
    # No clean short form: the sentence up to its last clause boundary that fits, if that keeps
    # the key (cut before it, the line is only the story's setting: the TL;DR again). A key the
    # compressor dropped with an aside ("(R-Ky.)") was no detail worth the line.
    key = key if key in full else ""
    cut = cut_to_words(full, LINE_MAX_WORDS, 5)
    keeps = not keep_focus or len(focus_set & set(content_stems(cut or ""))) >= (
        PHRASE_MIN_FOCUS * whole
    )
    fits = bool(cut) and len((cut or "").split()) <= LINE_MAX_WORDS and key in (cut or "")
    if cut and fits and keeps and not _broken(full, cut):
        return _drop_stop(cut)
    # The whole sentence is one, whatever the verb cues say ("rebuilt" is none of them).
    if len(full.split()) <= LINE_MAX_WORDS and not (
        _quote_broken(full, whole=True) or _cut_off(full)
    ):
        return _drop_stop(full)
    # Nothing shorter reads as a thought of its own. Cut at the 24th word, the line ended on
    # "from Hong Kong to Buenos…" or "in the…", and a window from the middle opened on someone's
    # closing quotation mark: "" lets the outlet's next detail have the line, and only when none
    # has a whole form is the sentence cut where a phrase ends.
    if not phrase_cut:
        return ""
    # A whole sentence a little past the cap says more than any cut of it.
    if len(full.split()) <= WHOLE_LINE_MAX_WORDS and not _broken(full, full):
        return _drop_stop(full)
    if long_whole:
        whole_fits = len(full.split()) <= LONG_LINE_MAX_WORDS and not _broken(full, full)
        return _drop_stop(full) if whole_fits else ""
    # A cut ending in "…" leaves the reader the sentence's start and not what it came to say
    # ("... on Monday night, angered…"): the outlet's next detail, a whole one, or the outlet
    # listed under "Also reporting" instead. `_phrase_cut`'s whole sentence still serves.
    cut = _phrase_cut(full, key, focus_set, complements=last_resort)
    if not cut.endswith(ELLIPSIS):
        return cut
    # Where the cut was the outlet's last chance of a line: its sentence whole, or cut where a
    # clause ends, as long as an outlet's one long detail may be, in place of the cut. (With no
    # phrase cut at all, only `_rescue_form`'s shorter clause, in a pass of its own.)
    if last_resort:
        for form in (full, cut_to_words(full, LONG_LINE_MAX_WORDS, 5) or ""):
            fits = 0 < len(form.split()) <= LONG_LINE_MAX_WORDS and key in form
            if fits and not _broken(full, form):
                return _drop_stop(form)
    return ""


def _rescue_form(
    full: str, facts: Sequence[str], focus: set[str], max_words: int, keep_focus: bool
) -> str:
    """The outlet's line when every other way gave it none (`angle_line`'s `rescue`): the
    longest form of the sentence `full` of at most `max_words` (whole, the compressor's forms
    without an aside, or either cut where a clause ends) that keeps one of its `facts` (its own
    figures and names) or, with none, most of the `focus` stems the sentence has; "" when none
    does. A line is one line: rescues of up to 45 words retold a bullet in other words and made
    the card's angles a wall of text; and cut short of a clause that an aside interrupts, or
    inside a name ("in front of Washington, | D.C.'s Library"), it says something else."""
    shapes = [full, *variants(full)]
    forms = [*shapes, *(cut for shape in shapes for cut in clause_prefixes(shape, max_words, 5))]
    need = PHRASE_MIN_FOCUS * len(focus & set(content_stems(full)))
    if keep_focus and not need:
        return ""  # what it adds past the bullet it restates, the compressor dropped (`_detail`)
    fits = (f for f in dict.fromkeys(forms) if 0 < len(f.split()) <= max_words)
    for form in sorted(fits, key=lambda f: -len(f.split())):
        if _broken(full, form) or any(cut_inside(shape, form) for shape in shapes):
            continue
        # "After all, he faced ...": an opening phrase, then a pronoun the card never named;
        # refused here, the next form may still stand alone, where `angle_line` gives up.
        opening, _, rest = form.partition(", ")
        if leans(form) or (rest and len(opening.split()) <= _OPENING_MAX_WORDS and leans(rest)):
            continue
        # "..., but according to the CEO of the group.": the clause it opened never came.
        last = form.rsplit(", ", 1)[-1].split(maxsplit=1)
        if last and last[0] in _CLAUSE_OPENERS and not has_verb([" ".join(last[1:])]):
            continue
        kept = len(focus & set(content_stems(form))) >= need
        if (any(f in form for f in facts) if facts else need and kept) and (kept or not keep_focus):
            return _drop_stop(form)
    return ""


_CLAUSE_OPENERS = frozenset("but and or while whereas although though because".split())
# An opening phrase before a line's subject is this short ("After all,", "On Monday night,").
_OPENING_MAX_WORDS = 4


def _broken(full: str, form: str) -> bool:
    """Whether `form`, a form of the sentence `full`, is no sentence of its own: an aside or
    quotation left open, no verb, or a cut at a comma that ends no clause."""
    if _quote_broken(form, whole=form == full) or (form == full and _cut_off(full)):
        return True
    return _unfinished(form) or _torn(full, form)


def _cut_off(full: str) -> bool:
    """Whether the sentence itself stops on a word or a comma with no mark to end it: the
    source text cut off there ("... on Monday night, angered"), which a line's added stop would
    pass off as the outlet's whole sentence."""
    return full.rstrip().rstrip("\"'”’)]")[-1:].isalnum() or full.rstrip().endswith(",")


def _torn(full: str, form: str) -> bool:
    """Whether `form` is `full` cut at a comma that ends no clause: inside a list of words ("to
    represent the glittery, gritty ..."), between a place and its country ("held in Chamonix,
    France"), or after an opening phrase whose main clause never comes ("In the century since
    they were first held in Chamonix, France.")."""
    head = form.removesuffix(".").rstrip()
    if head == full.removesuffix(".").rstrip() or not full.startswith(head):
        return False
    if lacks_main_clause(head):
        return True
    tail = full[len(head) :]
    following = tail[2:].split(maxsplit=1)
    words = head.split()
    prior = words[-2] if len(words) > 1 else ""
    if not tail.startswith(", ") or not following:
        return False
    if _serial_item(head, following[0]):
        return True
    return list_comma(words[-1], following[0], prior) or in_comma_list(head + ",", tail[2:])


# A list item after its comma is this short ("schools" of "workplaces, schools, and ...").
_ITEM_MAX_WORDS = 3


def _serial_item(head: str, following: str) -> bool:
    """Whether `head` ends on a list's item before its serial comma's "and" or "or" ("... for
    reopening workplaces, schools | , and other venues"): a short item with no verb after a
    comma. Cut there, the line gives part of a list as though it were all of it."""
    if following.casefold() not in ("and", "or"):
        return False
    parts = head.rsplit(", ", 1)
    return len(parts) == 2 and len(parts[1].split()) <= _ITEM_MAX_WORDS and not has_verb([parts[1]])


def _drop_stop(text: str) -> str:
    """`text` without its one closing full stop (the line adds its own); an ellipsis or the dot
    of "U.S." stays whole, since `angle_line` will not add a second mark after them."""
    if text.endswith(".") and not text.endswith(".."):
        return text[:-1]
    return text


def angle_line(
    sentence: str,
    article: Article,
    names: Sequence[str],
    numbers: Sequence[str],
    novel_words: Sequence[str],
    phrase_cut: bool = False,
    keep_focus: bool = False,
    long_whole: bool = False,
    subjects: Container[str] = frozenset(),
    last_resort: bool = False,
    rescue: bool = False,
) -> str:
    """A short framing of what the outlet adds (`names` and `numbers` are the sentence's own,
    `novel_words` the words no other outlet uses), then the detail in the outlet's own words;
    `phrase_cut`, `keep_focus`, `long_whole` and `last_resort` as for `_detail`. `subjects` holds the names
    the story is about (its headline's, most of its articles'): naming one again is no
    addition, so no "Names ..." framing promises it. With `rescue` (when no other way gave the
    outlet a line), a clause of the detail keeping its figure or name, the line framed at most
    WHOLE_LINE_MAX_WORDS long (`_rescue_form`), else ""."""
    args = (sentence, article, names, numbers, novel_words, phrase_cut, keep_focus, long_whole)
    if not rescue:
        return _line(*args, subjects, last_resort)
    line = _line(*args, subjects, last_resort, RESCUE_MAX_WORDS)
    # The framing takes words of the line's length too: once more with the detail shorter.
    over = len(line.split()) - WHOLE_LINE_MAX_WORDS
    if over > 0:
        line = _line(*args, subjects, last_resort, RESCUE_MAX_WORDS - over)
    return line if len(line.split()) <= WHOLE_LINE_MAX_WORDS else ""


# The longest a rescued line may be, framing and all (`_rescue_form`): one line on the card,
# as long as a whole sentence shown instead of a cut one.
RESCUE_MAX_WORDS = WHOLE_LINE_MAX_WORDS


def _line(
    sentence: str,
    article: Article,
    names: Sequence[str],
    numbers: Sequence[str],
    novel_words: Sequence[str],
    phrase_cut: bool,
    keep_focus: bool,
    long_whole: bool,
    subjects: Container[str],
    last_resort: bool,
    rescue_words: int = 0,
) -> str:
    key = numbers[0] if numbers else names[0] if names else ""
    facts = [f for f in dict.fromkeys([key, *numbers, *names]) if f and f in sentence]
    detail = _detail(
        sentence,
        novel_words,
        key,
        phrase_cut,
        keep_focus,
        long_whole,
        last_resort,
        rescue_words,
        facts,
    )
    # A list's marker ("• In May, ...") is the page's layout, not the outlet's words.
    detail = _LIST_MARKER_RE.sub("", detail)
    # The form shown, not the sentence, must stand alone: the compressor drops an opening
    # "Still," or "However, " and leaves "he" first, pointing at someone the card never names.
    if not detail or leans(detail):
        return ""
    # A detail ending on its own mark ("…", "?", 'lamps!"') would read "?." with a stop added.
    end = "" if detail.rstrip("\"'”“’)]").endswith((ELLIPSIS, "..", ".", "?", "!")) else "."
    if key_figure_of_own(detail, numbers):
        return f"{FIGURE_FRAMING}{detail}{end}"
    # Each name is looked for in the outlet's whole text (`is_telling_name`): a hostile text of
    # thousands of names glued into one word ("REUTERS/REUTERS/...") cost half a minute of CPU
    # an angle. A real detail names a handful; only the first two telling ones are shown.
    names = list(dict.fromkeys(n for n in names if n in detail))[:MAX_NAMES_WEIGHED]
    # A detail opening on a name ("Chief executive Mara Quinn said ...") is that person's voice
    # when they speak in it (below), not a name the line is about.
    opening = len(" ".join(detail.split()[:4]))
    # Whole names first: "Commerce Committee" alone would pass where "the House Energy and
    # Commerce Committee" it belongs to was named in passing.
    named = [
        n
        for n in whole_names(names)
        if not is_uninformative(n)
        and n not in subjects
        and is_telling_name(n, article)
        and not in_passing(n, detail)
        and not quoted_name(n, detail)
    ]
    # "Names Solberg: “...,” Solberg said." promises a name where the line gives a voice.
    voiced = SPEECH_RE.search(detail) is not None and mostly_quoted(detail)
    # A telling name the line shows is the detail itself: "Names East Coast: ... the country's
    # East Coast" said it twice, and every name a framing could promise is one the detail shows
    # (7 of 55 reviewed cards). The line is the detail alone, as for "Adds a detail", and never
    # "Adds a voice:" for a name that is what it tells rather than who speaks.
    if named and not voiced and not any(detail.find(n) < opening for n in names):
        return f"{detail}{end}"
    # Someone's own words: a telling speaker the others do not name, or a quotation of a few
    # words ("“We did the best we could,” Bass said"), whoever says it. Any name with "said"
    # was no voice: "the news agency said rockets struck ..." near "Kabul" is a report.
    if SPEECH_RE.search(detail) and (named or quotes_words(detail)):
        return f"{VOICE_FRAMING}{detail}{end}"
    # Nothing the framing could say that the section's title ("What others are reporting") does
    # not: "Adds a detail the others lack:" opened seven lines in ten, so it told the reader
    # nothing, and the detail reads better alone.
    return f"{detail}{end}"


_LIST_MARKER_RE = re.compile(r"^[•·▪‣◦●■]\s*")
# Names of a detail weighed for its framing, at most (see `angle_line`).
MAX_NAMES_WEIGHED = 12


def repeats_bullet(line: str, bullets: Sequence[str]) -> bool:
    """Whether the angle `line`'s detail is a TL;DR bullet word for word, or the start of one:
    the card already says it. (A detail opening on a whole bullet and going on with a fact of
    its own, "..., weeks before the regatta opens on June 9", adds that fact.)"""
    detail = _bare_words(line_detail(line))
    if not detail:
        return False
    for bullet in bullets:
        told = _bare_words(bullet)
        if told[: len(detail)] == detail:
            return True
    return False


def _bare_words(text: str) -> list[str]:
    words = (w.strip(PUNCT) for w in text.replace(ELLIPSIS, " ").casefold().split())
    return [w for w in words if w]
