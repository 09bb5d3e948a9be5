"""Words a phrase cut must not end on: what they take comes after the cut.

An angle's line or quote cut with an ellipsis before a preposition or a conjunction reads as a
thought only if its last word is complete without what follows. These are the words that are
not: a verb's particle or the preposition it governs ("lined | up to", "could detract | from",
"tore | into"), a participle's place ("cutters stationed | in"), a verb that takes an infinitive
("seemed | to compare", "continued | to insist"), two verbs sharing what follows ("overlooked |
or ignored warnings"), a reporting verb whose report follows ("Pence claimed | on Twitter that
..."), a participle's agent ("conducted by staff and attended | by ...", "the vaccine developed
| by"), an adjective whose noun comes after a coordinated one ("a sleepy | and uninspired
effort"), the first half of "as young | as 12", and a subordinate or "but" clause with its
subject and no verb yet ("as people | on either side ...", "when voters | in Missouri rejected
...", "but the harbour master | of the port was forced ..."). A verb's "to" after "his" or "the"
is a noun's ("the mayor's promise | to ..."), which a last-resort cut may leave.
`clause_ends.needs_next` covers the comparative's "than", a passive's agent after "was" and an
asking verb's "to".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.summarize.clause_ends import lacks_main_clause
from bot.summarize.finite_verbs import PUNCT, has_verb

# Particles that finish a phrasal verb: a cut before one leaves "lined…", "ramped…", "sell…".
_PARTICLES = frozenset("up off out down away".split())


def _forms(base: str) -> set[str]:
    """A regular verb's forms: "detract", "detracts", "detracted", "detracting"."""
    stem = base[:-1] if base.endswith("e") else base
    return {base, f"{base}s", f"{stem}ed", f"{stem}ing"}


# Verbs that need their preposition to say anything: "could detract | from ...", "infringing
# | on a right", "is headquartered | in Independence", "will be voted | on Thursday".
_GOVERNS = {
    "from": "detract refrain abstain stem emanate desist".split(),
    "on": "infringe rely hinge insist capitalize capitalise embark dwell elaborate vote".split(),
    "in": "headquarter culminate specialize specialise engage participate result".split(),
    "into": "delve tap".split(),
    "with": "comply grapple collude cope".split(),
    "for": "call ask press push plead opt account apologize apologise".split(),
}
_IRREGULAR = {"into": {"tear", "tears", "tore", "torn", "tearing"}}
# Participles that say where, the place after them: "the last of the cutters stationed | in ...",
# "a firm based | in Oslo", "the plant located | near the border".
_PLACED = frozenset("stationed based located situated deployed housed".split())
_PLACE_PREPOSITIONS = frozenset("in at on near across inside outside along throughout".split())
_GOVERNED: dict[str, frozenset[str]] = {
    prep: frozenset({form for base in bases for form in _forms(base)} | _IRREGULAR.get(prep, set()))
    for prep, bases in _GOVERNS.items()
}
# Verbs whose "to" is their infinitive ("seemed | to compare the U.S.", "continued | to insist"):
# a last-resort cut may stop before a noun's "to" ("the power…"), never before one of these.
_TAKES_INFINITIVE = frozenset(
    form
    for base in """
    seem appear continue try attempt want need plan hope decide refuse agree fail begin start
    intend vow pledge threaten promise expect aim tend happen manage choose prepare struggle
    rush move force require allow permit oblige compel urge schedule
    """.split()
    for form in _forms(base)
) | frozenset("sought seek seeks seeking chose chosen began begun".split())
# Verbs that report what someone said, which follows them: "Pence claimed | on Twitter that".
_REPORTING = frozenset(
    form
    for base in "claim announce insist argue allege assert reveal acknowledge declare".split()
    for form in _forms(base)
)
# What a clause of its own opens on, with a verb still to come after its subject.
_SUBORDINATE = frozenset("when while because although though unless whereas whether".split())
# "but" opens a clause before its subject ("but the harbour master | of the port was forced"),
# not before a phrase ("but with no sign | of them").
_SUBJECTS = frozenset("the a an he she it they we i you his her its their our this these".split())
# "as" opens a clause after a pause ("— as people on either side ...") or before a quantified
# subject ("as some Democrats in the House start ..."); elsewhere it is a preposition ("known as").
_QUANTIFIERS = frozenset("some many most few several other others all both".split())
_DETERMINERS = frozenset("a an the".split())
# An adjective or an adverb before an adjective: "and uninspired effort", "and politically ...".
_MODIFIER_RE = re.compile(r"(?:ed|ly|ive|ous|al|ful|ic|able|ible|ary|ant|ent|less|ish)$")


_DASH_RE = re.compile(r"\s[—–-]\s")


