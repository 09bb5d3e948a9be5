"""Whether two sentences state the same fact: the same figures (one of them rounded, or spelt
"48-hour" for "48 hours") and enough of the same words. The TL;DR's repeat check, angle lines and
quotes all ask it, so a card never tells one fact twice in other words."""

from __future__ import annotations

import re

from bot.summarize.acts import main_verbs, two_facts
from bot.summarize.claim_figures import one_count, story_counts
from bot.summarize.finite_verbs import has_verb
from bot.summarize.main_clause import negated
from bot.summarize.quote_marks import nested_bounds
from bot.summarize.same_figures import SAME_FIGURES_SHARE as SAME_FIGURES_SHARE
from bot.summarize.same_figures import figures_within as figures_within
from bot.summarize.same_figures import same_figure_restated as same_figure_restated
from bot.summarize.same_figures import same_quantity as same_quantity
from bot.summarize.same_figures import stem_overlap as stem_overlap
from bot.summarize.sentences import content_stems, stem
from bot.summarize.shared_quotes import named_stems, one_speaker, speaker_stems
from bot.summarize.support import figures
from bot.text_cache import SENTENCE_CHARS, WORD_CHARS, text_cache
from bot.textutil import STOPWORDS

# A stem in at most this many of the lexicon's 7,356 training articles names the event ("tram",
# "airport", "council"), not the news at large ("Tuesday", "president").
RARE_DOCS = 150

# Where a sentence's core claim ends: a clause break ("X voted to remove Y, ending ..."), a
# conjunction opening a clause of its own ("X was sworn in after his party won ...") or a second
# predicate on an auxiliary ("X was vaccinated and being treated at ..."). A break this early
# ("Jane Roe, 23, ...") is inside the subject.
_CORE_END_RE = re.compile(
    r"(?:,|;|:|\s[—–-])\s|\s(?:as|after|while|when|because|amid|following|before|since|despite|"
    r"although|though|whereas|until)\s"
    r"|\sand\s(?=(?:is|are|was|were|has|have|had|will|would|being|been)\s)"
)
_CORE_MIN_WORDS = 4
# A core of fewer content words is a scene or a name, not a claim.
_CORE_MIN_STEMS = 3
# Share of one sentence's core words the other must have for the two to tell one fact. On the
# real cards the repeats' cores share 0.86-1.0; the benchmarks' distinct pairs rarely pass 0.8.
SAME_CORE_SHARE = 0.8


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def core_claim(text: str) -> str:
    """`text` up to its first clause break or conjunction after `_CORE_MIN_WORDS` words: the
    subject, verb and object that say what happened ("Peru's Congress voted to impeach the
    president" of "..., four months after he took office")."""
    for match in _CORE_END_RE.finditer(text):
        head = text[: match.start()]
        if len(head.split()) >= _CORE_MIN_WORDS:
            return head
    return text


# Derivational endings a stem may keep that its relatives lack: "temporarili"/"temporari",
# "closur"/"close". Cut once, and only from a stem that keeps four letters.
_DERIVED_ENDINGS = ("ili", "li", "ur", "i", "e")
# Irregular relatives no ending cut joins: "died" and "beaten to death" tell one death.
_IRREGULAR_ROOTS = {"death": "die", "dead": "die"}


@text_cache(maxsize=4096, max_chars=WORD_CHARS)
def stem_root(word_stem: str) -> str:
    """A stem with a derivational ending cut, so "closed" and "closure" compare as one word."""
    if word_stem in _IRREGULAR_ROOTS:
        return _IRREGULAR_ROOTS[word_stem]
    for ending in _DERIVED_ENDINGS:
        if word_stem.endswith(ending) and len(word_stem) - len(ending) >= 4:
            return word_stem[: -len(ending)]
    return word_stem


def roots(stems: frozenset[str]) -> frozenset[str]:
    return frozenset(map(stem_root, stems))


