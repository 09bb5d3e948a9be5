"""A story as topic queries see it: all its articles' words, in order, with outlet names, and
where in a story a term stands (`StoryDoc.why`): a story is about what its headlines and its
reports' leads say, not what one paragraph mentions in passing.

A phrase must occur within one title or one paragraph, so articles and paragraphs are separated
by a break marker that no query word can match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from bot.textutil import fold

if TYPE_CHECKING:
    from bot.models import Article

# Han, Hiragana and Katakana (with the iteration marks and half-width kana), Thai, Lao, Khmer
# and Myanmar: scripts written without spaces between words, where a \w run is a whole clause
# rather than a word. Korean is written with spaces, so its words stay words, particles and all
# ("한국은" is not the word 한국).
_SPACELESS = (
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u303b\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f"
)
_SPACELESS_RE = re.compile(f"[{_SPACELESS}]")
# The parts of textutil words: its words split at their inner punctuation ("ai-powered" ->
# "ai", "powered"; "japan's" -> "japan", "s"), so "ai" matches "AI-powered". Every \w run of
# folded text lies inside exactly one textutil word, so one findall gives the same parts as
# splitting words() output, several times faster (tests pin the equivalence).
# In spaceless scripts each character is a part of its own: a term then is a run of parts, and
# the phrase matcher finds it anywhere inside a clause ("日本" in "日本経済が回復").
_PART_RE = re.compile(f"[{_SPACELESS}]|[^\\W{_SPACELESS}]+")
_WORD_RUN_RE = re.compile(r"\w+")
# Separates articles inside StoryDoc.text; a phrase never spans it.
_SEGMENTBREAK_RE = re.compile(r"\n\s*\n")
BREAK = ""  # never a \w+ match, so no phrase can match across it
# Initialisms: a word of 2-4 capitals ("US", "NATO") or a dotted one in either case ("U.S.",
# "a.i."), not inside a longer word (a spaceless script next to it is no word of it: "AI技術"),
# nor a name joined by "&" ("AT&T", "S&P": a name, which reads the same in any case).
_NOT_WORD_NEXT = f"(?<![^\\W{_SPACELESS}]|&)", f"(?![^\\W{_SPACELESS}]|&)"
_INITIALISM_RE = re.compile(
    f"{_NOT_WORD_NEXT[0]}(?<!\\.)(?:[A-Za-z](?:\\.[A-Za-z]){{1,3}}\\.?|[A-Z]{{2,4}}){_NOT_WORD_NEXT[1]}"
)
# Appended to an initialism's joined, lowercased form in a story's tokens ("U.S." -> "us_"), so
# a query written in capitals ("US") can ask for it alone, not the pronoun "us"; a lowercase
# query word asks for both. "_" is a \w character: the mark never splits a token.
CAPS_MARK = "_"

# A report's lead: the words after its title that say what it is about (the first sentence or
# two; a feed's summary is often little more). Words as written, space to space ("$70 mln" is two,
# "U.S.-led" one); and at most so many characters, for scripts written without spaces.
LEAD_WORDS = 60
LEAD_CHARS = 480
_SPACED_WORD_RE = re.compile(r"\S+")
# A term said in a lead counts when this many outlets' leads say it, or the story's only outlet's:
# one lead's aside ("as the economy recovers from the pandemic") is not what a story is about.
LEAD_OUTLETS = 2
# Said only further down, a term counts when the story comes back to it this often in all: "a
# major booster of efforts", or a profile's "served in Afghanistan", once or twice, does not.
BODY_MENTIONS = 4


def parts(text: str) -> list[str]:
    """Matching units of `text`: textutil words, split at their inner punctuation; single
    characters in scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese)."""
    folded = fold(text)
    # The plain \w+ scan is twice as fast, and ASCII text (most of it) has no spaceless script.
    return _WORD_RUN_RE.findall(folded) if folded.isascii() else _PART_RE.findall(folded)


def _initialism_parts(text: str, mark: bool) -> list[str]:
    """`parts`, but an initialism is one unit: joined ("U.S." -> "US"), then, with `mark`, as a
    story indexes it ("us_"), else as a query writes it (capitals kept: "US", "us" for "u.s.")."""
    if _INITIALISM_RE.search(text) is None:
        return parts(text)
    found: list[str] = []
    last = 0
    for match in _INITIALISM_RE.finditer(text):
        found.extend(parts(text[last : match.start()]))
        joined = match.group().replace(".", "")
        found.append(joined.lower() + CAPS_MARK if mark else joined)
        last = match.end()
    found.extend(parts(text[last:]))
    return found


def query_parts(text: str) -> list[str]:
    """A query's matching units: `parts`, with an initialism one unit and a word written in
    capitals (2-4 letters: "US", "NATO") kept in capitals, where a common word ("US") asks for
    the initialism only (`bot.topics.expr`)."""
    return _initialism_parts(text, mark=False)


def is_initialism(word: str) -> bool:
    """Whether a `query_parts` unit asks for an initialism only ("US", not "us")."""
    return 2 <= len(word) <= 4 and word.isascii() and word.isalpha() and word.isupper()


def join_parts(words: Sequence[str]) -> str:
    """`words` as a user would write them: spaced, except between spaceless-script characters."""
    text = ""
    for word in words:
        if text and not (_SPACELESS_RE.match(text[-1]) and _SPACELESS_RE.match(word)):
            text += " "
        text += word
    return text


@dataclass(frozen=True)
class StoryDoc:
    """The searchable text of one story. Derived indexes are built once, on first use.

    `members` are its articles, each a StoryDoc of its own whose `text` opens with its `title`,
    and `headline` what the story is called: a term is found where they say what the story is
    about (`why`), and a negated term is judged on each (see `bot.topics.expr.Not`). A StoryDoc
    built from bare text is one text a term may be found anywhere in.
    """

    text: str
    sources: tuple[str, ...] = ()
    headline: str = ""
    members: tuple[StoryDoc, ...] = ()
    # The outlets' sites (`Article.outlet`, "nytimes.com"): `source:` matches them as it does
    # the names, since a site is how many people know an outlet.
    sites: tuple[str, ...] = ()
    # A member's title, and its title and lead (`lead_of`): the starts of its `text`.
    title: str = ""
    lead: str = ""

    @classmethod
    def from_articles(cls, articles: Sequence[Article], headline: str | None = None) -> StoryDoc:
        """The story of `articles`; `headline` defaults to the first report's title, which
        settles what a story is about."""
        # Blank lines keep a phrase from running from one title into the next text.
        members = tuple(
            cls(
                text=f"{a.title}\n\n{a.text}",
                sources=(a.source,) if a.source else (),
                sites=(a.outlet,) if a.outlet else (),
                title=a.title,
                lead=f"{a.title}\n\n{lead_of(a.text)}",
            )
            for a in articles
        )
        outlets = tuple(dict.fromkeys(a.source for a in articles if a.source))
        sites = tuple(dict.fromkeys(a.outlet for a in articles if a.outlet))
        if headline is None:
            headline = articles[0].title if articles else ""
        return cls(
            text="\n\n".join(m.text for m in members),
            sources=outlets,
            headline=headline,
            members=members,
            sites=sites,
        )

    @cached_property
    def headline_doc(self) -> StoryDoc | None:
        return StoryDoc(text=self.headline) if self.headline else None

    @cached_property
    def tokens(self) -> tuple[str, ...]:
        """Matching units in order, with a break marker between articles/paragraphs."""
        seq: list[str] = []
        if self.members:
            # The members' own tokens, so a story whose articles a negation looked at is not
            # tokenised twice.
            for member in self.members:
                if seq:
                    seq.append(BREAK)
                seq.extend(member.tokens)
            return tuple(seq)
        return _segment_tokens(self.text)

    @cached_property
    def title_end(self) -> int:
        """Where, in a member's `tokens`, its title ends (`text` opens with it)."""
        return len(_segment_tokens(self.title))

    @cached_property
    def lead_end(self) -> int:
        """Where, in a member's `tokens`, its lead ends."""
        return len(_segment_tokens(self.lead))

    @cached_property
    def word_set(self) -> frozenset[str]:
        if self.members:
            # Its articles' words, which matching looks at anyway: no second pass over the text.
            return frozenset().union(*(m.word_set for m in self.members))
        return frozenset(self.tokens) - {BREAK}

    @cached_property
    def source_tokens(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(parts(s)) for s in (*self.sources, *self.sites))

    def has_forms(self, phrase: Sequence[frozenset[str]]) -> bool:
        """Whether the words of `phrase` occur in a row, each position any of its forms (a word's
        inflections)."""
        if len(phrase) == 1:
            return not phrase[0].isdisjoint(self.word_set)
        return next(self._starts(phrase), None) is not None

    def _starts(self, phrase: Sequence[frozenset[str]]) -> Iterator[int]:
        """Where in `tokens` `phrase` (each position any of its forms) starts, in order."""
        if not phrase:
            return
        words = self.word_set
        present = [forms & words for forms in phrase]
        if not all(present):
            return
        toks = self.tokens
        if len(phrase) == 1:
            yield from sorted(_occurrences(toks, present[0]))
            return
        n = len(phrase)
        # Anchored on the phrase's rarest word: a phrase of common words ("the ... the x")
        # then costs the occurrences of "x", not of "the" times the phrase's length. Words are
        # found by scanning (in C), not from an index of every word of every report, which a
        # story's matching would otherwise build for each of its articles.
        counts = [sum(toks.count(form) for form in forms) for forms in present]
        anchor = counts.index(min(counts))
        for hit in sorted(_occurrences(toks, present[anchor])):
            start = hit - anchor
            if (
                start >= 0
                and start + n <= len(toks)
                and all(toks[start + k] in phrase[k] for k in range(n))
            ):
                yield start

    def why(self, phrases: Sequence[Sequence[frozenset[str]]]) -> tuple[str, list[int]] | None:
        """Why the story is about one of `phrases` (alternatives, each position of each any of its
        forms), and which of them made it, or None when it only mentions them in passing:
        "headline" (the story's), "a report's title (Outlet)", "leads of N outlets" (`LEAD_OUTLETS` or
        more; "lead" of a story's only outlet: a report's first `LEAD_WORDS` words) or
        "N mentions" (`BODY_MENTIONS` or more in all its reports). Alternatives are weighed
        together: one outlet's lead saying "covid" and another's "vaccine" are two leads on the
        topic of `covid OR vaccine`. Bare text has no parts: a phrase anywhere in it is "text"."""
        if not self.members:
            hits = [i for i, phrase in enumerate(phrases) if self.has_forms(phrase)]
            return ("text", hits[:1]) if hits else None
        if (head := self.headline_doc) is not None:
            for i, phrase in enumerate(phrases):
                if head.has_forms(phrase):
                    return "headline", [i]
        words = self.word_set
        found = [
            (i, m, starts)
            for i, phrase in enumerate(phrases)
            # A word no article says rules out the phrase before each article is looked at.
            if all(not forms.isdisjoint(words) for forms in phrase)
            for m in self.members
            if (starts := list(m._starts(phrase)))
        ]
        for i, m, starts in found:
            if starts[0] + len(phrases[i]) <= m.title_end:
                # Not "headline": one of nine reports' titles is not what the story is called.
                return m.title_label, [i]
        in_leads = [
            (i, m.outlet) for i, m, starts in found if starts[0] + len(phrases[i]) <= m.lead_end
        ]
        leads = {outlet for _, outlet in in_leads}
        if len(leads) >= LEAD_OUTLETS or (leads and len({m.outlet for m in self.members}) == 1):
            why = f"leads of {len(leads)} outlets" if len(leads) > 1 else "lead"
            return why, sorted({i for i, _ in in_leads})
        # Where, not how many phrases: `tax OR taxes` finds "taxes" twice, one mention.
        said = len({(id(m), start) for _, m, starts in found for start in starts})
        if said >= BODY_MENTIONS:
            return f"{said} mentions", sorted({i for i, *_ in found})
        return None

    @property
    def title_label(self) -> str:
        """Where a member's title is, as `why` says it: "a report's title (Reuters)"."""
        name = (self.sources or self.sites or ("",))[0]
        return f"a report's title ({name})" if name else "a report's title"

    @cached_property
    def outlet(self) -> tuple[str, ...] | int:
        """Who a member speaks for: its outlet's site or name, or (neither known) itself. One
        paper's two section feeds are one voice."""
        return self.sites or self.sources or id(self)


def _occurrences(toks: tuple[str, ...], forms: frozenset[str]) -> Iterator[int]:
    """Where in `toks` any of `forms` (each known to occur) stands."""
    for form in forms:
        at = -1
        for _ in range(toks.count(form)):
            at = toks.index(form, at + 1)
            yield at


def lead_of(text: str) -> str:
    """The start of `text` that is its lead: `LEAD_WORDS` words, cut at a word's end, or
    `LEAD_CHARS` characters if fewer."""
    end = 0
    for count, word in enumerate(_SPACED_WORD_RE.finditer(text)):
        if count == LEAD_WORDS:
            break
        if word.end() > LEAD_CHARS:
            # A run of Chinese or Japanese has no spaces to cut at; each character is a word.
            end = end or LEAD_CHARS
            break
        end = word.end()
    return text[:end]


def _segment_tokens(text: str) -> tuple[str, ...]:
    """The matching units of `text`, a break marker between its blank-line-separated parts."""
    seq: list[str] = []
    for segment in _SEGMENTBREAK_RE.split(text):
        if seq:
            seq.append(BREAK)
        seq.extend(_initialism_parts(segment, mark=True))
    return tuple(seq)


def contains_run(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))
