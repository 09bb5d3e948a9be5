"""Who a quotation is given to: the name beside it with a speech verb.

A quote can be verbatim in the sources and still be wrong when it is put in another mouth: the
source has 'Mayor Ruiz said "we will rebuild"' and names Governor Hale elsewhere, the model
writes 'Hale said "we will rebuild"'. Every name and word of that bullet is in the source, so only
the pairing of speaker and quote tells it apart.

A speaker is read only where the text makes it plain: a name right after the quotation with a
speech verb ('"...," Ruiz said', '"...," said Mayor Ruiz'), or, before it in the same sentence,
the last name followed by a speech verb ('Ruiz told reporters: "..."'). A pronoun, a role in
lower case ("the mayor said") or no speech verb at all is no speaker: a quote whose speaker the
source leaves unclear is never held against the model. Names are compared by their words less
titles, so "Mayor Elena Ruiz", "Ruiz" and "Elena Ruiz" are one speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.summarize.quote_marks import quotation_bounds
from bot.textutil import fold

# Speech verbs in the forms a report uses; a name next to one of them is saying something.
_SPEECH = (
    r"(?:say|says|said|saying|tell|tells|told|telling|add|adds|added|warn|warns|warned|vow|vows|"
    r"vowed|insist|insists|insisted|state|states|stated|declare|declares|declared|write|writes|"
    r"wrote|argue|argues|argued|ask|asks|asked|reply|replies|replied|promise|promises|promised|"
    r"pledge|pledges|pledged|note|notes|noted|explain|explains|explained|announce|announces|"
    r"announced|claim|claims|claimed|stress|stresses|stressed|urge|urges|urged|recall|recalls|"
    r"recalled|admit|admits|admitted|acknowledge|acknowledges|acknowledged|concede|concedes|"
    r"conceded|remark|remarks|remarked|call|calls|called|describe|describes|described)"
)
# Before a verb: an auxiliary or an adverb ("has said", "later told", "repeatedly warned").
_BEFORE_VERB = r"(?:(?:has|have|had|also|then|later|again|once|\w+ly)\s+)?"
# A capitalised word of a name: "Ruiz", "O'Neill", "Saint-Clair", an initial "J.".
_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_NAME = rf"{_WORD}(?:\s+(?:(?:de|da|van|von|der|del|la|le|bin|al)\s+)?{_WORD})*"
# An aside between a name and its verb: "Ruiz, the town's mayor, said", "Ruiz, 54, said". It
# opens in lower case: "Rochester, N.H., Biden was unequivocal, saying" holds no aside.
_ASIDE = r"(?:,\s+[a-z0-9][^,.;:\"“”«»]{0,60},)?"
# Right after the closing mark: '"...," said Mayor Ruiz' or '"...", Ruiz said'. Not past a full
# stop: '"... of our rules." Mr Trump said the move ...' starts the next sentence.
_AFTER_RE = re.compile(
    rf"\A[\s,]*(?:{_SPEECH}\s+(?P<inverted>{_NAME})"
    rf"|(?P<name>{_NAME}){_ASIDE}\s+{_BEFORE_VERB}{_SPEECH}\b)"
)
# Before the opening mark: every name followed by a speech verb (the last one is the speaker),
# "according to Ruiz", and "said Ruiz:" right before the quotation.
_LEAD_IN_RE = re.compile(
    rf"(?<![\w'’])(?P<name>{_NAME}){_ASIDE}\s+{_BEFORE_VERB}{_SPEECH}\b"
    rf"|\b(?i:according\s+to)\s+(?P<according>{_NAME})"
)
_SAID_NAME_RE = re.compile(rf"\b(?:said|says|added|asked|wrote)\s+(?P<name>{_NAME})\s*[:,]?\s*\Z")
# Where the sentence holding a quotation starts and ends, for the lead-in and the tail read.
# A title is joined to its text by a line break, not a full stop.
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’»]?\s+(?=[\"“‘«A-Z])|\n")
# Capitalised words that name no one: pronouns, titles, and sentence openers.
_NOT_NAME_WORDS = frozenset(
    """
    i he she it we they you his her their its our this that these those the a an and but or so
    yet then also still now later on in at after before when while as if though although
    mayor governor president minister prime deputy senator sen representative rep congressman
    congresswoman chancellor premier secretary general gen chief director spokesman spokeswoman
    spokesperson judge justice officer detective inspector sergeant sgt captain capt commander
    colonel col lieutenant lt king queen prince princess pope bishop father rev mr mrs ms miss
    dr prof professor sir dame lord lady chair chairman chairwoman ceo councillor councilor
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)
_LOOKBACK_CHARS = 300
_LOOKAHEAD_CHARS = 120