def same_core(a_text: str, a_stems: frozenset[str], b_text: str, b_stems: frozenset[str]) -> bool:
    """Whether one sentence's core claim (`core_claim`) is told in the other: its content words
    there in the same or a related form ("impeach President Jerí" / "remove President Jerí from
    office" share all but the verb; "closed the strait" / "closure of the strait") and its
    figures too. The rest of each sentence is background hung on the one fact. Never when
    the two tell two facts (`two_facts`: "voted on Monday" / "voted on Thursday", "voted for" /
    "voted against", "approved" / "rejected")."""
    if two_facts(a_text, b_text):
        return False
    for text, other_text, other in ((a_text, b_text, b_stems), (b_text, a_text, a_stems)):
        core = core_claim(text)
        core_stems = roots(frozenset(content_stems(core)))
        if len(core_stems) < _CORE_MIN_STEMS:
            continue
        shared = core_stems & roots(other)
        if len(shared) < SAME_CORE_SHARE * len(core_stems):
            continue
        core_figures = figures(core)
        if not core_figures or figures_within(core_figures, figures(other_text)):
            return True
    if one_count(a_text, b_text, a_stems, b_stems) and not counts_differ(a_text, b_text):
        return True  # one count of one thing, in digits or words ("half a billion doses")
    return (
        cores_alike(a_text, b_text) or one_remark(a_text, b_text) or same_predicate(a_text, b_text)
    )


# A verb group on an auxiliary, maybe with an adverb and a particle: "has been permanently shut
# down", "will be closed". Four words or more: "was killed" alone says too little of the act.
_PREDICATE_RE = re.compile(
    r"\b(?:has|have|had|is|are|was|were|will|would)\s+(?:not\s+)?(?:been\s+|be\s+)?"
    r"(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn|ut|ld)\b(?:\s+(?:down|up|off|out|over|back|away))?"
)
_PREDICATE_MIN_WORDS = 4
# Where a subject's noun phrase ends before an aside: "Trump's blog — a webpage ... —", "The
# blog, titled ...,".
_SUBJECT_END_RE = re.compile(r",\s|\s[—–-]+\s|\s\(")


def same_predicate(a_text: str, b_text: str) -> bool:
    """Whether the two sentences say one thing of one subject in the same words: the same verb
    group ("has been permanently shut down") after the same noun, the last word of each one's
    subject before any aside ("Trump's blog — a webpage where ... —" / "The blog, titled ...,").
    What else each tells around it is background; two occasions are `same_core`'s to rule out."""
    a = _predicate(a_text)
    return a is not None and a == _predicate(b_text)


def _predicate(text: str) -> tuple[str, str] | None:
    found = _PREDICATE_RE.search(text)
    if found is None or len(found.group(0).split()) < _PREDICATE_MIN_WORDS:
        return None
    head = _SUBJECT_END_RE.split(text[: found.start()], maxsplit=1)[0].split()
    noun = _bare_word(head[-1]).casefold() if head else ""
    if not noun.isalpha() or noun in STOPWORDS:
        return None
    return stem(noun), found.group(0)


def one_remark(a_text: str, b_text: str) -> bool:
    """Whether two sentences, each quoting someone, say the same of the same people outside
    their quotations ("The minister said in Tolberg that the premier was 'firmly behind' Holm" /
    "Minister Jon Berg visited Lundia and repeated the premier's 'close bond' with Holm"): one
    remark, or one visit's remarks, told twice. The quoted words are what differ between two
    outlets' pick of a speech, so they are left out of the comparison. Remarks made days
    apart are two (`two_facts`)."""
    if two_facts(a_text, b_text):
        return False
    a_quoted, b_quoted = _quoted_stems(a_text), _quoted_stems(b_text)
    if not (a_quoted and b_quoted):
        return False
    a = frozenset(content_stems(a_text)) - a_quoted
    b = frozenset(content_stems(b_text)) - b_quoted
    if min(len(a), len(b)) < _CORE_MIN_STEMS:
        return False
    if stem_overlap(a, b) <= ONE_REMARK_SHARE or counts_differ(a_text, b_text):
        return False
    # Two speakers on one subject ("Premier Holm called the ban 'a declaration of war'" /
    # "Vennmark's minister said the ban was 'fully legal'") are two remarks.
    if one_speaker(a_text, b_text) is False:
        return False
    # One speaker on two subjects shares only who speaks: the remark's subject must be shared
    # beyond the speaker, the names and the speech verb ("Holm said Vennmark had 'broken the
    # deal'" / "Holm said she would impose 'tariffs' on Vennmark" are two remarks).
    about = (a & b) - speaker_stems(a_text) - speaker_stems(b_text) - _SPEECH_STEMS
    return bool(undated(about - named_stems(a_text) - named_stems(b_text)))


