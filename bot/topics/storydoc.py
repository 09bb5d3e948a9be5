"""A story as topic queries see it: all its articles' words, in order, with outlet names.

A phrase must occur within one title or one paragraph, so articles and paragraphs are separated
by a break marker that no query word can match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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

    `members` are its articles, each a StoryDoc of its own, and `headline` what the story is
    called: a negated term is judged on those (see `bot.topics.expr.Not`). A StoryDoc built from
    bare text is a story of one article.
    """

    text: str
    sources: tuple[str, ...] = ()
    headline: str = ""
    members: tuple[StoryDoc, ...] = ()
    # The outlets' sites (`Article.outlet`, "nytimes.com"): `source:` matches them as it does
    # the names, since a site is how many people know an outlet.
    sites: tuple[str, ...] = ()

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
        for segment in _SEGMENTBREAK_RE.split(self.text):
            if seq:
                seq.append(BREAK)
            seq.extend(_initialism_parts(segment, mark=True))
        return tuple(seq)

    @cached_property
    def word_set(self) -> frozenset[str]:
        return frozenset(self.tokens) - {BREAK}

    @cached_property
    def _positions(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for i, tok in enumerate(self.tokens):
            index.setdefault(tok, []).append(i)
        return index

    @cached_property
    def source_tokens(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(parts(s)) for s in (*self.sources, *self.sites))

    def has_phrase(self, phrase: Sequence[str]) -> bool:
        if not phrase:
            return False
        if len(phrase) == 1:
            return phrase[0] in self.word_set
        # Cheap rejection first: every word must occur somewhere.
        if not all(w in self.word_set for w in phrase):
            return False
        toks = self.tokens
        n = len(phrase)
        return any(
            tuple(toks[start : start + n]) == tuple(phrase)
            for start in self._positions.get(phrase[0], ())
        )

    def has_forms(self, phrase: Sequence[frozenset[str]]) -> bool:
        """`has_phrase` where each position may be any of its forms (a word's inflections)."""
        if not phrase:
            return False
        words = self.word_set
        if not all(forms & words for forms in phrase):
            return False
        if len(phrase) == 1:
            return True
        toks = self.tokens
        n = len(phrase)
        positions = self._positions
        # Anchored on the phrase's rarest word: a phrase of common words ("the ... the x")
        # then costs the occurrences of "x", not of "the" times the phrase's length.
        counts = [sum(len(positions.get(form, ())) for form in forms) for forms in phrase]
        anchor = counts.index(min(counts))
        for hit in sorted(i for form in phrase[anchor] for i in positions.get(form, ())):
            start = hit - anchor
            if (
                start >= 0
                and start + n <= len(toks)
                and all(toks[start + k] in phrase[k] for k in range(n))
            ):
                return True
        return False


def contains_run(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))