def name_key(name: str) -> frozenset[str]:
    """The words that identify whoever `name` is, folded, less titles, pronouns and openers."""
    words = (fold(w.strip(".,'’")).removesuffix("'s") for w in name.split())
    return frozenset(w for w in words if w and w not in _NOT_NAME_WORDS)


def speaker(text: str, start: int, end: int) -> frozenset[str]:
    """The key (`name_key`) of whoever `text` gives the quotation at `text[start:end]` (its marks
    included) to; empty when the text does not make it plain."""
    tail = text[end : end + _LOOKAHEAD_CHARS]
    closed = text[start:end].rstrip("\"”’'»«“‘ ").endswith((".", "…"))
    after = None if closed else _AFTER_RE.match(tail)
    if after:
        key = name_key(after.group("inverted") or after.group("name"))
        if key:
            return key
    lead_in = text[max(0, start - _LOOKBACK_CHARS) : start]
    ends = list(_SENTENCE_END_RE.finditer(lead_in))
    if ends:
        lead_in = lead_in[ends[-1].end() :]
    said = _SAID_NAME_RE.search(lead_in)
    if said:
        return name_key(said.group("name"))
    named = [
        key
        for match in _LEAD_IN_RE.finditer(lead_in)
        if (key := name_key(match.group("name") or match.group("according")))
    ]
    return named[-1] if named else frozenset()


def _pattern(quote: str) -> re.Pattern[str]:
    """`quote` as a pattern matching it in a source whatever its spacing and quote glyphs."""
    parts: list[str] = []
    for ch in quote.strip():
        if ch.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in "'’‘":
            parts.append("['’‘]")
        elif ch in '"“”':
            parts.append('["“”]')
        else:
            parts.append(re.escape(ch))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


def source_speakers(quote: str, sources: Iterable[str]) -> list[frozenset[str]]:
    """Who the sources plainly give `quote` to, one key per occurrence whose speaker is clear.

    An occurrence inside a longer quotation is read at that quotation's marks; one outside any
    quotation (the model quoting a source's plain words) where it stands.
    """
    pattern = _pattern(quote)
    found: list[frozenset[str]] = []
    for text in sources:
        matches = list(pattern.finditer(text))
        # Reading a text's quotation marks is the costly part: only where the quote occurs.
        bounds = quotation_bounds(text) if matches else []
        for match in matches:
            around = [(s, e) for s, e in bounds if s <= match.start() and match.end() <= e]
            # The outermost quotation holds the marks a speech verb stands beside.
            start, end = (
                (min(s for s, _ in around) - 1, max(e for _, e in around) + 1)
                if around
                else (match.start(), match.end())
            )
            key = speaker(text, start, end)
            if key:
                found.append(key)
    return found


def misattributed(text: str, sources: Iterable[str]) -> str | None:
    """The first quotation of `text` that it gives to a speaker no source gives it to, when the
    sources do name one (see the module docstring); None when every quote's speaker checks out."""
    homes = list(sources)
    bounds = quotation_bounds(text)
    for start, end in bounds:
        if any(s < start and end < e for s, e in bounds):
            continue  # a quote within a quote: the outer one's speaker is the one to check
        quote = text[start:end].strip(" .…,")
        claimed = speaker(text, start - 1, end + 1)
        if not claimed or not quote:
            continue
        given = source_speakers(quote, homes)
        if given and not any(claimed & key for key in given):
            return quote
    return None
