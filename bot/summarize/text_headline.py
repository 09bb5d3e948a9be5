"""A card headline made from body text, for a story with no usable title.

The first sentence of reporting (past captions, credits, boilerplate and a page's furniture), cut
at a clause or a word when it runs past a title's length: a cut that holds the sentence's main
clause, at a clause break or where a phrase opens ("... for a coach | who became ..."), ends with
no ellipsis (`headline_clauses`), since "…" on 162 of 250 untitled dev stories read as broken;
only a cut that holds no whole clause shows it, a feed's teaser ("... more …") ended
where the teaser was cut, with quotes and brackets a cut opened closed again (`balanced_cut`).
`headline.choose_headline` falls back to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.boilerplate import (
    is_boilerplate,
    is_caption,
    is_credit,
    is_page_furniture,
    page_furniture_end,
)
from bot.summarize.clauses import MID_CUT_ENDINGS, clause_prefixes
from bot.summarize.datelines import without_dateline
from bot.summarize.finite_verbs import is_clause
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.headline_clauses import holds_main_clause
from bot.summarize.headline_style import LABEL_RE, headline_end
from bot.summarize.quote_marks import open_quotes
from bot.summarize.quotes import PHRASE_OPENERS
from bot.summarize.sentences import split_sentences
from bot.textutil import QUOTATION_PAIRS, squash_spaces

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


def headline_from_text(text: str, short_ok: bool = True) -> str:
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
        sentence = _PAREN_RE.sub("", sentence)
        words = sentence.split()
        if len(words) <= TEXT_HEADLINE_MAX_WORDS:  # the brackets were what made it long
            return balanced_cut(_finish(sentence), "")
        # A whole clause needs no ellipsis: the headline says something complete ("Eight people
        # were arrested in the port's inquiry"), where "... into the death of a…" trails off.
        cuts = [
            c
            for c in clause_prefixes(sentence, TEXT_HEADLINE_MAX_WORDS, 5)
            if not _in_name(words, len(c.split()))
        ]
        whole = [
            c for c in cuts if is_clause(c) and holds_main_clause(c, words[len(c.split()) :])
        ] or [_phrase_clause(words)]
        if whole[0]:
            return balanced_cut(_finish(whole[0]), "")
        for cut in cuts:
            if len(cut.split()) >= _VERBLESS_CUT_WORDS:
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
    cuts = [
        c
        for c in clause_prefixes(text, TEXT_HEADLINE_MAX_WORDS, _TEASER_MIN_WORDS)
        if is_clause(c) and not _in_name(words, len(c.split()))
    ]
    # A clause that ends before the feed's cut is whole and needs no ellipsis; one the cut ends
    # may have lost its object ("... but fell victim"), and keeps it.
    whole = [
        c
        for c in cuts
        if len(c.split()) < len(words) and holds_main_clause(c, words[len(c.split()) :])
    ] or [_phrase_clause(words)]
    if whole[0]:
        return balanced_cut(_finish(whole[0]), "")
    if cuts:
        return balanced_cut(_finish(cuts[0]), ELLIPSIS)
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
    parts = [without_dateline(LABEL_RE.sub("", p.strip())) for p in parts]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        parts = [p for p in parts if is_clause(p)] or parts
    return parts


# An aside in brackets, "(R-Ore.)" or "(pictured)", left out of a headline cut to length.
_PAREN_RE = re.compile(r"\s*\([^()]{1,40}\)")
# Where a phrase or clause opens, a headline may end on the whole clause before it ("... a
# coach | who became", "... the decision | to sign"); not before "and", "than" or "as", which
# may join inside a name or a comparison.
# Nor before "of": "one | of", "parts | of", "the death | of" wait for it, and a word cut
# never stops before it (`_word_cut`).
_CUT_BEFORE = PHRASE_OPENERS - {"of", "and", "or", "but", "than", "as", "up", "down", "past", "off"}


def _phrase_clause(words: Sequence[str]) -> str:
    """The longest start of `words` within the limit that is a whole clause and ends on a noun
    where a phrase or clause opens: "Eight people were arrested in the port's inquiry | into the
    death of ...", not "... custody, accused | of" (a verb waits for its object). "" if none."""
    for n in range(min(len(words) - 1, TEXT_HEADLINE_MAX_WORDS), _MIN_CUT_WORDS - 1, -1):
        last = words[n - 1]
        if _bare(words[n]) not in _CUT_BEFORE or not _can_end_noun(_bare(last)):
            continue
        if last.endswith((",", ";", ":")) or _in_name(words, n):
            continue
        head = " ".join(words[:n])
        if is_clause(head) and not open_quotes(head) and holds_main_clause(head, words[n:]):
            return head
    return ""


def _in_name(words: Sequence[str], n: int) -> bool:
    """Whether a cut after `words[:n]` falls inside a run of capitalised words: "northern New"
    of New Mexico, "Portland," of "Portland, Maine"."""
    return 0 < n < len(words) and words[n - 1][:1].isupper() and words[n][:1].isupper()


