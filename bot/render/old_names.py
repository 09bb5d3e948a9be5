"""One line on what became of an old name `/story` and `newsdigest story` were given, e.g.
"`ferry-blueline` was merged into `central-library` on 30 Nov (it now has 7 sources)".

Like a redirect notice, it names the old name, what it became and when, and nothing more: each
rename or merge on the way (from `store/story_names`), the story shown last. A step the database
does not know (a merge recorded before migration 27) is said as such, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
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
        more = "more merges" if first.kind == "merged" else "merges"
        _, target = _what(last, slug, code)
        parts.append(f"then {len(steps) - 1} {more}, the last {target}{_on(last, now)}")
    else:
        for before, step in pairwise(steps):
            verb, target = _what(step, slug, code)
            # After a merge another story went on: named ("then `b` into `c`"); after a
            # rename the same one did ("then merged into `c`").
            who = code(step.old) if before.kind == "merged" else verb
            parts.append(f"then {who} {target}{_on(step, now)}")
    line = ", ".join(parts)
    if last.new_id == story_id or last.new is None:
        return line + ("" if last.kind == "renamed" else f" (it now has {_sources(sources)})")
    # The record stops short of the story shown (a damaged chain): say only where it leads.
    return f"{line}; it now leads to {code(slug)}"


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
