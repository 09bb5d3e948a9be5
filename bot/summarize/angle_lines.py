"""An angle's line: a short framing of what the outlet adds, then the detail in its own words.

The detail is a complete form of the outlet's sentence (the TL;DR compressor's forms, or the
sentence cut at a clause boundary): it starts where the sentence starts and ends where a thought
ends, so the line is attributable to the outlet and reads as a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import Article
from bot.summarize.angle_facts import is_telling_name
from bot.summarize.asides import has_open_quote
from bot.summarize.clauses import clause_prefixes, cut_to_words, is_clause
from bot.summarize.compress import compress, variants
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.quotes import verbatim_quote
from bot.summarize.sentences import content_stems


def stem_of(word: str) -> str:
    stems = content_stems(word)
    return stems[0] if stems else ""


def _join(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# A line should read at a glance: the detail, not the whole sentence again.
LINE_MAX_WORDS = 24


def _detail(sentence: str, focus: Sequence[str], key: str = "") -> str:
    """A short complete form of `sentence` keeping `key` and most of the outlet's novel words.

    Forms come from the TL;DR compressor, so they start where the sentence starts (no line
    opening mid-clause, "said the town's...") and end at a clause boundary (no "used to make.").
    The shortest form that keeps the key detail and 60% of what the fullest form keeps wins: the
    quote below the line carries the rest.
    """
    focus_set = {stem_of(f) for f in focus} - {""}
    full = compress(sentence)
    forms = [full, *variants(full), *clause_prefixes(full, LINE_MAX_WORDS, 5)]
    scored: list[tuple[int, int, str]] = []
    for form in dict.fromkeys(forms):
        n_words = len(form.split())
        if n_words > LINE_MAX_WORDS or has_open_quote(form) or (key and key not in form):
            continue
        if _unfinished(form):
            continue
        scored.append((len(focus_set & set(content_stems(form))), n_words, form))
    if scored:
        need = 0.6 * max(kept for kept, _, _ in scored)
        return _drop_stop(min((n, form) for kept, n, form in scored if kept >= need)[1])
    # No clean short form: the sentence up to its last clause boundary that fits, if that keeps
    # the key (cut before it, the line is only the story's setting: the TL;DR again). A key the
    # compressor dropped with an aside ("(R-Ky.)") was no detail worth the line.
    key = key if key in full else ""
    cut = cut_to_words(full, LINE_MAX_WORDS, 5)
    if cut and len(cut.split()) <= LINE_MAX_WORDS and not _unfinished(cut) and key in cut:
        return _drop_stop(cut)
    line = _cut_at_word(full)
    if key in line:
        return line
    # The key lies past a line's length from the start: the clause that holds it, cut where a
    # quote would be; with no such window, "" drops the pick.
    window = verbatim_quote(full, full, key.split()[-1:])
    return _drop_stop(window) if key in window else ""


_DASH_RE = re.compile(r"\s[—–-]\s|\s[—–]|[—–]\s")


def _unfinished(form: str) -> bool:
    """Whether a cut form stops inside a dash or bracket aside ("said the group — which included
    five"), or is a subject and its appositive with no verb ("Joe Manchin, a West Virginia
    Democrat"): the full sentence said something, the form does not."""
    if len(_DASH_RE.findall(form)) % 2 or form.count("(") > form.count(")"):
        return True
    return not is_clause(form)


def _drop_stop(text: str) -> str:
    """`text` without its one closing full stop (the line adds its own); an ellipsis or the dot
    of "U.S." stays whole, since `angle_line` will not add a second mark after them."""
    if text.endswith(".") and not text.endswith(".."):
        return text[:-1]
    return text


def _cut_at_word(text: str) -> str:
    """`text` cut to LINE_MAX_WORDS words with an ellipsis.

    The line describes the outlet's detail rather than quoting it, so a visible cut is honest; a
    whole 50-word sentence is not a line anyone reads at a glance.
    """
    words = text.split()
    if len(words) <= LINE_MAX_WORDS:
        return _drop_stop(text)
    head = " ".join(words[:LINE_MAX_WORDS]).rstrip(",;:—–-(\"“‘'«")
    return f"{head}{ELLIPSIS}"


def angle_line(
    sentence: str,
    article: Article,
    names: Sequence[str],
    numbers: Sequence[str],
    novel_words: Sequence[str],
) -> str:
    """A short framing of what the outlet adds (`names` and `numbers` are the sentence's own,
    `novel_words` the words no other outlet uses), then the detail in the outlet's own words."""
    key = numbers[0] if numbers else names[0] if names else ""
    detail = _detail(sentence, novel_words, key)
    if not detail:
        return ""
    # A detail ending on its own mark ("…", "?", 'lamps!"') would read "?." with a stop added.
    end = "" if detail.rstrip("\"'”’)]").endswith((ELLIPSIS, "..", ".", "?", "!")) else "."
    if numbers and any(n in detail for n in numbers):
        return f"Puts a figure on it: {detail}{end}"
    # Each name is looked for in the outlet's whole text (`is_telling_name`): a hostile text of
    # thousands of names glued into one word ("REUTERS/REUTERS/...") cost half a minute of CPU
    # an angle. A real detail names a handful; only the first two telling ones are shown.
    names = list(dict.fromkeys(n for n in names if n in detail))[:MAX_NAMES_WEIGHED]
    # "Names Mara Quinn: Chief executive Mara Quinn said ..." says the name twice: when the
    # detail opens with the name, the framing need not repeat it.
    opening = len(" ".join(detail.split()[:4]))
    named = [n for n in names if is_telling_name(n, article)]
    if named and not any(detail.find(n) < opening for n in names):
        return f"Names {_join(named[:2])}: {detail}{end}"
    if names and _SPEECH_RE.search(detail):
        return f"Adds a voice: {detail}{end}"
    return f"Adds a detail the others lack: {detail}{end}"


_SPEECH_RE = re.compile(r"\b(?:said|says|told|argued|warned|wrote|added)\b")
# Names of a detail weighed for its framing, at most (see `angle_line`).
MAX_NAMES_WEIGHED = 12
