"""The list after a digest's cards: the stories that matched the channel but had no card.

Counting them ("…and 12 more") left them invisible: on a busy week a channel's extra stories
were crowded out digest after digest with no way to see what they were. Each one gets a line
instead, in the digest's rank order: its headline, its number of independent sources, the
`/story` command that shows its card, and the first report's link (marked with `url_link`, so
the adapters make it a link that opens while they escape the headline as feed text).

The list is one plain notice (`bot.store.alerts`), after the cards, as the count was, and one
message on every platform: lines are taken while the notice, escaped, stays within the
platform's message (`_LIMIT`, counted by `escaped_bound`), at most `MAX_LISTED` of them, and a
last line counts the rest. A story only counted so is listed first by the channel's next digest
(`bot.store.counted_stories`), ahead of newer stories that would take every line again. When a
story that waited through an earlier digest finds no line in this one either, the stories without
a line get a second message, the backlog's (`Backlog`, a notice of its own after the list): a
compact line each (headline and link; "now 5 sources" too for one listed before that grew), the
longest waiting first, then the rest in rank order, as
many as fit one message, at most `MAX_BACKLOG`, so the
backlog drains over twice as fast as through the list alone (80-character headlines and links:
7 list lines and 9 more on Discord, 10 and 14 on Slack). Whether the channel is still
behind, and the stories dropped after waiting their longest, are said in lines of their own at
the end (`bot.runner.backlog`), within the last message's limit. A
story listed to the channel by an earlier digest is not listed again unless it has gained sources
since (`bot.store.listed_stories`: unless the notice listing it failed, and a story merged into it
listed counts); it is counted with the rest. Like the count, a listing does not mark a story
delivered: a story listed here may still get a card in a later digest (it then ranks by what it
gained since, `bot.pipeline.digest_rank`), and never gets two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.commands.base import story_usage
from bot.models import Article
from bot.pipeline.digest import Candidate
from bot.render.links import safe_url
from bot.render.literal import parts, strip_marks, url_link
from bot.runner.backlog import behind_line, dropped_line
from bot.textutil import plural

MAX_LISTED = 10
# Lines in the backlog's message (`backlog_message`): a compact line is shorter than the list's,
# and a list past this many is no longer read through.
MAX_BACKLOG = 25
_HEADLINE_CHARS = 120
# A notice's size as each platform counts it, once escaped: Discord's message content (2,000
# UTF-16 units) and Slack's section (3,000 characters), each less a margin. A platform not named
# has no small limit.
_LIMIT = {"discord": 1980, "slack": 2950}
_DEFAULT_LIMIT = 4000
# What the adapters' escaping may turn one character into, at most: Slack writes `&` as `&amp;`
# and `<`, `>` as `&lt;`, `&gt;`; Discord puts a backslash before markdown characters and a
# zero-width space into "https://" and "@everyone". Other characters stay one (two if astral).
_GROWS = {"&": 5, "<": 4, ">": 4, **{ch: 2 for ch in "\\*_~|`[]#-+.:@()"}}
# In a link, characters either adapter's link check leaves as they are; any other is
# percent-encoded (3 per UTF-8 byte), and Slack writes a link's `&` as `&amp;`.
_URL_KEPT = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/?#@!$'*+,;=%~-._"
)


@dataclass(frozen=True, slots=True)
class OverflowNotice:
    text: str
    listed: list[Candidate]  # the stories it has a line for
    # The stories it only counts that were never listed (nor listed before): the next digest
    # lists them first (`bot.store.counted_stories`).
    counted: list[Candidate] = field(default_factory=list)
    # The message after it for a channel that is behind (a story that waited through an earlier
    # digest found no line in this one): the stories it has no line for, the longest waiting
    # first, a compact line each.
    backlog: Backlog | None = None


@dataclass(frozen=True, slots=True)
class Backlog:
    text: str
    listed: list[Candidate]


def overflow_notice(
    platform: str,
    overflow: Sequence[Candidate],
    listed_before: Mapping[str, int] | None = None,
    counted_before: Sequence[str] = (),
    *,
    cards: int = 0,
    min_sources: int = 1,
    dropped: int = 0,
) -> OverflowNotice | None:
    """The notice listing `overflow` (in order) for a channel on `platform`; None if empty.
    `listed_before`: the stories listed to the channel by earlier digests, with the sources each
    had then; such a story gets no line unless it has more now. `counted_before`: the stories an
    earlier digest only counted, the longest waiting first: listed first, in that order, so none
    stays a count for good (in rank order, the newest took the lines and the oldest expired).
    `cards` and `min_sources`: the channel's digest size and minimum, for the line saying it is
    behind (`bot.runner.backlog`); `dropped`: the stories this digest drops after they waited
    their longest, counted in a line of their own (a notice of that line alone if nothing else)."""
    if not overflow:
        if (line := dropped_line(dropped, platform)) is None:
            return None
        return OverflowNotice(line, [])
    before = listed_before or {}
    fresh = [c for c in overflow if c.story.source_count > before.get(c.story.id, -1)]
    order = {story_id: i for i, story_id in enumerate(counted_before)}
    waited = sorted(
        (c for c in fresh if c.story.id in order and c.story.id not in before),
        key=lambda c: order[c.story.id],
    )
    first = {c.story.id for c in waited}
    fresh = waited + [c for c in fresh if c.story.id not in first]
    again = len(overflow) - len(fresh)
    limit = _LIMIT.get(platform, _DEFAULT_LIMIT)
    title = (
        f"Also matching this channel, without a card in this digest "
        f"({plural(len(overflow), 'story', 'stories')}):"
    )

    sizes: dict[str, tuple[int, int]] = {}

    def behind(listed: Sequence[Candidate]) -> list[str]:
        """The closing lines once `listed` have a line: how far behind, what was dropped."""
        counted = _counted(fresh, listed, before)
        carried = sum(c.story.id in order for c in counted)
        line = behind_line(
            platform,
            behind=len(counted),
            carried=carried,
            cards=cards,
            min_sources=min_sources,
            # Only read when none was carried: the next digest's room for them.
            next_lines=(
                0
                if carried or not counted
                else next_capacity(platform, counted, sizes, cards=cards, min_sources=min_sources)
            ),
        )
        return [text for text in (line, dropped_line(dropped, platform)) if text is not None]

    # The closing lines (`behind`) are reserved in this message, where they go unless the
    # backlog's message follows; this one then ends with the count's note, shorter than the line
    # saying the channel is behind, which that case always has (a story was carried).
    lines: list[str] = []
    for candidate in fresh[:MAX_LISTED]:
        line = overflow_line(candidate, platform, marked=True)
        taken = fresh[: len(lines) + 1]
        tail = _rest_line(platform, len(overflow) - len(taken), again) + behind(taken)
        if escaped_bound("\n".join([title, *lines, line, *tail])) > limit:
            break
        lines.append(line)
    listed = fresh[: len(lines)]
    if not lines:
        text = (
            f"{plural(len(overflow), 'more story matches', 'more stories match')} this channel "
            f"without a card, listed in an earlier digest: {rest_hint(platform)}"
        )
        return OverflowNotice("\n".join([text, *behind([])]), [], _counted(fresh, [], before))
    # Stories that waited through an earlier digest and still have no line: the backlog's own
    # message lists what fits of them, then of the rest, so a busy channel's list can catch up.
    beyond = fresh[len(lines) :]
    backlog = None
    if any(c.story.id in order and c.story.id not in before for c in beyond):
        backlog = backlog_message(
            beyond,
            platform,
            limit=limit,
            tail=lambda taken: behind([*listed, *taken]),
            listed_before=before,
        )
    if backlog is None:
        tail = _rest_line(platform, len(overflow) - len(lines), again) + behind(listed)
        text = "\n".join([title, *lines, *tail])
        return OverflowNotice(text, listed, _counted(fresh, listed, before))
    rest = _rest_line(platform, len(overflow) - len(lines), again, more=" the longest waiting next")
    shown = listed + backlog.listed
    text = "\n".join([title, *lines, *rest])
    return OverflowNotice(text, listed, _counted(fresh, shown, before), backlog)


def next_capacity(
    platform: str,
    waiting: Sequence[Candidate],
    sizes: dict[str, tuple[int, int]] | None = None,
    *,
    cards: int = 0,
    min_sources: int = 1,
) -> int:
    """How many of `waiting` (carried to the next digest, which lists them first, in this
    order) that digest can give a line on `platform`: as many as fit its list's message (at
    most MAX_LISTED) and then its backlog's (at most MAX_BACKLOG), their lines as they are now,
    with room left in each for the line saying the channel is behind (`cards` and
    `min_sources` word its hint). Not a fixed 35: on Discord, 80-character headlines with links
    fit 7 and 9. `sizes` keeps each story's two lines' escaped sizes between calls."""
    limit = _LIMIT.get(platform, _DEFAULT_LIMIT)
    sizes = {} if sizes is None else sizes
    # No more can have a line, so no more need be measured.
    waiting = waiting[: MAX_LISTED + MAX_BACKLOG]
    for c in waiting:
        if c.story.id not in sizes:
            full = escaped_bound(overflow_line(c, platform, marked=True))
            sizes[c.story.id] = (full, escaped_bound(backlog_line(c, platform)))
    # The list's title and its count's last line, with counts of the most digits likely.
    title = f"Also matching this channel, without a card in this digest ({'9' * 4} stories):"
    rest = _rest_line(platform, 9999, 9999, more=" the longest waiting next")[0]
    # Each message reserves that line as it is filled (`overflow_notice`, `backlog_message`),
    # and the next digest has it whenever it is behind (one of these left without a line, or
    # more newer stories than it can list): left out here, a promise of room for all of them
    # was broken by the line itself.
    closing = 1 + escaped_bound(
        behind_line(
            platform, behind=9999, carried=1, cards=cards, min_sources=min_sources, next_lines=0
        )
        or ""
    )
    room = limit - escaped_bound(title) - 1 - escaped_bound(rest) - closing
    taken = _fit([sizes[c.story.id][0] for c in waiting], room, MAX_LISTED)
    room = limit - escaped_bound(_backlog_title(MAX_BACKLOG, 9999)) - closing
    return taken + _fit([sizes[c.story.id][1] for c in waiting[taken:]], room, MAX_BACKLOG)


def _fit(lines: Sequence[int], room: int, most: int) -> int:
    """How many of `lines` (escaped sizes), in order, fit `room` one to a line, at most `most`."""
    taken = 0
    for size in lines[:most]:
        room -= size + 1
        if room < 0:
            break
        taken += 1
    return taken


def backlog_message(
    beyond: Sequence[Candidate],
    platform: str,
    *,
    limit: int,
    tail: Callable[[Sequence[Candidate]], list[str]],
    listed_before: Mapping[str, int] | None = None,
) -> Backlog | None:
    """The message listing `beyond` (the stories the list had no line for, the longest waiting
    first), a compact line each, as many as fit `limit` with `tail` (given those it lists) after
    them, at most MAX_BACKLOG; None if not one fits. `listed_before`: as for `overflow_notice`;
    a story listed before is here because it grew, which its line says."""
    before = listed_before or {}
    lines: list[str] = []
    for candidate in beyond[:MAX_BACKLOG]:
        line = backlog_line(candidate, platform, grown=candidate.story.id in before)
        taken = list(beyond[: len(lines) + 1])
        heading = _backlog_title(len(taken), len(beyond))
        if escaped_bound("\n".join([heading, *lines, line, *tail(taken)])) > limit:
            break
        lines.append(line)
    if not lines:
        return None
    listed = list(beyond[: len(lines)])
    heading = _backlog_title(len(lines), len(beyond))
    return Backlog("\n".join([heading, *lines, *tail(listed)]), listed)


def _backlog_title(listed: int, beyond: int) -> str:
    of = "" if listed == beyond else f"{listed} of {beyond}, "
    return f"More without a card, a line each ({of}the longest waiting first):"


def backlog_line(candidate: Candidate, platform: str, *, grown: bool = False) -> str:
    """'• Headline · https://…' (the link marked to open), else '• Headline · /story slug'
    (`/story query:slug` on Discord: `story_usage`);
    `grown`, for a story an earlier digest listed with fewer sources: '• Headline · now 5
    sources · https://…', or its line would read as the one the channel already saw."""
    story = candidate.story
    url = first_link(candidate.members)
    where = url_link(url) if url is not None else story_usage(platform, strip_marks(story.slug))
    count = f" · now {plural(story.source_count, 'source')}" if grown else ""
    return f"• {_headline(story.headline)}{count} · {where}"


