"""Which openers, asides and attributions a compressed sentence may lose without changing its claim.

Split from `compress`: these rules decide whether a phrase only sets the scene ("On Wednesday
night,", "— five members since May —", "(pictured)") or limits where, when or on what condition the
claim holds ("In Florida,", "— at least for adults —", ", unless the union agrees", "(in mice)"),
and whether an attribution is only a source ("officials said") or what keeps a denial or an
accusation from reading as fact ("denied reports that", "prosecutors said").
"""

from __future__ import annotations

import re

from bot.summarize.quote_marks import has_open_quote

# Conditions, concessions and limits ("unless the union accepts", "though only in mice", "as long
# as", "but not on Sundays"): the claim before them holds only with them, so they are never cut
# off or dropped. A plain "but" clause is a second claim: the first stands without it.
CONDITION_RE = re.compile(
    r"[\"“]?(?:unless|though|although|except|provided|providing|only|even|pending|assuming|not|if|"
    r"when|because|while|as long as|at least|but\s+(?:not|only|never|just))\b",
    re.IGNORECASE,
)

_DASH_ASIDE_RE = re.compile(r"\s(?:[—–]|--)\s[^—–]{1,80}?\s(?:[—–]|--)\s")
# "X — aside — the agency said": the closing dash is followed by who said it, not by the rest of
# the clause, so the "aside" was the end of the claim.
_ATTRIB_TAIL_RE = re.compile(
    r"(?:[\w.'’-]+\s+){1,4}(?:said|says|told|reported|reports|added|noted|confirmed|announced)\b"
)


def dash_asides_dropped(sentence: str, opens_subordinate: bool, limit: int = 16) -> list[str]:
    """`sentence` with one dash-bounded aside removed at a time, where that keeps its claim.

    `opens_subordinate`: the sentence starts with a subordinate clause ("Despite X -- aside --"),
    whose boundary the closing dash may be. At most `limit` forms, the first asides first: each
    is a copy of the sentence, and a list-like one ("A — B — C — ...") has an aside per dash.
    """
    out: list[str] = []
    if limit <= 0:
        return out
    first_comma = sentence.find(", ")
    for match in _DASH_ASIDE_RE.finditer(sentence):
        # After "Despite X -- aside --" the closing dash also ends the opener: keep it.
        if opens_subordinate and not 0 <= first_comma <= match.start() - 2:
            continue
        aside = match.group(0).lstrip(" —–-")
        # "— prosecutors say —" is who makes the claim, not an aside to it.
        if (
            CONDITION_RE.match(aside)
            or aside.startswith("but ")
            or accusing(aside)
            or _ATTRIB_TAIL_RE.match(sentence, match.end())
        ):
            continue
        if not has_open_quote(match.group(0)):
            shorter = sentence[: match.start()] + " " + sentence[match.end() :]
            if len(shorter.split()) >= 6:
                out.append(shorter)
                if len(out) >= limit:
                    break
    return out


# Openers of a leading adverbial that only sets the scene ("On Wednesday,", "Amid the protests,");
# never conditions or concessions ("If", "Unless", "Although"): dropping those changes the claim.
_SCENE_OPENERS = frozenset(
    "on in at amid after during following earlier later last this late".split()
)
# "In Florida," or "At the border," limits where the claim holds, so an opener with "in", "on" or
# "at" goes only when every word after it tells the time ("On Wednesday night,").
_PLACE_OPENERS = frozenset("on in at".split())
_TIME_WORDS = frozenset(
    """
    the this that last next early late earlier later week weekend month year morning afternoon
    evening night day today yesterday monday tuesday wednesday thursday friday saturday sunday
    """.split()
)


def scene_opener(head: list[str]) -> bool:
    """Whether the words `head` of a leading adverbial only set the scene (the caller checks that
    it holds no verb: "After the merger is approved," is a condition).
    """
    words = [w.casefold() for w in head]
    if not words or words[0] not in _SCENE_OPENERS:
        return False
    # "Last year in Florida,", "This week in Congress,": the place word need not come first, so
    # every word after any "in", "on" or "at", and every capitalised word, must tell the time.
    places = [i for i, w in enumerate(words) if w in _PLACE_OPENERS]
    if places and any(w not in _TIME_WORDS for w in words[places[0] + 1 :]):
        return False
    return not any(w[:1].isupper() and w.casefold() not in _TIME_WORDS for w in head[1:])


