"""Whether two bullets tell one act in other words: one actor doing one thing to one object
("President Vane on Monday signed an executive order on port security" / "President Vane signed
an executive order Monday to shore up the harbours' defences"; "The mayor urged the council to
rethink its plan" / "City leaders told the council to scale back the plan").

The TL;DR's other repeat checks count shared words (`restated`), so two outlets' tellings of one
act pass them when each hangs its own background on it: the verbs say the act, and the words
around them share too little. Here the act is read from the verb (`verb_groups`' decisive verbs
and a few classes of reporting-room verbs that say one act in other words, "urged" /
"encouraged" / "told ... to"), its subject from the words before it and its object from the few
after it. Two facts are never one act (`two_facts`), nor two counts or figures of one thing.
`retold` reads a shorter bullet retelling a longer one by the words they share instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice
from typing import Protocol

from bot.summarize.acts import two_facts
from bot.summarize.finite_verbs import subject_head
from bot.summarize.grounding import entities
from bot.summarize.restated import RARE_DOCS, counts_differ, figures_within, stem_root, undated
from bot.summarize.sentences import content_stems, stem, token_stems
from bot.summarize.story_memo import story_cached
from bot.summarize.support import figures
from bot.summarize.verb_groups import GROUPS
from bot.summarize.wordmodel import DOC_FREQ
from bot.text_cache import SENTENCE_CHARS, text_cache
from bot.textutil import STOPWORDS


class Form(Protocol):
    """A TL;DR form as the repeat checks read it (`candidates.Option`)."""

    text: str
    stems: frozenset[str]
    n_words: int
    figures: frozenset[str]


# A retelling shares at least this many rare stems, and this share of the shorter one's words
# (the tram pair shares half; "the council voted to cut airport fees" shares 0.29 and is news).
# On the benchmarks 0.3-0.4 and two or three rare stems all cost NeuS 0.02 ROUGE-1.
RETOLD_RARE = 2
RETOLD_SHARE = 0.4


def retold(a: Form, b: Form) -> bool:
    """Whether the shorter of two bullets retells the other in its own words ("The council gave
    the green light to the airport tram line" after "The city council approved a plan to extend
    the tram network to the airport"): one subject, the same rare words, and no name or figure
    of its own. (`same_act` reads the act instead: one subject, verb class and object.)"""
    short, full = sorted((a, b), key=lambda o: (len(o.stems), o.n_words))
    head = subject_head(short.text)
    full_head = subject_head(full.text)
    if not head or not full_head or _root(stem(head)) != _root(stem(full_head)):
        return False
    short_stems = frozenset(map(_root, short.stems))
    shared = short_stems & frozenset(map(_root, full.stems))
    if _root(stem(head)) not in shared or len(shared) < RETOLD_SHARE * len(short_stems):
        return False
    if sum(1 for s in shared if DOC_FREQ.get(s, 0) <= RARE_DOCS) < RETOLD_RARE:
        return False
    if short.figures and not figures_within(short.figures, full.figures):
        return False
    return all(name in full.text for name in entities(short.text))


# "councillor" for "council", "investor" for "invest": the doer named from the body or act.
_DOER_SUFFIXES = ("lor", "or", "er", "ist")


def _root(word_stem: str) -> str:
    for suffix in _DOER_SUFFIXES:
        if word_stem.endswith(suffix) and len(word_stem) - len(suffix) >= 5:
            return word_stem[: -len(suffix)]
    return word_stem


# Verbs that are no decisive act for the support check (`verb_groups` holds those), but that
# outlets swap for each other when they tell one act: a plea to someone, a declaration, a
# reading, an override. Each class is one act whichever of its verbs an outlet picks.
_MORE_CLASSES = (
    "urge urged urges urging encourage encouraged encourages encouraging press pressed presses "
    "pressing implore implored",
    "declare declared declares declaring proclaim proclaimed proclaims",
    "read reads reading recite recited recites reciting",
    "override overrode overridden overrides overriding overturn overturned overturns overturning",
    "block blocked blocks blocking halt halted halts halting",
    "warn warned warns warning caution cautioned",
)
# "told the council to ...": a telling is a plea only before a "to" and its verb; "told
# reporters" is a remark, which `restated.one_remark` judges.
_TELL = frozenset("tell told tells telling".split())
_URGE = 0

_CLASS_OF: dict[str, int] = {}
for _n, _class in enumerate(_MORE_CLASSES):
    for _word in _class.split():
        _CLASS_OF[_word] = _n
# The decisive groups hold their verbs as stems.
_GROUP_OF: dict[str, int] = {}
for _n, _group in enumerate(GROUPS, start=len(_MORE_CLASSES)):
    for _verb in _group.verbs:
        _GROUP_OF.setdefault(_verb, _n)

# Nouns outlets swap for one object: a bill is a measure, a resolution, legislation.
_OBJECT_CLASSES = (
    "bill bills law laws measure measures resolution resolutions legislation act package",
    "probe investigation inquiry",
    "ban bans prohibition",
)
_OBJECT_OF = {
    stem(word): f"object{n}" for n, words in enumerate(_OBJECT_CLASSES) for word in words.split()
}
# Content words after the verb read as its object: "signed an executive order" and "signed the
# long-awaited executive order" both reach "order".
_OBJECT_WORDS = 4
# The words before a verb read as its subject: "members of the House of Representatives began
# to read" reaches "House", past a scene or an aside before it.
_SUBJECT_WORDS = 24
# A bullet tells its act in its first few verbs; a text of nothing but act verbs is read no
# further (each verb keeps a set of its subject's words).
_MAX_SITES = 8
# Words that say who, not whom: shared, they do not make two subjects one ("President Vane" and
# "President Ostrova").
_TITLES = frozenset(stem(w) for w in "president minister leader secretary governor gov".split())
_WORD_RE = re.compile(r"[\w'’-]+")
# A body that acts through its parts: "Congress approved a measure" tells the vote the House's
# "passed a resolution" told, while the House and the Senate stay two subjects.
_PARTS_OF = {stem("congress"): frozenset(stem(w) for w in ("house", "senate"))}


# Asked of each TL;DR form of one story, pair after pair: a story has about a hundred forms.
@text_cache(maxsize=512, max_chars=SENTENCE_CHARS)
def _sites(text: str) -> tuple[tuple[int, frozenset[str], frozenset[str]], ...]:
    """Each act verb of `text` (a lower-case word of one of the classes) with the stems of its
    subject (the words before it) and of its object (the content words right after it), in
    their root form, dates and figures left out, nouns of one object class as that class."""
    tokens = _WORD_RE.findall(text)
    kept = undated(frozenset(content_stems(text)))
    # Word by word from the words' own cache: a stem set per prefix would fill the sentences'.
    stems = [token_stems(token) for token in tokens]
    roots = [_roots(found, kept) for found in stems]
    out = []
    for i, token in enumerate(tokens):
        key = _CLASS_OF.get(token, _GROUP_OF.get(stem(token))) if token[:1].islower() else None
        # "told the council to rethink": a "to" within four words of the verb.
        if key is None and token in _TELL and "to" in (t.casefold() for t in tokens[i + 1 : i + 5]):
            key = _URGE
        if key is None:
            continue
        subject = frozenset().union(*roots[max(0, i - _SUBJECT_WORDS) : i])
        subject |= {p for w in subject & _PARTS_OF.keys() for p in _PARTS_OF[w]}
        after = islice((s for found in stems[i + 1 :] for s in found), _OBJECT_WORDS)
        out.append((key, subject, _roots(after, kept)))
        if len(out) >= _MAX_SITES:
            break
    return tuple(out)


def _roots(stems: Iterable[str], kept: frozenset[str]) -> frozenset[str]:
    """`stems` that are in `kept`, in their root form, nouns of one object class as that class."""
    return frozenset(_OBJECT_OF.get(s, stem_root(s)) for s in stems if s in kept)


@story_cached
def same_act(a_text: str, b_text: str) -> bool:
    """Whether the two sentences tell one act: a verb of one class in both (`_MORE_CLASSES`, or
    one `verb_groups` group), with a subject word in common that is not only a title, and an
    object word in common. Never two facts (`two_facts`), two counts of one thing, nor two sets
    of figures neither of which holds the other."""
    a_sites, b_sites = _sites(a_text), _sites(b_text)
    if not a_sites or not b_sites:
        return False
    if not any(
        x_key == y_key and (x_subject & y_subject) - _TITLES - STOPWORDS and x_object & y_object
        for x_key, x_subject, x_object in a_sites
        for y_key, y_subject, y_object in b_sites
    ):
        return False
    a_figures, b_figures = figures(a_text), figures(b_text)
    if (
        a_figures
        and b_figures
        and not (figures_within(a_figures, b_figures) or figures_within(b_figures, a_figures))
    ):
        return False
    return not (counts_differ(a_text, b_text) or two_facts(a_text, b_text))