def _counted(
    fresh: Sequence[Candidate], listed: Sequence[Candidate], before: Mapping[str, int]
) -> list[Candidate]:
    """The stories the notice only counts and never listed: the next digest lists them first."""
    shown = {c.story.id for c in listed}
    return [c for c in fresh if c.story.id not in shown and c.story.id not in before]


def rest_hint(platform: str) -> str:
    """Where the stories a notice has no line for can be seen, as `platform` types it."""
    return f"/digest or {story_usage(platform)}"


def _rest_line(platform: str, rest: int, again: int, *, more: str = "") -> list[str]:
    """The line counting the stories without a line (`again` of them listed before); `more`:
    where more of them are listed."""
    if rest <= 0:
        return []
    before = f" ({again} listed in an earlier digest)" if again else ""
    after = f",{more}" if more else ""
    return [f"…and {rest} more{before}{after}: {rest_hint(platform)}"]


def escaped_bound(text: str) -> int:
    """At most how long `text` is once an adapter has escaped it (`_GROWS`, `_URL_KEPT`)."""
    total = 0
    for part, kind in parts(text):
        if kind == "link":
            total += 2 + sum(
                5 if ch == "&" else 1 if ch in _URL_KEPT else 3 * len(ch.encode()) for ch in part
            )
        else:
            total += sum(_GROWS.get(ch, 2 if ord(ch) > 0xFFFF else 1) for ch in part)
    return total


