"""What the LLM writer's prose may never hold, wherever the words came from.

Chat markup, mentions and links: a neutral summary line needs none of them, and a hostile feed
article can hand the model "@everyone" or a link to repeat verbatim (renderers escape them, but
a card that pings or links is already wrong). Claims about the sources: the card states which
outlets report a bullet, from the sources; a model line naming an outlet ("Harbor Daily
reports ...") or counting them ("all outlets report ...") would state it a second time, unchecked;
a count the sources give themselves, of the press as the story's subject saying what it does
itself ("12 newspapers said they would close"), is the story's news; "according to three
newspapers" or "three newspapers report that ..." counts the card's outlets, unless a source
itself says that many of that press reported it ("Three newspapers reported that the mine would
close"): then it relays the source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from bot.textutil import BIDI_CONTROLS

# Mentions (@everyone, @here, @name, <@U123>, <!channel>, <#C1>), links (a scheme, www., a
# markdown link, Slack's <url|text>, a bare host with a path), HTML, emoji codes, spoilers and
# emphasis or code (*x*, _x_, `x`, ~x~). A lone "*" or
# "`" is no prose either; "~" and "_" only in pairs, so "~50 people" and "snake_case" pass.
_MARKUP_RE = re.compile(
    r"(?<![\w.])@\w"
    r"|<[@!#]"
    # A scheme starts where a run of scheme characters starts: with a plain \b, every letter
    # after a "." or "-" of "a.a.a.a..." began one and scanned to the run's end (quadratic).
    r"|(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://"
    r"|\bwww\."
    r"|\]\s*\("
    r"|<[^<>\s|]+\|"
    r"|[*`]"
    r"|(?<!\w)_[^_\s](?:[^_]*[^_\s])?_(?!\w)"
    r"|~[^~\s](?:[^~]*[^~\s])?~"
    # An address without a scheme: a host with a path ("evil.example/win"); "U.S./Mexico" has no
    # two-letter label before its slash, "km/h" no dot.
    r"|(?<![\w.@/-])(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]+/"
    # HTML tags and entities ("<b>", "&lt;!channel&gt;"), which a renderer may show or decode.
    r"|</?[a-z][a-z0-9]*[\s/>]"
    r"|&(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);"
    # Slack's emoji codes (":rotating_light:") and Discord's spoiler bars ("||…||").
    r"|(?<![\w:]):[a-z0-9][a-z0-9_+-]*:(?![\w:])"
    r"|\|\|",
    re.IGNORECASE,
)
# Markup that opens a line: a heading ("# ", "### "), Discord's subtext ("-# ") and a quote block
# (">", "> ", ">>> "), which both platforms render from the start of any line of a message.
_LINE_MARKUP_RE = re.compile(r"^[ \t]*(?:(?:#{1,6}|-#)[ \t]|>)", re.MULTILINE)
# Embeddings, overrides and isolates reorder the text around them as shown ("\u202e" shows
# the rest of a line backwards), so a card can show words other than the ones checked. The
# marks (U+200E, U+200F, U+061C) are left: right-to-left prose carries them, and they reorder
# nothing beyond a neighbouring character.
_BIDI_CONTROL_RE = re.compile(f"[{BIDI_CONTROLS}]")
# Mentions spelled so the patterns above miss them, a platform or a reader's eye not: with an
# invisible character inside ("@\u200beveryone") or in a compatibility form ("＠everyone",
# "﹤!channel>"). Looked for in the text folded (`_folded`), which is only read, never shown.
_FOLDED_MENTION_RE = re.compile(r"(?<![\w.])@\w|<[@!#]")


def _folded(text: str) -> str:
    """`text` without format characters (zero-width spaces, joiners) and in NFKC, for the
    markup checks only: the whole of `_MARKUP_RE` on it would refuse everyday CJK prose, whose
    full-width tildes ("3～5") fold to the "~" of strikethrough."""
    if text.isascii():
        return text
    visible = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return unicodedata.normalize("NFKC", visible)


# A verb saying what an outlet (or a count of them) reports, with the auxiliaries and adverbs a
# model puts between: "report", "have reported", "also say", "were first to report".
_REPORTING_VERB = (
    r"(?i:(?:(?:also|all|both|first|earlier|now|have|has|had|is|are|was|were|each)\s+){0,2}"
    r"(?:report(?:s|ed|ing)?|say(?:s|ing)?|said|write(?:s)?|wrote|writing|note(?:s|d)?|"
    r"add(?:s|ed)?|agree(?:s|d)?|confirm(?:s|ed)?|carr(?:y|ies|ied)|cover(?:s|ed)?|"
    r"cite(?:s|d)?|quote(?:s|d)?|describe(?:s|d)?|claim(?:s|ed)?|state(?:s|d)?|"
    r"mention(?:s|ed)?|highlight(?:s|ed)?|reveal(?:s|ed)?|learn(?:s|ed)|told|citing)\b)"
)
# Outlets counted as the coverage: "all outlets report", "most news outlets say", "four of the
# publications said", "reported by three outlets". Only nouns that mean the press, and only next
# to a reporting verb: "12 reports of looting" and "several sources close to the talks" are news
# (police reports, unnamed people), not a count of the card's outlets.
_QUANTITY = (
    r"(?:all|every|each|most|many|several|both|multiple|\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten)"
)
_PRESS = (
    r"(?:of\s+the\s+)?(?:(?:news|media)\s+)?(?:outlets?|publications?|newspapers?|media|"
    r"news\s+sites?|(?:news|media)\s+organi[sz]ations?)"
)
_COUNTED_SOURCES_RE = re.compile(
    rf"\b(?P<count>{_QUANTITY})\s+(?P<press>{_PRESS})\s+{_REPORTING_VERB}"
    rf"|\b(?:(?:reported|covered|confirmed|carried|cited|noted|mentioned)\s+(?:by|in|across)|"
    rf"according\s+to|across)\s+(?:the\s+)?(?P<count2>{_QUANTITY})\s+(?P<press2>{_PRESS})\b",
    re.IGNORECASE,
)
# A count's other spelling, so "twelve newspapers" is the sources' "12 newspapers".
_COUNT_WORDS = dict(
    zip(
        "two three four five six seven eight nine ten".split(),
        map(str, range(2, 11)),
        strict=True,
    )
)
_COUNT_SPELLINGS = {**_COUNT_WORDS, **{d: w for w, d in _COUNT_WORDS.items()}}


def _count_in_sources(
    count: str, press: str, sources: Sequence[str], *, reporting: bool = False
) -> bool:
    """Whether a source counts the same press itself ("12 newspapers", "12 regional newspapers"):
    then the count is the story's news (papers that close, outlets that were raided), not the
    model counting the card's outlets, which no source does. With `reporting`, only a count the
    source makes the subject of a reporting verb ("Three newspapers reported that ...")."""
    spellings = {count.casefold(), _COUNT_SPELLINGS.get(count.casefold(), count.casefold())}
    noun = press.split()[-1].casefold().removesuffix("s")
    pattern = re.compile(
        rf"\b(?:{'|'.join(map(re.escape, spellings))})\s+(?:[\w'’-]+\s+){{0,2}}"
        rf"{re.escape(noun)}s?\b" + (rf",?\s+{_REPORTING_VERB}" if reporting else ""),
        re.IGNORECASE,
    )
    return any(pattern.search(text) for text in sources)


# What the press does in a story about it ("12 newspapers said they would close", "agreed to
# merge") rather than what it reports ("three newspapers report that the mayor resigned").
_ABOUT_ITSELF_RE = re.compile(
    r"\s+(?:that\s+)?(?:they|their|them|themselves|it|its|itself)\b", re.IGNORECASE
)
_AGREE_RE = re.compile(r"agree(?:s|d)?\Z", re.IGNORECASE)


def _is_story_subject(counted: re.Match[str], text: str) -> bool:
    """Whether a count of the press is the subject of the story's own news: the press counted
    as the subject of a verb saying what it does itself, not "according to N newspapers",
    "reported by N outlets" or "N newspapers report that ...", which count the card's outlets."""
    if counted.group("count") is None:
        return False
    said = counted.group(0).rstrip()
    if _AGREE_RE.search(said):
        return True
    return _ABOUT_ITSELF_RE.match(text, counted.end()) is not None


