"""One line on what became of an old name `/story` and `newsdigest story` were given, e.g.
"`ferry-blueline` was merged into `central-library` on 30 Nov (it now has 7 sources)".

Like a redirect notice, it names the old name, what it became and when, and nothing more: each
rename or merge on the way (from `store/story_names`), every story named as it was called that
day, the story shown last (with its current name too, when it has been renamed since). A step the database
does not know (a merge recorded before migration 27) is said as such, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import pairwise

from bot.store.story_names import NameHistory, Step

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Beyond this many steps the middle ones are counted, not listed: the line stays one line.
_MAX_STEPS = 3


def old_name_line(
    history: NameHistory | None,
    *,
    story_id: str,
    slug: str,
    sources: int,
    code: Callable[[str], str],
    now: datetime,
) -> str:
    """The line for `history`, which led to the story shown (`story_id`, `slug`, `sources`).
    `code` marks a slug (chat: a code span; the terminal: as is); dates are UTC days, with
    the year when it is not `now`'s. No history: the name typed was none of the story's."""
    if history is None:
        return f"Shown under its current name, {code(slug)}"
    steps = history.steps
    if not steps:
        return f"{code(history.name)} is an earlier name; it now leads to {code(slug)}"
    first, last = steps[0], steps[-1]
    verb, target = _what(first, slug, code)
    parts = [f"{code(first.old)} was {verb} {target}{_on(first, now)}"]
    if len(steps) > _MAX_STEPS:
        last_to = _into(last, slug, code)
        parts.append(f"then {_counted(first, steps[1:])}, the last {last_to}{_on(last, now)}")
    else:
        parts += [
            f"then {_then(before, step, slug, code)}{_on(step, now)}"
            for before, step in pairwise(steps)
        ]
    line = ", ".join(parts)
    if last.new_id != story_id and last.new is not None:
        # The record stops short of the story shown (a damaged chain): say only where it leads.
        return f"{line}; it now leads to {code(slug)}"
    if last.kind == "renamed":
        return line
    if last.new not in (None, slug):
        # Merged into the story shown, named as it was that day: it has been renamed since.
        return f"{line} (now {code(slug)}, with {_sources(sources)})"
    return f"{line} (it now has {_sources(sources)})"


def _then(before: Step, step: Step, slug: str, code: Callable[[str], str]) -> str:
    """A step after the first, said briefly: the same story goes on ("renamed `c`" after a
    rename: "`c`"; "merged into `c`"), or, after a merge, the story it went into (named)."""
    verb, target = _what(step, slug, code)
    if before.kind == "merged":
        return f"{code(step.old)} {'renamed ' if step.kind == 'renamed' else ''}{target}"
    return target if step.kind == "renamed" else f"{verb} {target}"


def _counted(first: Step, rest: Sequence[Step]) -> str:
    """The steps after the first, counted: "3 more merges", "2 renames and merges"."""
    kinds = [k for k in ("renamed", "merged") if any(s.kind == k for s in rest)]
    nouns = " and ".join("renames" if k == "renamed" else "merges" for k in kinds)
    more = "more " if first.kind in kinds else ""
    return f"{len(rest)} {more}{nouns}"


def _into(step: Step, slug: str, code: Callable[[str], str]) -> str:
    """What the last of the counted steps led to: "into `e`", "to `e`"."""
    _, target = _what(step, slug, code)
    return target if step.kind == "merged" else f"to {target}"


def _what(step: Step, slug: str, code: Callable[[str], str]) -> tuple[str, str]:
    """The step's verb and what it led to: ("renamed", "`b`"), ("merged", "into `b`")."""
    if step.kind == "renamed":
        return "renamed", code(step.new or "")
    if step.new is None:
        return "merged", f"into what is now {code(slug)}"
    return "merged", f"into {code(step.new)}"


def _on(step: Step, now: datetime) -> str:
    """ " on 30 Nov" (UTC), with the year when it is not `now`'s; "" when not known."""
    if step.at is None:
        return ""
    day = step.at.astimezone(UTC)
    year = f" {day.year}" if day.year != now.astimezone(UTC).year else ""
    return f" on {day.day} {_MONTHS[day.month - 1]}{year}"


def _sources(count: int) -> str:
    return f"{count} source" if count == 1 else f"{count} sources"
