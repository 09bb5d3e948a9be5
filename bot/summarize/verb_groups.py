"""The decisive verbs `claim_verbs` holds a model bullet to, and the words that state each fact.

A group is one event told from any side: "Acme bought Birch" and "Birch's owner sold it to Acme",
"Smith beat Jones" and "Jones lost to Smith" are one fact, so a bullet saying either is held only
to a sentence saying one of the group's words, and `roles` checks the bullet gives each side to
the party its sentence does. Its `verbs` are the bullet verbs checked; its
`words` (the verbs and more, some of them two-word phrases) are what a supporting sentence may
say it in: "gutted" or "washed away" for "destroyed", "lost their lives" for "killed", "struck a
deal" for "signed a deal".

Some verbs are decisive in one sense only ("fired two surgeons", not "fired on protesters";
"raised its key rate", not "raised concerns"; "paid $2 million", not "paid tribute"): `sense`
says from the bullet's own clause whether it is that sense, and a verb in another is not checked.
Verbs whose common senses are not decisive at all are no group's verbs, only its words: "launch"
(a product, a probe), "step" (in, up), "lift", "increase" and "rise" (a figure, not a decision).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.summarize.sentences import stem

# A bullet clause as `sense` reads it: its tokens (words, numbers, "$", punctuation) and where the
# verb stands among them.
Sense = Callable[[list[str], int], bool]

_SCORE_RE = re.compile(r"\d+-\d+\Z")


def _stems(words: str) -> frozenset[str]:
    """The stems of `words`; "take+over" is a phrase, "take over" stemmed word by word."""
    return frozenset(" ".join(stem(w) for w in phrase.split("+")) for phrase in words.split())


def _folded(tokens: list[str]) -> set[str]:
    return {t.casefold() for t in tokens}


def _with_any(words: str) -> Sense:
    """Decisive only in a clause holding one of `words` ("passed the bill", "raised its rate")."""
    wanted = frozenset(words.split())
    return lambda tokens, _: bool(wanted & _folded(tokens))


def _without_any(words: str, next_words: str = "") -> Sense:
    """Decisive unless the clause holds one of `words` or the verb is followed by `next_words`."""
    unwanted, after = frozenset(words.split()), frozenset(next_words.split())

    def sense(tokens: list[str], at: int) -> bool:
        following = tokens[at + 1].casefold() if at + 1 < len(tokens) else ""
        return following not in after and not unwanted & _folded(tokens)

    return sense


def _money(tokens: list[str], at: int) -> bool:
    """ "paid $2 million", "paid 40,000 euros": a sum after the verb ("paid tribute" has none)."""
    return any(t in "$£€" or t[:1].isdigit() for t in tokens[at + 1 :])


_CONTESTS = frozenset(
    """
    election elections race vote votes seat seats title titles cup league match game games final
    finals championship trophy medal case appeal lawsuit battle primary majority nomination
    referendum contest tournament series runoff bout fight presidency leadership poll polls
    ballot round derby playoff playoffs semifinal semi-final quarterfinal
    """.split()
)


def _contest(tokens: list[str], at: int) -> bool:
    """A win or a loss in a contest: the clause names one, gives a score, or the verb names a
    rival ("beat Jones", "lost to Smith"); not "beat expectations", "lost their lives"."""
    if _CONTESTS & _folded(tokens) or any(_SCORE_RE.match(t) for t in tokens[at + 1 :]):
        return True
    rest = tokens[at + 1 : at + 3]
    if rest and rest[0].casefold() in {"to", "by"}:
        rest = rest[1:]
    return bool(rest) and rest[0][:1].isupper()


def _not_leading_on(tokens: list[str], at: int) -> bool:
    """ "began preventing", "started to cut": the verb after is the claim, not the beginning."""
    following = tokens[at + 1].casefold() if at + 1 < len(tokens) else ""
    return following != "to" and not (len(following) > 4 and following.endswith("ing"))


@dataclass(frozen=True, slots=True)
class Group:
    verbs: frozenset[str]
    words: frozenset[str]
    sense: Sense | None = None
    # The verbs `sense` is asked about (all when empty): "approved" is decisive in any clause,
    # "passed" only of a bill or a law.
    sensed: frozenset[str] = frozenset()
    # Words that put this group's fact off in general but not here: "faces charges" is charged.
    not_hedges: frozenset[str] = frozenset()


def _group(
    verbs: str,
    more: str = "",
    sense: Sense | None = None,
    *,
    sensed: str = "",
    not_hedges: str = "",
) -> Group:
    return Group(
        _stems(verbs),
        _stems(f"{verbs} {more}"),
        sense,
        _stems(sensed),
        frozenset(not_hedges.split()),
    )


_LAWS = "bill bills law laws budget motion measure measures resolution amendment legislation act"
_LAWS += " reform reforms package plan ordinance proposal treaty deal constitution"
_FIGURES = """rate rates price prices tax taxes fee fees fare fares bill bills wage wages pay
salary salaries limit limits cap age threshold target forecast forecasts tariff tariffs rent rents
premium premiums interest duty duties levy levies cost costs minimum ceiling estimate estimates
outlook guidance toll dividend"""
_DISPUTES = "lawsuit lawsuits suit suits case cases claim claims dispute charges allegations action"
# "dismissed the lawsuit" is a ruling, "dismissed concerns" an opinion, "dismissed the challenge"
# or "the bid" a court's or a board's answer: none is a firing.
_NOT_PEOPLE = f"""{_DISPUTES} appeal appeals complaint complaints concerns idea ideas reports
criticism suggestion suggestions petition petitions challenge challenges effort efforts bid bids
motion motions request requests application applications objection objections argument arguments
proposal proposals offer offers claims fears speculation rumours rumors notion"""
_WEAPONS = """shot shots round rounds bullet bullets rocket rockets missile missiles shell shells
gun guns gunfire weapon weapons tear gas cannon cannons artillery mortar mortars volley volleys
salvo warning flare flares torpedo torpedoes drone drones munitions pellets arrows projectiles"""

GROUPS: tuple[Group, ...] = (
    _group(
        "acquire acquired acquires buy buys bought purchase purchased purchases sell sells sold "
        "merge merged merges",
        "acquisition takeover sale sales merger buyer seller pay paid take+over took+over "
        "taken+over takes+over snap+up snapped+up",
    ),
    _group("complete completed completes finalise finalised finalize finalized"),
    _group("arrest arrested arrests", "detain detained custody"),
    _group(
        "charge charged indict indicted",
        "charges indictment",
        _without_any("$ £ €", "at into up ahead forward toward towards for"),
        not_hedges="face faces facing",
    ),
    _group("convict convicted convicts", "conviction guilty"),
    _group("acquit acquitted acquits", "acquittal cleared"),
    _group("sentence sentenced jail jailed imprison imprisoned", "prison"),
    _group(
        "kill killed kills die died dies",
        "dead death deaths fatal fatally lives life killing killings",
    ),
    _group(
        "destroy destroyed destroys flatten flattened raze razed",
        "gut gutted level levelled leveled demolish demolished wreck wrecked ruin ruins ruined "
        "obliterate obliterated rubble wash+away washed+away burn+down burned+down burnt+down "
        "wipe+out wiped+out",
    ),
    _group(
        "approve approved approves pass passed passes adopt adopted ratify ratified",
        "approval passage through cleared authorize authorized authorizes authorise authorised "
        "authorises authorization authorisation",
        _with_any(_LAWS),
        sensed="pass passed passes adopt adopted",
    ),
    _group("reject rejected rejects", "rejection defeat defeated down veto vetoed vetoes"),
    _group("veto vetoed vetoes"),
    _group("sign signed signs", "strike struck seal sealed ink inked signature"),
    _group("resign resigned resigns quit quits", "resignation step stepped"),
    _group(
        "fire fired fires sack sacked dismiss dismissed oust ousted",
        "dismissal firing let+go part+ways parted+ways",
        _without_any(f"{_WEAPONS} {_NOT_PEOPLE}", "on at upon into back off toward towards up"),
    ),
    _group("suspend suspended suspends", "suspension"),
    _group("elect elected elects", "election choose chose chosen vote+in voted+in"),
    _group("appoint appointed appoints", "appointment name named"),
    _group(
        "cancel cancelled canceled cancels scrap scrapped",
        "cancellation axe axed drop dropped abandon abandoned call+off called+off calls+off",
    ),
    _group("ban banned bans prohibit prohibited", "outlaw outlawed bar barred"),
    _group(
        "raise raised raises hike hiked",
        "lift lifted increase increased increases rise rose risen higher up",
        _with_any(_FIGURES),
    ),
    _group(
        "win won wins beat beats beaten defeat defeated lose lost loses",
        "victory victor winner winners loser clinch clinched triumph triumphed award awarded",
        _contest,
    ),
    _group(
        "pay paid pays",
        "spend spent cost costs payment settle settled fine fined compensation bought buy",
        _money,
    ),
    _group(
        "settle settled settles",
        "settlement pay paid",
        _with_any(_DISPUTES),
    ),
    _group(
        "begin began begins begun start started starts",
        "open opened opens opening launch launched commence commenced underway under+way",
        _not_leading_on,
    ),
    _group(
        "end ended ends finish finished stop stopped halt halted cease ceased",
        "suspend suspended",
        _without_any("", "up at by short in"),
    ),
)
_GROUP_OF: dict[str, Group] = {s: group for group in GROUPS for s in group.verbs}

# Groups whose facts exclude each other, by a verb of each: a bill approved was not rejected or
# vetoed, a defendant convicted was not acquitted, what began did not end or get called off, a
# deal completed was not cancelled. Other pairs of groups may be one event told twice ("was
# convicted" and "was sentenced", "resigned" and "was fired"), or a verb misread as the main
# one, so only these tell two facts apart.
_OPPOSED = (
    ("approve", "reject"),
    ("approve", "veto"),
    ("convict", "acquit"),
    ("begin", "end"),
    ("begin", "cancel"),
    ("complete", "cancel"),
)
_OPPOSITES = frozenset(
    (id(_GROUP_OF[stem(a)]), id(_GROUP_OF[stem(b)]))
    for pair in _OPPOSED
    for a, b in (pair, pair[::-1])
)


def opposed(a: Group, b: Group) -> bool:
    """Whether the facts of groups `a` and `b` exclude each other (see `_OPPOSED`)."""
    return (id(a), id(b)) in _OPPOSITES


def decisive_group(verb: str, tokens: list[str] | None = None, at: int = 0) -> Group | None:
    """The group of `verb` if it is a decisive verb, in its decisive sense when the clause it
    stands in (`tokens`, the verb at `at`) is given."""
    key = stem(verb)
    group = _GROUP_OF.get(key)
    if group is None or group.sense is None or tokens is None:
        return group
    if group.sensed and key not in group.sensed:
        return group
    return group if group.sense(tokens, at) else None
