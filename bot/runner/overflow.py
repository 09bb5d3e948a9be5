"""The list after a digest's cards: the stories that matched the channel but had no card.

Counting them ("…and 12 more") left them invisible: on a busy week a channel's extra stories
were crowded out digest after digest with no way to see what they were. Each one gets a line
instead, in the digest's rank order: its headline, its number of independent sources, the
`/story` command that shows its card, and the first report's link.

The list goes out as plain notices (`bot.store.alerts`), after the cards, as the count did.
Like the count, it does not mark a story delivered: a story listed here may still get a card in
a later digest (it then ranks by what it gained since, `bot.pipeline.digest_rank`), and never
gets two. Each notice is kept within one message of the channel's platform (`_BUDGET`, with
room for the adapter's escaping); at most `MAX_LISTED` stories are listed, and a last line
counts the rest, so a huge backlog is not a wall of messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Article
from bot.pipeline.digest import Candidate
from bot.render.links import safe_url
from bot.textutil import plural

MAX_LISTED = 30
_HEADLINE_CHARS = 120
# Characters of unescaped text per notice. Discord takes 2,000 per message and escapes markdown
# with backslashes; Slack's notice is one section of 3,000, and escapes &, < and > as entities.
# Both leave room for those; a platform not named has no small limit.
_BUDGET = {"discord": 1500, "slack": 2200}
_DEFAULT_BUDGET = 4000


def overflow_notices(platform: str, overflow: Sequence[Candidate]) -> list[str]:
    """The notices listing `overflow` (in order) for a channel on `platform`; [] if empty."""
    if not overflow:
        return []
    listed = [overflow_line(c) for c in overflow[:MAX_LISTED]]
    rest = len(overflow) - len(listed)
    budget = _BUDGET.get(platform, _DEFAULT_BUDGET)
    title = (
        f"Also matching this channel, without a card in this digest "
        f"({plural(len(overflow), 'story', 'stories')}):"
    )
    notices: list[str] = []
    current = [title]
    used = len(title)
    for line in listed:
        if used + 1 + len(line) > budget and len(current) > 1:
            notices.append("\n".join(current))
            current, used = [], 0
        current.append(line)
        used += len(line) + 1
    if rest:
        current.append(
            f"...and {plural(rest, 'more story', 'more stories')}. /digest posts the next ones; "
            "/story <words> finds any story."
        )
    notices.append("\n".join(current))
    return notices


def overflow_line(candidate: Candidate) -> str:
    """'• Headline · 3 sources · /story slug · https://…' (plain text: adapters escape it)."""
    story = candidate.story
    headline = " ".join(story.headline.split())
    if len(headline) > _HEADLINE_CHARS:
        headline = headline[: _HEADLINE_CHARS - 1].rstrip() + "…"
    parts = [
        f"• {headline}",
        plural(story.source_count, "source"),
        f"/story {story.slug}",
    ]
    if (url := first_link(candidate.members)) is not None:
        parts.append(url)
    return " · ".join(parts)


def first_link(members: Sequence[Article]) -> str | None:
    """The first report's link that is safe to show (`safe_url`), else the next one's."""
    ordered = sorted(
        members, key=lambda a: (a.when is None, a.when.timestamp() if a.when else 0.0, a.id)
    )
    for article in ordered:
        if (url := safe_url(article.url)) is not None:
            return url
    return None
