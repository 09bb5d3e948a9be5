"""An angle line's phrase cut: where a sentence too long for a line may stop with an ellipsis.

When no complete form of the outlet's sentence fits the line, the sentence is cut where a phrase
ends, before a preposition or a conjunction, and never where its last word waits for what the
cut leaves out (`phrase_ends`): the cut with the most words within `LINE_MAX_WORDS` that reads
as a thought wins, and when none does, the first one that does up to `WHOLE_LINE_MAX_WORDS`
keeps the words the last one needed ("... lined up…", not "... lined…").

No line shows such a cut any more (`angle_lines`): a reader took "…" a few words short of the
end for a sentence cut off. That a cut exists still says the sentence has a detail a line could
carry: the outlet's last chance of a line takes the sentence whole instead, up to 45 words.
"""

from __future__ import annotations

import re

from bot.summarize.clause_ends import lacks_main_clause, lone_subordinate, needs_next
from bot.summarize.clauses import clean_cut
from bot.summarize.finite_verbs import PUNCT, VERB_WORDS, has_verb, is_clause
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.phrase_ends import leaves_waiting
from bot.summarize.quote_marks import has_open_quote, stray_closings
from bot.summarize.quotes import PHRASE_OPENERS
from bot.summarize.quotes import dangles as _dangles
from bot.summarize.sentences import content_stems

# A line should read at a glance: the detail, not the whole sentence again.
LINE_MAX_WORDS = 24
# ... but a whole sentence up to this long beats a cut one, when no detail has a short form.
WHOLE_LINE_MAX_WORDS = 32
# ... and one up to this long, when no detail has a cut either: an outlet whose one detail is a
# long sentence ("..., including Moscow's aggression toward Ukraine, alleged cyberattacks ...
# and jailed dissident Alexei Navalny") still adds it, and "Also reporting" would say it does not.
LONG_LINE_MAX_WORDS = 45

# A phrase cut shorter than this says too little to be worth its ellipsis.
_PHRASE_MIN_WORDS = 10
# ... and one keeping less than this share of the sentence's novel words cut off its detail.
PHRASE_MIN_FOCUS = 0.6


# Words that lead on to an infinitive: "patients who are likely | to benefit".
_LEADS_TO = frozenset("likely unlikely able unable set due going about poised expected".split())
# A cut before these takes what a verb reports or asks ("admitted this week | that he ..."),
# or leaves a relative clause's noun waiting for it.
_REPORTS = frozenset("that whether if".split())


def _phrase_cut(full: str, key: str, focus: set[str], complements: bool = False) -> str:
    """`full` cut with an ellipsis at the last phrase end within LINE_MAX_WORDS words that keeps
    `key`, or with no key most of the `focus` stems the sentence has: before a preposition or a
    conjunction, never on a function word or inside a name ("Bulgarian dissident Georgi…"), a
    quotation or an aside, nor on a word waiting for what follows (`leaves_waiting`); "" when
    there is none. Before an "of" or "to" phrase only with `complements` (`_wants_complement`).
    When only a waiting word's cut fitted, the first cut past it up to WHOLE_LINE_MAX_WORDS
    keeps what it waited for ("... on Monday lined up to call out…"), or with none the whole
    sentence up to LONG_LINE_MAX_WORDS."""
    words = full.split()
    need = PHRASE_MIN_FOCUS * len(focus & set(content_stems(full)))
    waited = False
    for end in range(min(LINE_MAX_WORDS, len(words) - 1), _PHRASE_MIN_WORDS - 1, -1):
        head = _phrase_head(words, end, key, complements)
        if head is _WAITING:
            waited = True
        elif head:
            # A cut keeping the key (the name or figure the outlet alone gives) keeps its detail.
            if not key and len(focus & set(content_stems(head))) < need:
                break  # shorter cuts keep no more of it
            return f"{head}{ELLIPSIS}"
    if not waited:
        return ""
    for end in range(LINE_MAX_WORDS + 1, min(WHOLE_LINE_MAX_WORDS, len(words) - 1) + 1):
        head = _phrase_head(words, end, key, complements)
        if head and head is not _WAITING and (key or len(focus & set(content_stems(head))) >= need):
            return f"{head}{ELLIPSIS}"
    # No cut keeps it: the whole sentence, as long as an outlet's one long detail may be.
    ends = _SENTENCE_END_RE.search(full) is not None  # not on a cut, nor a note's "[2]."
    if ends and len(words) <= LONG_LINE_MAX_WORDS and not _quote_broken(full, whole=True):
        return "" if _unfinished(full) else full.removesuffix(".")
    return ""


# A sentence's last word and its stop, a closing quotation mark or bracket between them.
_SENTENCE_END_RE = re.compile(r"[\w%][\"'”’)]*[.!?][\"'”’]*$")
# `_phrase_head`'s answer for a cut refused only for its last word waiting for the next.
_WAITING = "\0waiting"