# Attribution around an outlet's name: "according to X", "per X", "reported by X", "told X",
# "X's reporting", "X:" opening the line. The name itself is matched case-sensitively.
_ATTRIBUTION_BEFORE = (
    r"(?i:\b(?:according\s+to|per|(?:reported|quoted|cited|carried|confirmed)\s+(?:by|in)|"
    r"told|in\s+an?\s+interview\s+with)\s+(?:the\s+)?)"
)
_ATTRIBUTION_AFTER = (
    r"(?i:'s\s+(?:report(?:s|ing)?|coverage|story|article|reporters?|sources?|analysis))"
)


def _name_pattern(name: str) -> str | None:
    """The outlet's name as a regex, or None for an empty one.

    A leading "The" may be left off or written lower-case ("the Coastline Times"), but only when
    more than one word remains: "The Hill" stripped to "Hill" would match "Capitol Hill".
    """
    name = " ".join(name.split())
    rest = name.removeprefix("The ")
    if not rest:
        return None
    words = r"\s+".join(re.escape(w) for w in rest.split())
    if rest == name:
        return words
    # "the Hill" is the place ("lawmakers on the Hill said"); only "The Hill" is the outlet.
    the = r"(?:[Tt]he\s+)?" if len(rest.split()) > 1 else r"The\s+"
    return the + words


