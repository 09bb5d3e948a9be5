"""`source:` names weighed against the outlets a database knows (its feeds' names and sites, and
the names its articles came under), where a query is typed: `/follow`, `topics add`, `topics
test`. Read alone, a query cannot tell `source:wsj` (no outlet here) from `source:reuters`, and
`source:New York Times` read `source:new AND york AND times` and matched nothing, silently.

`check_source_names` refuses an unquoted `source:` name whose next words make a known outlet's
name with it (write `source:"New York Times"`); `source_notes` says which names match no known
outlet, with the closest ones: a note, not a refusal, since a feed may be added later."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

from bot.topics.lexer import QueryError, Tok, tokenize
from bot.topics.storydoc import contains_run, join_parts, parts

_SOURCE_PREFIX = "source:"
# How close a name must be to be offered (difflib's ratio), and how many are.
_CLOSE_ENOUGH = 0.75
_CLOSEST = 3
_BEHIND_BEST = 0.1
# Words an outlet's initials skip: "The New York Times" is NYT.
_UNINITIALLED = frozenset({"the", "of", "and", "a"})


@dataclass(frozen=True)
class KnownOutlets:
    """The outlet names and sites a `source:` name may match (`bot.store.feeds.known_outlets`)."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, names: Iterable[str]) -> KnownOutlets:
        return cls(tuple(dict.fromkeys(n for n in names if n)))

    @cached_property
    def words(self) -> tuple[tuple[str, ...], ...]:
        """Each name's matching units, as `source:` compares them (`expr.Source`)."""
        return tuple(tuple(parts(name)) for name in self.names)

    def named(self, words: Sequence[str]) -> bool:
        """Whether some known outlet matches a `source:` of `words`."""
        return any(contains_run(outlet, words) for outlet in self.words)

    def closest(self, words: Sequence[str]) -> list[str]:
        """The known names closest to `words`, best first: a run of as many of a name's words
        spelt nearly so (`fox new`: Fox News), or its initials (`nyt`: The New York Times)."""
        wanted = " ".join(words)
        scored: list[tuple[float, str]] = []
        for name, outlet in zip(self.names, self.words, strict=True):
            best = max((_ratio(wanted, c) for c in _candidates(outlet, len(words))), default=0)
            if best >= _CLOSE_ENOUGH:
                scored.append((best, name))
        scored.sort(key=lambda s: -s[0])
        # Far behind the best (`nytimes`: New York Times, not Los Angeles Times) is noise.
        floor = scored[0][0] - _BEHIND_BEST if scored else 0
        return [name for score, name in scored[:_CLOSEST] if score >= floor]


def _candidates(outlet: Sequence[str], n: int) -> Iterable[str]:
    """What of an outlet's words `n` words of a `source:` may be meant for: each run of `n`,
    and for one word each longer run as sites and people shorten it: initials (`nyt`), the
    words run together (`foxnews`) or all but the last as initials (`nytimes`). A handful per
    outlet: names are short."""
    for i in range(len(outlet) - n + 1):
        yield " ".join(outlet[i : i + n])
    if n == 1:
        initialled = [w for w in outlet if w not in _UNINITIALLED]
        for i in range(len(initialled)):
            for j in range(i + 2, len(initialled) + 1):
                run = initialled[i:j]
                yield "".join(w[0] for w in run)
                yield "".join(run)
                yield "".join(w[0] for w in run[:-1]) + run[-1]


def _ratio(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b)
    # The cheap upper bounds first: most names are nowhere near.
    if matcher.real_quick_ratio() < _CLOSE_ENOUGH or matcher.quick_ratio() < _CLOSE_ENOUGH:
        return 0.0
    return matcher.ratio()


def check_source_names(query: str, known: KnownOutlets) -> None:
    """Refuse an unquoted `source:new` whose next words make a known outlet's name with it
    (`source:New York Times`): read as `source:new AND york AND times`, it needs all three
    words besides an outlet named "new", and matches nothing. The longest such run is offered
    quoted."""
    toks = tokenize(query)
    for k, tok in enumerate(toks):
        if tok.kind != "SOURCE" or not _bare(query, tok):
            continue
        words = list(parts(tok.value))
        last: Tok | None = None
        for nxt in toks[k + 1 :]:
            if nxt.kind != "TERM" or not (more := parts(nxt.value)):
                break
            words += more
            if known.named(words):
                last = nxt
        if last is not None:
            name = query[tok.pos + len(_SOURCE_PREFIX) : last.pos + len(last.value)]
            raise QueryError(
                f'an outlet\'s name with spaces takes double quotes: source:"{name}" (as '
                f"written, source:{tok.value} is one word and the words after it are words to "
                "find; put them before source: for that)",
                tok.pos,
                query,
            )


def source_notes(query: str, known: KnownOutlets, show: Callable[[str], str] = str) -> list[str]:
    """A note for each `source:` name no known outlet matches, naming the closest ones; none
    when no outlet is known (a new database) or the query does not parse. `show` writes typed
    and feed text for where the note goes (chat's `literal`, the terminal's `clean`)."""
    if not known.names:
        return []
    try:
        toks = tokenize(query)
    except QueryError:
        return []
    notes: list[str] = []
    for tok in toks:
        if tok.kind != "SOURCE" or not (words := parts(tok.value)) or known.named(words):
            continue
        text = join_parts(words)
        shown = f'source:"{text}"' if " " in text else f"source:{text}"
        close = known.closest(words)
        hint = f" (closest: {', '.join(show(c) for c in close)})" if close else ""
        note = (
            f"{show(shown)} matches none of the outlets the feeds here have{hint}; it will match a "
            "feed by that name added later"
        )
        if note not in notes:
            notes.append(note)
    return notes


def _bare(query: str, tok: Tok) -> bool:
    """Whether a `source:` token's name was written without quotes."""
    at = tok.pos + len(_SOURCE_PREFIX)
    return query[at : at + 1].isalnum()