def _bare(word: str) -> str:
    return word.casefold().strip(PUNCT)


def leaves_waiting(head_words: Sequence[str], nxt: str, tail_words: Sequence[str] = ()) -> bool:
    """Whether a phrase cut between `head_words` and the word `nxt` (with `tail_words`, the words
    following `nxt`) ends on a word waiting for what comes after the cut."""
    if not head_words:
        return False
    last, low = _bare(head_words[-1]), _bare(nxt)
    following = _bare(tail_words[0]) if tail_words else ""
    before = _bare(head_words[-2]) if len(head_words) > 1 else ""
    if low in _PARTICLES or last in _GOVERNED.get(low, ()):
        return True
    if last in _PLACED and low in _PLACE_PREPOSITIONS:
        return True
    if low == "to" and last in _TAKES_INFINITIVE and not _noun_after(before):
        return True
    if last in _REPORTING and not _after_its_report(head_words):
        return True
    if low == "by" and last.endswith(("ed", "en")):
        return True  # "attended | by ...", "the vaccine developed | by ...": a passive's agent
    if low == "as" and before == "as":
        return True  # "children as young | as 12"
    if low in ("and", "or") and (
        _adjective_without_noun(head_words, following)
        or (last.endswith("ed") and following.endswith("ed"))
    ):
        return True  # "a sleepy | and uninspired effort", "overlooked | or ignored warnings"
    return _verbless_subordinate(head_words, [nxt, *tail_words])


def _noun_after(before: str) -> bool:
    """Whether the word after `before` is a noun, not the verb it may also be: "the plan | to
    ...", "the mayor's promise | to ...", which a last-resort cut may leave."""
    return before in _DETERMINERS or before in _POSSESSORS or before.endswith(("'s", "’s"))


# Not "that": "a tweet that seemed | to compare" is a relative clause's verb.
_POSSESSORS = frozenset("his her its their our my your".split())


def _after_its_report(head_words: Sequence[str]) -> bool:
    """Whether the reporting verb ending `head_words` closes an attribution after what was
    said ("The ferry sank, the coastguard claimed"): a comma before it with a clause ahead."""
    head = " ".join(head_words[:-1])
    said, comma, speaker = head.rpartition(", ")
    # "While defending the strike, Pence claimed": the comma closed an opener, not a report.
    return (
        bool(comma)
        and len(speaker.split()) <= 4
        and has_verb([said])
        and not lacks_main_clause(head)
    )


def _adjective_without_noun(head_words: Sequence[str], following: str) -> bool:
    """Whether the head ends "a sleepy", "the most emotive", its noun after the coordinated
    modifier that follows ("and uninspired effort", "and politically unpredictable test")."""
    words = [_bare(w) for w in head_words[-3:]]
    opens = words[-2] in _DETERMINERS or (
        len(words) == 3 and words[0] in _DETERMINERS and words[1] in ("most", "more", "less")
    )
    return opens and bool(following) and _MODIFIER_RE.search(following) is not None


def _opens_subject(words: Sequence[str]) -> bool:
    """Whether `words` (one word, or none) open a subject: a determiner, a pronoun, a name."""
    return bool(words) and (_bare(words[0]) in _SUBJECTS or words[0][:1].isupper())


def _verbless_subordinate(head_words: Sequence[str], rest_words: Sequence[str]) -> bool:
    """Whether the head ends in a subordinate clause with its subject and no verb, which comes
    after the cut: "as people | on either side of the border celebrated", "when voters | in
    Missouri rejected". (With no verb found after it either, the clause may have ended on one
    the cues do not know: "unless lawmakers vote | to raise ...".)"""
    for i in range(len(head_words) - 1, max(-1, len(head_words) - 6), -1):
        word = _bare(head_words[i])
        pause = i > 0 and (head_words[i - 1].endswith(",") or head_words[i - 1] in ("—", "–"))
        nxt = _bare(head_words[i + 1]) if i + 1 < len(head_words) else ""
        opens = (
            word in _SUBORDINATE
            or (word == "as" and (pause or nxt in _QUANTIFIERS))
            or (word == "but" and _opens_subject(head_words[i + 1 : i + 2]))
        )
        if opens:
            rest = head_words[i + 1 :]
            if not rest or has_verb([" ".join(rest)]):
                return False
            if word == "as" and nxt in _QUANTIFIERS:
                return True  # "as some Democrats | in the House start ...": a subject, surely
            clause = _DASH_RE.split(" ".join(rest_words).split(",")[0])[0].split()
            # An infinitive's verb is not the clause's: "unless councillors vote | to pay".
            finite = [w for i, w in enumerate(clause) if i == 0 or _bare(clause[i - 1]) != "to"]
            return has_verb([" ".join([*rest, *finite])])
    return False