# Share of the smaller sentence's unquoted words the other must have (the TL;DR's repeat bar).
ONE_REMARK_SHARE = 0.5


_SPEECH_STEMS = frozenset(
    stem(w) for w in "say says said tell told call called add added according".split()
)


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def _quoted_stems(text: str) -> frozenset[str]:
    # The outermost quotations hold every word of those nested in them: reading each nested
    # one again cost the square of the depth (30,000 marks nested took over 20 s).
    return frozenset(
        s for start, end in nested_bounds(text, 1) for s in content_stems(text[start:end])
    )


# Share of the smaller of two cores' undated words the other core must have for the two to tell
# one event in other words ("People are celebrating the festival on Tuesday" / "The festival,
# the region's biggest holiday, is being celebrated around the world").
SAME_CORES_SHARE = 0.6


def cores_alike(a_text: str, b_text: str) -> bool:
    """Whether the two sentences' core claims (`bare_core`), dates and figures left out, share
    most of their words, every word of one that is no name (what happened, not who) among the
    other's, name no one the other does not and count nothing differently. The rest of each sentence, the
    background each outlet hangs on the event, is left out: it made two tellings of one event
    share too few words for the whole-sentence checks. Its dates are left out, but not dates
    days apart, nor opposite sides of one act, nor opposite acts (`two_facts`)."""
    if two_facts(a_text, b_text):
        return False
    a_core, b_core = bare_core(a_text), bare_core(b_text)
    a = _core_stems(a_core)
    b = _core_stems(b_core)
    if min(len(a), len(b)) < _CORE_MIN_STEMS:
        return False
    shared = a & b
    if len(shared) < SAME_CORES_SHARE * min(len(a), len(b)):
        return False
    # A headline in title case ("Jimmy Interviews Khaleesi From ...") writes its act words in
    # capitals too: which of its words tell what happened is unknown.
    if _title_case(a_core) or _title_case(b_core):
        return False
    # What happened, besides who: the fewer such words of one core must all be in the other
    # ("voted to censure the premier" is not "will elect a new premier", though both name the
    # parliament and the premier).
    a_acts = roots(undated(_lower_stems(a_core)))
    b_acts = roots(undated(_lower_stems(b_core)))
    acts, other = (a_acts, b) if len(a_acts) <= len(b_acts) else (b_acts, a)
    if not acts or not acts <= other:
        return False
    # Both ways: each core's main verb must be told in the other sentence too. A short core
    # inside a longer one of another event ("an officer has died" in "a man pleaded not guilty
    # in the shooting death of an officer") tells only part of it; "X died" beside "X was
    # beaten to death" is one event when the other sentence tells the beating too.
    if not (_verbs_told(a_core, b_text) and _verbs_told(b_core, a_text)):
        return False
    # "did not die" is not "died", nor "voted not to strike" "voted to strike".
    if negated(a_core) != negated(b_core):
        return False
    a_figures, b_figures = figures(a_core), figures(b_core)
    if (
        a_figures
        and b_figures
        and not (figures_within(a_figures, b_figures) or figures_within(b_figures, a_figures))
    ):
        return False
    a_names, b_names = _core_names(a_core), _core_names(b_core)
    if a_names - b_names and b_names - a_names:
        return False
    return not counts_differ(a_text, b_text)