def _names_outlet(name: str, text: str) -> bool:
    """Whether `text` says what the outlet `name` reports: its name next to a reporting verb or
    attribution. A bare mention is news, not a claim about the sources: NPR in a story about
    NPR's funding, which its own sources name as a subject."""
    pattern = _name_pattern(name)
    if pattern is None:
        return False
    bounded = rf"(?<!\w){pattern}(?!\w)"
    claim = (
        rf"{bounded}(?:,)?\s+{_REPORTING_VERB}"
        rf"|{bounded}{_ATTRIBUTION_AFTER}"
        rf"|{_ATTRIBUTION_BEFORE}{bounded}"
        rf"|^\s*{bounded}\s*:"
    )
    return re.search(claim, text) is not None


class ProseRejected(ValueError):
    """Model prose holding markup, a mention, a link or a claim about the sources."""


# Longer than any bullet, angle line or quote a card shows: an endpoint that ignores max_tokens
# (or is not what it claims) gets no regex run over a megabyte of its answer.
MAX_PROSE_CHARS = 2_000


def check_prose(text: str, outlet_names: Iterable[str], sources: Sequence[str] = ()) -> None:
    """Raise ProseRejected if `text` is over-long, holds markup, or names or counts the story's
    outlets. A count of the press that one of `sources` gives itself is news, not a count of the
    outlets, when the press is the subject saying what it does itself: "12 newspapers said they
    would close" when a source says 12 newspapers will; so is "according to three newspapers"
    when a source says "three newspapers reported"."""
    if len(text) > MAX_PROSE_CHARS:
        raise ProseRejected(f"model text of {len(text)} characters (at most {MAX_PROSE_CHARS})")
    markup = (
        _MARKUP_RE.search(text)
        or _LINE_MARKUP_RE.search(text)
        or _BIDI_CONTROL_RE.search(text)
        or _FOLDED_MENTION_RE.search(_folded(text))
    )
    if markup:
        raise ProseRejected(f"markup, mention or link in model text: {markup.group(0)!r}")
    for counted in _COUNTED_SOURCES_RE.finditer(text):
        count = counted.group("count") or counted.group("count2")
        press = counted.group("press") or counted.group("press2")
        if _is_story_subject(counted, text) and _count_in_sources(count, press, sources):
            continue  # the press is the story's news
        if _count_in_sources(count, press, sources, reporting=True):
            continue  # a source's own "three newspapers reported that ...", relayed
        raise ProseRejected(f"model text counts the outlets: {counted.group(0)!r}")
    for name in outlet_names:
        if _names_outlet(name, text):
            raise ProseRejected(f"model text names the outlet {name!r}")