def _word_cut(words: Sequence[str]) -> str:
    """The longest start of `words` within the limit that ends on neither a word that leaves a
    phrase hanging nor inside a name; the plain limit when every end does (a list of names).
    A noun phrase waiting for its "of" or "to" ("near the end | of the season") is left out
    whole, down to _MIN_CUT_WORDS, when it is short and surely one (`_phrase_start`): cut inside
    it, "near the…" is no better. Else the cut only steps back past the word before "of"/"to"."""
    for whole_phrases in (True, False):
        least = _MIN_CUT_WORDS if whole_phrases else TEXT_HEADLINE_MAX_WORDS // 2 + 1
        below = TEXT_HEADLINE_MAX_WORDS + 1  # a cut is looked for only below this many words
        for n in range(TEXT_HEADLINE_MAX_WORDS, least - 1, -1):
            if n >= below:
                continue
            last = _bare(words[n - 1])
            nxt = _bare(words[n]) if n < len(words) else ""
            if nxt in ("of", "to"):
                start = _phrase_start(words, n) if whole_phrases else None
                if start is not None and start >= least:
                    below = start + 1
                continue
            if last and last not in _HANGING and not _in_name(words, n):
                return " ".join(words[:n]).rstrip(",;:—–-")
    return " ".join(words[:TEXT_HEADLINE_MAX_WORDS]).rstrip(",;:—–-")


def _bare(word: str) -> str:
    return word.strip(",;:\"“”'‘’()").casefold()


def _phrase_start(words: Sequence[str], n: int) -> int | None:
    """Where the noun phrase ending `words[:n]` begins, when "of"/"to" at `words[n]` is its
    complement: its last word can end a noun ("the end | of", not "linked | to", "ordered |
    to"), "to" opens a noun phrase ("the cost to | taxpayers", not "to | release"), and the
    phrase is at most _MAX_BACK_OFF words after a determiner, preposition or comma. None when
    unsure: a back-off across a verb lost the story's action ("The court ordered the
    government…")."""
    if _bare(words[n]) == "to" and not (n + 1 < len(words) and _opens_noun(words[n + 1])):
        return None
    if not _can_end_noun(_bare(words[n - 1])):
        return None
    for back in range(1, _MAX_BACK_OFF + 2):
        index = n - back
        if index < 0:
            return None
        word = _bare(words[index])
        if word in _DETERMINERS:
            return index if back <= _MAX_BACK_OFF else None
        if back > 1 and (word in _HANGING or words[index].endswith(",") or _verb_like(word)):
            return index + 1
    return None


def _opens_noun(word: str) -> bool:
    """Whether `word` after "to" opens a noun phrase, not a bare verb ("to release")."""
    bare = _bare(word)
    return (
        bare in _DETERMINERS
        or bare in _QUANTIFIERS
        or word[:1].isupper()
        or word[:1].isdigit()
        or word[:1] in "$£€"
        or (bare.endswith("s") and not bare.endswith("ss") and bare.isalpha())
    )


def _can_end_noun(word: str) -> bool:
    return bool(word) and word not in _HANGING and word not in _NOT_NOUNS and not _verb_like(word)


def _verb_like(word: str) -> bool:
    """A participle or past form by its ending ("ordered", "showing"), or an adverb ("early")."""
    if word in _NOUNS_LIKE_VERBS:
        return False
    return len(word) > 4 and word.endswith(("ed", "ing", "ly"))


# A noun phrase left out whole is at most this many words: longer back-offs cut too much.
_MAX_BACK_OFF = 3
_DETERMINERS = frozenset(
    "the a an this that these those its their his her our your my some any each every no another"
    .split()
)  # fmt: skip
_QUANTIFIERS = frozenset(
    "more most all many much few several both half nearly about around".split()
)
# Words before "to" that end no noun: "able to", "according to", "due to".
_NOT_NOUNS = frozenset(
    "able unable likely unlikely due close next similar set used going according back up out"
    " ready willing expected said told asked is was were are be been has have had went came"
    .split()
)  # fmt: skip
_NOUNS_LIKE_VERBS = frozenset(
    "meeting building morning evening wedding ceiling housing funding spending training ruling"
    " hearing feeling offering opening ending beginning hundred family supply assembly rally"
    " italy july".split()
)  # fmt: skip


# A shorter cut says too little of the story to head its card.
_MIN_CUT_WORDS = 5
# A cut never ends on these: the function words every cut avoids, and a bare preposition ("off…",
# "near…") whose object was cut off.
_HANGING = MID_CUT_ENDINGS | (PHRASE_OPENERS - {"up", "down", "past"})


def _finish(text: str) -> str:
    """`text` from an article's body in headline style: no label, no final full stop or "!"s.
    Unlike `clean_title` it keeps the text's case: reporting does not shout."""
    return headline_end(LABEL_RE.sub("", text))


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