def _verbs_told(core: str, other_text: str) -> bool:
    """Whether every main verb of `core` (`main_verbs`) is among `other_text`'s words, in the
    same or a related form."""
    verbs = roots(frozenset(stem(v) for v in main_verbs(core)))
    return verbs <= roots(frozenset(content_stems(other_text)))


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def _core_stems(core: str) -> frozenset[str]:
    return roots(undated(frozenset(content_stems(core))))


@text_cache(maxsize=256, max_chars=SENTENCE_CHARS)
def _title_case(text: str) -> bool:
    """Whether every content word of `text` is capitalised, as in a headline in title case."""
    words = [w for w in map(_bare_word, text.split()) if w[:1].isalpha()]
    content = [w for w in words if w.casefold() not in STOPWORDS]
    return len(content) >= _CORE_MIN_STEMS and all(w[:1].isupper() for w in content)


def _bare_word(word: str) -> str:
    return word.strip("\"“”‘’'()[]{}«»,.;:!?—–-")


def _core_names(core: str) -> frozenset[str]:
    """`_name_stems` of a core, less a first word heading an "of" ("Millions of people",
    "Dozens of ..."): a quantity, not a name, however it is capitalised."""
    names = _name_stems(core)
    words = core.split()
    if len(words) > 1 and words[1].casefold() == "of":
        names -= {stem(words[0].casefold())}
    return names


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def bare_core(text: str) -> str:
    """`core_claim` of `text`, with an aside after its subject left out: "The festival, the
    region's biggest holiday, is being celebrated" is "The festival is being celebrated", where
    the core alone would be the subject."""
    parts = text.split(", ")
    if len(parts) >= 3 and not has_verb([parts[0]]) and has_verb([parts[2]]):
        return core_claim(f"{parts[0]} {', '.join(parts[2:])}")
    return core_claim(text)


@text_cache(maxsize=256, max_chars=SENTENCE_CHARS)
def _lower_stems(text: str) -> frozenset[str]:
    """Stems of the words written in lower case, read past an opening bracket or quotation mark
    ("(Kristen" is a name): what a sentence says happened, not who."""
    return frozenset(
        content_stems(" ".join(w for w in text.split() if not _bare_word(w)[:1].isupper()))
    )


# Words that date or count a fact rather than tell it: two tellings of one event give it other
# dates ("last week", "on Saturday") and ages ("23"), which should not make them read as two.
_DATING_STEMS = frozenset(
    stem(w)
    for w in """
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight tomorrow
    last week weekend day days month months year years hour hours night morning evening
    afternoon earlier ago
    """.split()
)


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def undated(stems: frozenset[str]) -> frozenset[str]:
    """`stems` without dates, times and figures (see `_DATING_STEMS`)."""
    return frozenset(s for s in stems if s not in _DATING_STEMS and not s[:1].isdigit())


def counts_differ(a_text: str, b_text: str) -> bool:
    """Whether the two sentences count one thing differently ("arrested nine people" / "arrested
    two people"): two events, however alike their words. Counts of different things (an age, a
    number of days) say nothing either way."""
    # Asked of one sentence pair after pair: its counts from the story's cache (`story_counts`).
    a_counts = story_counts(a_text)
    b_counts = story_counts(b_text)
    return any(
        x.noun == y.noun and x.value != y.value
        for x in a_counts
        for y in b_counts
        if x.noun and x.role == y.role == "count"
    )


_CAPITALISED_RE = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")


def _name_stems(text: str) -> frozenset[str]:
    """Stems of `text`'s capitalised words, its first too ("Senate", "House"), less common words
    and dates: who acts and where."""
    return undated(
        frozenset(
            stem(word.casefold())
            for word in _CAPITALISED_RE.findall(text)
            if word.casefold() not in STOPWORDS
        )
    )


def names_differ(a_text: str, b_text: str) -> bool:
    """Whether each sentence names someone or somewhere the other does not ("The Senate passed
    the bill on Monday" / "The House passed the bill on Wednesday"): two actors, two events,
    however alike the rest."""
    a, b = _name_stems(a_text), _name_stems(b_text)
    return bool(a - b) and bool(b - a)
