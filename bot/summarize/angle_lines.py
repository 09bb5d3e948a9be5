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
from bot.summarize.clauses import (
    SUBORDINATORS,
    VERB_WORDS,
    clause_prefixes,
    cut_to_words,
    has_verb,
    is_clause,
    opens_time_phrase,
)
from bot.summarize.compress import compress, variants
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.sentences import content_stems
from bot.textutil import STOPWORDS


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
        if n_words > LINE_MAX_WORDS or (key and key not in form) or _broken(full, form):
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
    if cut and len(cut.split()) <= LINE_MAX_WORDS and key in cut and not _broken(full, cut):
        return _drop_stop(cut)
    # The whole sentence is one, whatever the verb cues say ("rebuilt" is none of them).
    if len(full.split()) <= LINE_MAX_WORDS and not (has_open_quote(full) or _stray_closing(full)):
        return _drop_stop(full)
    # Nothing shorter reads as a thought of its own: cut at a word, the line ended on "from Hong
    # Kong to Buenos…" or "in the…", and a window from the middle opened on someone's closing
    # quotation mark. "" lets the outlet's next detail have the line.
    return ""


def _broken(full: str, form: str) -> bool:
    """Whether `form`, a form of the sentence `full`, is no sentence of its own: an aside or
    quotation left open, no verb, or a cut at a comma that ends no clause."""
    return has_open_quote(form) or _stray_closing(form) or _unfinished(form) or _torn(full, form)


# Closing double marks: one before any opening mark means the form starts inside a quotation.
_CLOSING = "”»"
_OPENING = "“«"


def _stray_closing(form: str) -> bool:
    """Whether `form` closes a quotation it never opened ("…objective,” said ..."): it starts
    inside someone's words, which a line would then pass off as the outlet's."""
    depth = 0
    for ch in form:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth -= 1
            if depth < 0:
                return True
    return False


# After a comma, a word like these goes on with a clause, not with the noun phrase before it.
_CLAUSE_GOES_ON = frozenset("who whom whose which where when while whereas as but and or".split())


def _torn(full: str, form: str) -> bool:
    """Whether `form` is `full` cut at a comma that ends no clause: inside a list of words ("to
    represent the glittery, gritty ..."), between a place and its country ("held in Chamonix,
    France"), or after an opening phrase whose main clause never comes ("In the century since
    they were first held in Chamonix, France.")."""
    head = form.removesuffix(".").rstrip()
    if head == full.removesuffix(".").rstrip() or not full.startswith(head):
        return False
    opener, comma, rest = head.partition(", ")
    first = opener.split()[0].casefold().strip("\"“‘'") if opener.split() else ""
    if comma and (first in SUBORDINATORS or opens_time_phrase(opener)) and not has_verb([rest]):
        return True
    tail = full[len(head) :]
    if not tail.startswith(", "):
        return False
    last = head.split()[-1].strip("\"“”‘’'")
    following = tail[2:].split()
    if not following or not last:
        return False
    nxt = following[0]
    bare = nxt.strip(",.;:\"“”‘’'")
    if not bare:
        return False
    if last[:1].isupper() and bare[:1].isupper():
        # "Chamonix, France," or "Chamonix, France.": the comma sits inside a place's name.
        return nxt.endswith((",", ".")) or len(following) == 1
    low = bare.casefold()
    if not all(w.replace("-", "").isalpha() and w.islower() for w in (last, bare)):
        return False
    if last.casefold() in STOPWORDS or low in STOPWORDS or low in _CLAUSE_GOES_ON:
        return False
    # A verb, a participle or an adverb after the comma opens a clause; another plain word goes
    # on with a list or the noun phrase the cut tore.
    return not (low in VERB_WORDS or low.endswith(("ing", "ed", "ly")))


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