def overflow_line(candidate: Candidate, platform: str, *, marked: bool = False) -> str:
    """'• Headline · 3 sources · /story slug · https://…' (/story as `platform` takes it).
    Plain text, which adapters escape;
    `marked`: the link marked (`url_link`) for a notice, whose adapters make it open."""
    story = candidate.story
    fields = [
        f"• {_headline(story.headline)}",
        plural(story.source_count, "source"),
        story_usage(platform, strip_marks(story.slug)),
    ]
    if (url := first_link(candidate.members)) is not None:
        fields.append(url_link(url) if marked else url)
    return " · ".join(fields)


def _headline(headline: str) -> str:
    """A story's headline on one line, marks stripped, cut to _HEADLINE_CHARS."""
    headline = " ".join(strip_marks(headline).split())
    if len(headline) > _HEADLINE_CHARS:
        headline = headline[: _HEADLINE_CHARS - 1].rstrip() + "…"
    return headline


def first_link(members: Sequence[Article]) -> str | None:
    """The first report's link that is safe to show (`safe_url`), else the next one's."""
    ordered = sorted(
        members, key=lambda a: (a.when is None, a.when.timestamp() if a.when else 0.0, a.id)
    )
    for article in ordered:
        if (url := safe_url(article.url)) is not None:
            return url
    return None
