"""Who a quotation is given to: the name beside it with a speech verb.

A quote can be verbatim in the sources and still be wrong when it is put in another mouth: the
source has 'Mayor Ruiz said "we will rebuild"' and names Governor Hale elsewhere, the model
writes 'Hale said "we will rebuild"'. Every name and word of that bullet is in the source, so only
the pairing of speaker and quote tells it apart.

A speaker is read only where the text makes it plain: a name right after the quotation with a
speech verb ('"...," Ruiz said', '"...," said Mayor Ruiz'), or, before it in the same sentence,
the last name followed by a speech verb ('Ruiz told reporters: "..."'). A pronoun, a role in
lower case ("the mayor said") or no speech verb at all is no speaker: a quote whose speaker the
source leaves unclear is never held against the model. Names are read less titles, and two are
one speaker when the words of one are all in the other ("Ruiz", "Elena Ruiz", "Mayor Elena Ruiz")
or they end in the same surname ("Ukrainian President Zelensky", "Volodymyr Zelensky"): a shared
title, party or nationality ("Democratic Senator Ann Ruiz", "Democratic Senator Tom Hale") is no
shared person.

A quote the source's sentence gives to a name before it and then to another after it ('Gov. Hale
called the storm "the worst in decades", Mayor Ruiz said') is one person's words reported by
another: either may be named.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

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
# Any speech verb as a word: whether a sentence reports someone saying something at all.
SPEECH_VERB_RE = re.compile(rf"\b{_SPEECH}\b", re.IGNORECASE)
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
    gov jr sr ii iii police authorities officials prosecutors investigators witnesses residents
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)
# The same, for modules that tell a person or place from an office ("Premier", "Mayor").
NOT_NAME_WORDS = _NOT_NAME_WORDS
_LOOKBACK_CHARS = 300
# Occurrences of one quote read in one source: an honest article repeats a quote a few times; a
# hostile one repeating it thousands of times gets no more reads than this.
_MAX_READS = 50
_LOOKAHEAD_CHARS = 120


# A speaker's name: its words in order, folded, less titles, pronouns and openers; () for none.
Name = tuple[str, ...]


def name_key(name: str) -> Name:
    """The words that identify whoever `name` is, in order, folded, less titles and openers."""
    words = (fold(w.strip(".,'’")).removesuffix("'s") for w in name.split())
    return tuple(dict.fromkeys(w for w in words if w and w not in _NOT_NAME_WORDS))


def same_speaker(one: Name, other: Name) -> bool:
    """Whether two names can be one person: the words of one all in the other, or one surname.

    Any one shared word would make "Ukrainian Foreign Minister Dmytro Kuleba" the Ukrainian
    president; a surname and a subset keep "Zelensky", "President Volodymyr Zelensky" and
    "Ukrainian President Zelensky" one man (and "Xi" one with "Xi Jinping").
    """
    if not one or not other:
        return False
    mine, theirs = set(one), set(other)
    return mine <= theirs or theirs <= mine or one[-1] == other[-1]


def speaker(text: str, start: int, end: int) -> Name:
    """The name (`name_key`) of whoever `text` gives the quotation at `text[start:end]` (its
    marks included) to; () when the text does not make it plain."""
    after = _speaker_after(text, start, end)
    return after or _speaker_before(text, start)


def speakers(text: str, start: int, end: int) -> list[Name]:
    """Everyone `text` plainly gives the quotation at `text[start:end]` to: the name after it
    and the one before it in its sentence ('Gov. Hale called the storm "...", Mayor Ruiz said'
    reports Hale's words), [] when the text names no one."""
    found = (_speaker_after(text, start, end), _speaker_before(text, start))
    return [name for name in dict.fromkeys(found) if name]


def _speaker_after(text: str, start: int, end: int) -> Name:
    tail = text[end : end + _LOOKAHEAD_CHARS]
    closed = text[start:end].rstrip("\"”’'»«“‘ ").endswith((".", "…"))
    after = None if closed else _AFTER_RE.match(tail)
    if after:
        return name_key(after.group("inverted") or after.group("name"))
    return ()


def _speaker_before(text: str, start: int) -> Name:
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
    return named[-1] if named else ()


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


def _outermost(bounds: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The quotations no other holds, as sorted starts and their ends: `quotation_bounds` nests
    them, so the one holding a match is found by bisection, not by a scan of every quotation
    (a long article quoting the same words hundreds of times made that quadratic)."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(bounds, key=lambda span: (span[0], -span[1])):
        if ends and e <= ends[-1]:
            continue  # inside the last outer quotation
        starts.append(s)
        ends.append(e)
    return starts, ends


def source_speakers(quote: str, sources: Iterable[str]) -> Iterator[list[Name]]:
    """Who the sources plainly give `quote` to: for each occurrence whose speaker is clear,
    everyone its text gives it to (`speakers`); at most _MAX_READS occurrences of a source.

    An occurrence inside a longer quotation is read at that quotation's marks; one outside any
    quotation (the model quoting a source's plain words) where it stands.
    """
    pattern = _pattern(quote)
    for text in sources:
        matches = pattern.finditer(text)
        first = next(matches, None)
        if first is None:
            continue
        # Reading a text's quotation marks is the costly part: only where the quote occurs.
        starts, ends = _outermost(quotation_bounds(text))
        read: set[tuple[int, int]] = set()
        for match in itertools.chain([first], matches):
            k = bisect_right(starts, match.start()) - 1
            # The outermost quotation holds the marks a speech verb stands beside.
            if k >= 0 and match.end() <= ends[k]:
                start, end = starts[k] - 1, ends[k] + 1
            else:
                start, end = match.start(), match.end()
            if (start, end) in read:
                continue  # the same quotation, matched again further in
            if len(read) == _MAX_READS:
                break
            read.add((start, end))
            names = speakers(text, start, end)
            if names:
                yield names


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
        named = False
        for names in source_speakers(quote, homes):
            named = True
            if any(same_speaker(claimed, name) for name in names):
                break
        else:
            if named:
                return quote
    return None
