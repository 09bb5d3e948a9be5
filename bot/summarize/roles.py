"""Who did what in a two-sided event: a bullet must not hand one party the other's part.

`verb_groups` puts both sides of one event in a group, so that "Jones lost to Smith" carries
"Smith beat Jones" and "Cole Foods bought Birch from Acme" carries "Acme sold Birch to Cole
Foods". The same group lets "Smith lost to Jones" carry "Smith beat Jones", which reverses who
won. So when a bullet's verb and its sentence's verb stand on opposite sides of the event (buying
and selling, winning and losing), the bullet's subject must be the sentence's other party, named
after its verb, and not the sentence's own subject; `flipped` says when it is not.

A passive turns a side round ("Jones was defeated by Smith" is Jones losing); a passive sale
("Birch was sold to Acme") has the thing sold as its subject, not a party, and is not read.
"""

from __future__ import annotations

from bot.summarize.sentences import stem

# The side of each two-sided verb: +1 takes (buys, wins), -1 gives up (sells, loses).
_SIDES: dict[str, int] = {
    **{stem(w): 1 for w in "acquire buy bought purchase win won beat beaten defeat".split()},
    **{stem(w): -1 for w in "sell sold lose lost".split()},
}
# Verbs whose passive still names a party as its subject: "Jones was beaten by Smith".
_PASSIVE_PARTY = frozenset(stem(w) for w in "beat beaten defeat defeated".split())
_BE = frozenset("is are was were be been being am".split())
_SKIPPED = frozenset(
    """
    has have had is are was were be been being am will would also still just reportedly
    finally not the a an its his her their of and
    """.split()
)
_SUBJECT_ENDS = frozenset(", ; : ( ) — – who whom which that as when while after before".split())


def side(words: list[str], at: int) -> int | None:
    """+1 when `words[at]` says its subject takes (bought, won), -1 when it gives up (sold,
    lost); None when it is no two-sided verb or its subject is no party ("Birch was sold")."""
    key = stem(words[at].casefold())
    sided = _SIDES.get(key)
    if sided is None:
        return None
    if at and words[at - 1].casefold() in _BE:
        return -sided if key in _PASSIVE_PARTY else None
    return sided


def _names(words: list[str]) -> set[str]:
    return {w.casefold() for w in words if w.casefold() not in _SKIPPED and w[:1].isalpha()}


def subject_of(words: list[str], at: int) -> set[str]:
    """The words of the subject `words[at]` has: those before it back to its clause's start."""
    start = at
    while start > 0 and words[start - 1].casefold() not in _SUBJECT_ENDS:
        start -= 1
    return _names(words[start:at])


def flipped(bullet: list[str], at: int, sentences: list[list[str]], verbs: frozenset[str]) -> bool:
    """Whether the bullet (its tokens, its verb at `at`) turns round who did what in every
    `sentences` occurrence of one of `verbs` (a group's) on the other side of the event: its
    subject is that occurrence's subject, or not the party named after it. False when no
    sentence tells the event from a side, or one tells it as the bullet does."""
    said = side(bullet, at)
    if said is None:
        return False
    subject = subject_of(bullet, at)
    found_flip = False
    for words in sentences:
        for k in range(len(words)):
            if stem(words[k].casefold()) not in verbs or (sided := side(words, k)) is None:
                continue
            if sided == said:
                return False
            theirs = subject_of(words, k)
            other = _names(words[k + 1 :])
            if subject and not subject & theirs and subject & other:
                return False
            found_flip = True
    return found_flip