# Parenthetical qualifiers limit the claim around them: "(in mice)", "(but not in California)",
# "(who has not been charged)", "(mostly as gifts)", "(excluding fuel)". Dropping one widens or
# flips the claim, so a parenthesis goes only when it holds none of these. Credits, source tags,
# party labels, acronyms and measures ("(AP)", "(D-Calif.)", "(WHO)", "(8 km)") hold none.
_QUALIFIER_START_RE = re.compile(
    r"[\"“]?(?:in|on|at|for|among|per|and|or|nor|but|yet|so|to|up to|from|with|without|despite|"
    r"after|before|until|since|mostly|mainly|largely|partly|partially|primarily|chiefly|aged?|"
    r"excluding|except|including|adjusted|compared|versus|vs\.?|so far|for now)\b",
    re.IGNORECASE,
)
_QUALIFIER_WORD_RE = re.compile(
    r"\b(?:not|no|never|none|nor|neither|nobody|nothing|without|only|unless|except|excluding|if|"
    r"but|though|although|alleged|allegedly|reportedly|unconfirmed|unverified|estimated|"
    r"preliminary|projected|temporarily|proposed|planned|expected)\b|n[’']t\b",
    re.IGNORECASE,
)
# An aside is set off by a space: a bracket written onto a word is part of it ("section
# 230(1)", "Rule 12(b)(6)", "f(x)"), and dropping it would change what the text cites.
_PAREN_RE = re.compile(r"(?:\s+|(?<![\w)\]]))\(([^()]{0,80})\)")


def parentheticals_dropped(text: str) -> str:
    """`text` without its parenthetical asides; those that qualify the claim are kept."""

    def drop(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        # An acronym or code ("(AT&T)", "(IN)", "(HR 1)") is no qualifier, whatever it spells.
        if not any(ch.islower() for ch in inner):
            return ""
        if (
            CONDITION_RE.match(inner)
            or _QUALIFIER_START_RE.match(inner)
            or _QUALIFIER_WORD_RE.search(inner)
            or accusing(inner)
        ):
            return match.group(0)
        return ""

    return _PAREN_RE.sub(drop, text)


# Who makes a claim can be what makes it a claim: "The mayor took bribes, prosecutors said." is an
# accusation, and without its speaker it reads as a fact. Attributions to an accusing or opposing
# party, or with a verb of accusing, are kept; neutral ones ("officials said") may still go.
_ACCUSERS = frozenset(
    """
    prosecutor prosecutors critic critics opponent opponents plaintiff plaintiffs accuser accusers
    lawsuit lawsuits suit complaint complaints indictment indictments investigator investigators
    activist activists campaigner campaigners rival rivals detractor detractors skeptic skeptics
    sceptic sceptics whistleblower whistleblowers opposition protesters lawyer lawyers attorney
    attorneys affidavit filing filings petition court charges victim victims
    """.split()
)
_ACCUSING_RE = re.compile(r"\b(?:alleg|accus|claim|contend)\w*", re.IGNORECASE)
_WORD_RE = re.compile(r"[\w-]+")


def accusing(text: str) -> bool:
    """Whether `text`, an attribution or an aside about to be dropped, names an accusing party or
    uses a verb of accusing: without it the claim it qualifies would read as established fact."""
    if _ACCUSING_RE.search(text):
        return True
    return any(w.casefold() in _ACCUSERS for w in _WORD_RE.findall(text))


def last_accusation(text: str) -> int:
    """Where the last sign of `accusing` starts in `text`, or -1: for a suffix of `text` that
    starts after a space, `accusing(suffix)` is `last_accusation(text) >= start`. Cutting a
    sentence at every clause boundary asks `accusing` of each tail; this asks once."""
    last = -1
    for match in _ACCUSING_RE.finditer(text):
        last = match.start()
    # Most sentences name no accuser: one set test over all words settles it.
    if _ACCUSERS.isdisjoint(map(str.casefold, _WORD_RE.findall(text))):
        return last
    for match in _WORD_RE.finditer(text):
        if match.start() > last and match.group(0).casefold() in _ACCUSERS:
            last = match.start()
    return last


# What may stand before "said that" for the attribution to go as a whole: a plain speaker. A verb
# there makes the "that" clause its object, not a report: "The minister denied reports that X",
# "Stocks fell after the agency said that X", "The firm refused to confirm that X".
_NOT_SPEAKER_WORDS = frozenset(
    """
    to who whom whose which that after amid despite following since when as because before until
    while if although though unless whereas once over has have had is are was were be been will
    would could can may might must should shall do does did unconfirmed unverified rumors
    rumours speculation reports
    """.split()
)
_DENIAL_RE = re.compile(
    r"(?:deny|denie|denial|reject|dismiss|disput|refut|contradict|question|doubt|downplay|debunk|"
    r"rebut|challeng|contest|ridicul|scoff|discount|discredit|derid|counter|ignor|brush)",
    re.IGNORECASE,
)


def plain_speaker(words: list[str], verb_words: frozenset[str]) -> bool:
    """Whether `words`, all that stands before a leading "said that", only name who said it.

    `verb_words`: finite forms a speaker's name never holds ("fell", "has").
    """
    for word in words:
        low = word.casefold().strip(",.'’")
        if low in _NOT_SPEAKER_WORDS or _DENIAL_RE.match(low):
            return False
        # A lower-case "-ed" or "-ing" word is a verb of its own ("denied", "refusing"); names may
        # look like verbs ("Met Office", "United Nations").
        lower = word[:1].islower()
        if lower and (low in verb_words or (len(low) >= 5 and low.endswith(("ed", "ing")))):
            return False
    return not accusing(" ".join(words))