def _phrase_head(words: list[str], end: int, key: str, complements: bool) -> str:
    """`words` up to `end` when a phrase cut there reads as a thought, `_WAITING` when it would
    but for a last word waiting for the next (`leaves_waiting`), else ""."""
    last, nxt = words[end - 1], words[end]
    if nxt.casefold() not in PHRASE_OPENERS or _dangles(last):
        return ""
    if last[:1].isupper() and words[end + 1 : end + 2] and words[end + 1][:1].isupper():
        return ""  # "the University | of Pell": inside a name
    if last[-1:] in ",;:" or last in ("—", "–", "-"):
        return ""  # a clause boundary there was already weighed as one, and refused
    if needs_next(words[:end], nxt) or (
        _wants_complement(last, nxt) and not (complements and nxt.casefold() in ("of", "to"))
    ):
        return ""  # "... has been hosted | by 21 cities", "... much larger | than ..."
    head = " ".join(words[:end])
    if key not in head or _quote_broken(head):
        return ""
    if nxt.casefold() in _REPORTS or len(head.rsplit(", ", 1)[-1].split()) <= 2:
        return ""  # "... admitted this week | that ...", "... on Monday, days | after ..."
    if _unfinished(head) or lacks_main_clause(head) or lone_subordinate(head):
        return ""
    # The checks a clause-boundary cut passes: no report without its content ("said that
    # the type | of ..."), no lone subordinate clause, no accusation left stated as fact.
    if not clean_cut(head, " ".join(words[end:])):
        return ""
    reported = head.rsplit(" that ", 1)
    if len(reported) == 2 and not has_verb([reported[1]]):
        return ""  # "... told the paper that the war is over and that the type | of ..."
    if last.casefold() in _LEADS_TO:
        return ""
    if leaves_waiting(words[:end], nxt, words[end + 1 :]):
        return _WAITING  # "... lined | up", "... could detract | from", "... a sleepy | and"
    return head


# Words whose "to" or "for" is their complement, not a phrase of its own: "with regard | to the
# panel", "disputes related | to the vote", "due | to the storm".
_COMPLEMENT_HEADS = frozenset("regard respect related relating due according prior thanks".split())


def _wants_complement(last: str, nxt: str) -> bool:
    """Whether a cut between `last` and `nxt` leaves `last` waiting for what it takes: an "of"
    phrase ("the rest | of the world", "in the process | of certifying") or an infinitive ("failed
    | to stop", "the power | to grant") always, a "for" after a verb form ("accounting | for 40
    million") or after "regard", "related" or "due". Cut there, the line stops before it says
    what: a "to" of place is no better ("traveled | to Kabul", "from Hong Kong | to Lima")."""
    low = nxt.casefold()
    if low in ("of", "to"):
        return True
    if low != "for":
        return False
    word = last.casefold().strip(PUNCT)
    return (
        word in _COMPLEMENT_HEADS
        or word in VERB_WORDS
        or word.endswith(("ed", "ing"))
        or (word.endswith("s") and word[:-1] in _FOR_VERBS)
    )


# Verbs taking "for" whose -s form reads like a plural noun: "accounts | for", "calls | for".
_FOR_VERBS = frozenset("account call ask press push wait plead vote apologize apologise".split())


def _quote_broken(form: str, whole: bool = False) -> bool:
    """Whether `form` leaves a quotation open or closes one it never opened ("…objective,” said
    ..."): it ends or starts inside someone's words, which a line would then pass off as the
    outlet's. The marks are read as `quote_marks` reads them: „…“ and »…« pair; `whole`, the
    whole sentence, leaves no single quotation open that nothing after it could close."""
    return has_open_quote(form, whole=whole) or bool(stray_closings(form))


_DASH_RE = re.compile(r"\s[—–-]\s|\s[—–]|[—–]\s")


def _unfinished(form: str) -> bool:
    """Whether a cut form stops inside a dash or bracket aside ("said the group — which included
    five"), or is a subject and its appositive with no verb ("Joe Manchin, a West Virginia
    Democrat"): the full sentence said something, the form does not."""
    if len(_DASH_RE.findall(form)) % 2 or form.count("(") > form.count(")"):
        return True
    # "The guild's treasurer Odile Marchetti": a possessive's "s" is no verb's.
    return not is_clause(_POSSESSIVE_S_RE.sub("", form))


_POSSESSIVE_S_RE = re.compile(r"(?<=\w)['’]s\b")


_DASHES = ("—", "–", "--")


def cut_inside(shape: str, form: str) -> bool:
    """Whether `form` is `shape` cut before a dash aside that the clause goes on past ("requires
    the nation's entire work force | — public and private — to have ...") or at a comma between
    two parts of a name ("Washington, | D.C.'s"). Asked of a line given only for want of any
    other (`angle_lines._rescue_form`), whose cuts stop short of where they would elsewhere."""
    head = form.removesuffix(".").rstrip()
    if head == shape.removesuffix(".").rstrip() or not shape.startswith(head):
        return False
    tail = shape[len(head) :].lstrip()
    if tail.startswith(_DASHES):
        return any(d in tail[2:] for d in _DASHES)
    after = tail[1:].split(maxsplit=1)
    return (
        tail.startswith(",")
        and bool(after)
        and head[-1:].isalpha()
        and after[0][:1].isupper()
        and head.split()[-1][:1].isupper()
    )
