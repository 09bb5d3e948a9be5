"""The platform-neutral story card: what every renderer (console, HTML, Slack, Discord) draws.

A card holds only text and facts. Escaping for a target format is the renderer's job, so feed text
stays untrusted here and every renderer must treat it as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.config_entries import SLUG_RE
from bot.models import Angle, Bullet
from bot.outlets import independent_backing

# Outlets one wire text's bullet names ("reported by 1 of 4, one wire copy: A, B +3 more"): a
# bullet line has room for a couple of names, not for every paper that ran the agency's copy.
NAMED_OUTLETS = 2


@dataclass(slots=True)
class SourceLink:
    source: str
    title: str
    url: str | None


WRITER_NOTE = "Summary written by a model and checked against the sources"


@dataclass(frozen=True, slots=True)
class CardAction:
    """A button under a card, as every platform offers it (`StoryCard.actions`): the adapter
    draws it and turns a click into the core command it names. `value` is what the click acts
    on: the story's slug (`breakdown`: /story it; `new_topic`: a topic named after it), the
    topic (`follow`), the story's id (`mute`, which a merge or a new slug leaves valid)."""

    kind: str
    label: str
    value: str


BREAKDOWN = "breakdown"
FOLLOW = "follow"
NEW_TOPIC = "new_topic"
MUTE = "mute"


@dataclass(slots=True)
class StoryCard:
    story_id: str
    slug: str
    headline: str
    # Independent sources: wire copy republished by several outlets counts once.
    source_count: int
    outlets: list[str]
    tldr: list[Bullet]
    sources: list[SourceLink]
    angles: list[Angle]
    also_reporting: list[str]
    first_seen: datetime
    as_of: datetime
    # Groups of outlets that carried the same wire copy (each group counted once).
    wire_groups: list[list[str]] = field(default_factory=list)
    # The channel's followed topics this story matched (shown on the card).
    topics: list[str] = field(default_factory=list)
    writer: str = "extractive"
    # Shared topics this story matched that the channel does not follow yet: what its "Follow
    # <topic>" button offers (offering one it already follows would be a button that does nothing).
    follow_topics: list[str] = field(default_factory=list)
    # The link of the article whose title `headline` is (`bot.models.Summary.headline_url`);
    # None when not known (a summary cached before, a headline no source's title is).
    headline_url: str | None = None

    @property
    def title_urls(self) -> list[str | None]:
        """The links a card's title may open, best first: the article its headline is the title
        of, then each source's in order (a renderer takes the first it can link)."""
        return [self.headline_url, *(s.url for s in self.sources)]

    def with_headline(self, headline: str) -> StoryCard:
        """A copy under another `headline` (the one a posted card keeps), its title linking the
        source whose title that headline is, if one is (else the renderer's fallback)."""
        wanted = _words(headline)
        url = next((s.url for s in self.sources if wanted and _words(s.title) >= wanted), None)
        return replace(self, headline=headline, headline_url=url)

    def actions(self, *, full: bool = False) -> list[CardAction]:
        """The card's buttons, the same on every platform: "Full breakdown" but on the breakdown
        itself; "Follow <topic>" for a matched topic the channel does not follow yet, else
        "Follow topic" to name a new one (a button for a topic it follows would do nothing);
        "Mute story". A topic that is no slug (a hand-edited database) is not offered: its
        button would follow another name."""
        out: list[CardAction] = []
        if not full:
            out.append(CardAction(BREAKDOWN, "Full breakdown", self.slug))
        topic = self.follow_topics[0] if self.follow_topics else ""
        if topic and SLUG_RE.fullmatch(topic):
            out.append(CardAction(FOLLOW, f"Follow {topic}", topic))
        else:
            out.append(CardAction(NEW_TOPIC, "Follow topic", self.slug))
        out.append(CardAction(MUTE, "Mute story", self.story_id))
        return out

    @property
    def writer_note(self) -> str | None:
        """The line under a model-written TL;DR: readers should know a model wrote the words they
        read, and that what it says was checked against the sources (`summarize/llm_check`)."""
        return WRITER_NOTE if self.writer == "llm" else None

    @property
    def outlet_count(self) -> int:
        return len(self.outlets)

    @property
    def age_label(self) -> str:
        """'as of 2h after first report', the freshness line of the example card."""
        return f"as of {humanize_delta(self.as_of - self.first_seen)} after first report"

    @property
    def sources_label(self) -> str:
        """'3 sources tracking this story', and why when the card lists more names than that:
        outlets that ran one wire text count once ("(4 outlets; shared wire copy counted
        once)"), and so do an outlet's feeds, listed each under its own name in Sources ("(1
        outlet under 3 names; an outlet's feeds counted once)"): a count below the names
        listed, unexplained, read as a contradiction."""
        noun = "source" if self.source_count == 1 else "sources"
        label = f"{self.source_count} {noun} tracking this story"
        names = len({link.source for link in self.sources if link.source})
        wire = self.outlet_count > self.source_count
        if names > self.outlet_count >= 1:
            outlets = "1 outlet" if self.outlet_count == 1 else f"{self.outlet_count} outlets"
            counted = "an outlet's feeds and shared wire copy" if wire else "an outlet's feeds"
            label += f" ({outlets} under {names} names; {counted} counted once)"
        elif wire:
            label += f" ({self.outlet_count} outlets; shared wire copy counted once)"
        return label

    def more_label(
        self, hidden: int, noun: str = "", command: Callable[[str], str] | None = None
    ) -> str:
        """What a card or update that shows fewer lines than it has says of the rest, in one
        wording for every platform: '+2 more (use /story lighthouse-grant)', '+1 more outlet
        (use /story lighthouse-grant)' with `noun`. `command` is the renderer's drawing of the
        raw /story command (a code span on Slack, escaped as text elsewhere); the renderer may
        style the whole note too (dimmed, in italics)."""
        what = f" {noun if hidden == 1 else noun + 's'}" if noun else ""
        story = f"/story {self.slug}"
        return f"+{hidden} more{what} (use {command(story) if command else story})"

    def corroboration(self, bullet: Bullet, name: Callable[[str], str] | None = None) -> str:
        """'reported by 4 of 6': how many independent sources back a TL;DR bullet.

        Counted like the "N sources tracking" header: a bullet's sources are outlets as the
        header counts them (`bot.outlets.outlet_names`: a site's section feeds are one, under
        its first name), and outlets carrying one wire text back a bullet once, out of
        ``source_count``. Counting each copy would show one text as corroboration.

        `name`: the renderer's escaping of an outlet name (names are feed text). Given it, a
        bullet that only one of several sources backs says whose claim it is, "reported by 1 of
        4: Daily Meridian": "1 of 4" alone left the reader to guess which of the four, and such
        an outlet's angle, if it has one, is about something else (its detail is the bullet).
        One wire text carried by several outlets names `NAMED_OUTLETS` of them at most.
        """
        backing = independent_backing(bullet.sources, self.wire_groups)
        # A card built without wire groups (or a stale count) never reads "5 of 4".
        total = max(self.source_count, backing)
        label = f"reported by {backing} of {total}"
        if name is None or backing != 1 or total < 2:
            return label
        # Escaped first: a name that escapes to nothing would leave "reported by 1 of 4: ".
        names = [n for n in map(name, dict.fromkeys(bullet.sources)) if n]
        if not names:
            return label
        shown = ", ".join(names[:NAMED_OUTLETS])
        if len(names) > NAMED_OUTLETS:
            shown += f" +{len(names) - NAMED_OUTLETS} more"
        # The wire note before the names: renderers put the label in brackets, and a bracket
        # after the names would nest in them.
        wire = ", one wire copy" if len(names) > 1 else ""
        return f"{label}{wire}: {shown}"

    def added_by(self, outlets: Sequence[str]) -> tuple[list[Bullet], list[Angle]]:
        """What `outlets` (new to a posted story) bring to it: the TL;DR bullets they back, then
        their angles. A thread update shows these rather than the card again: a new outlet's
        detail that became a bullet is in the first list, one the others lack in the second."""
        fresh = {o.casefold() for o in outlets if o}
        bullets = [b for b in self.tldr if fresh.intersection(s.casefold() for s in b.sources)]
        return bullets, [a for a in self.angles if a.source.casefold() in fresh]


# The headings of a thread update's parts, on every platform.
UPDATE_BULLETS_HEADING = "In the TL;DR with them"
UPDATE_ANGLES_HEADING = "New angles"


@dataclass(slots=True)
class StoryUpdate:
    """A thread update when a posted story grows, as every platform says it: who joined, the
    count now, and what they bring (`StoryCard.added_by`), not the card again. Renderers lay it
    out and escape its feed text (the outlet names, the headline); a platform's size limits may
    show fewer angles (Discord's embed holds two), naming the rest with `/story`."""

    card: StoryCard
    new_outlets: list[str]
    bullets: list[Bullet]
    angles: list[Angle]

    @classmethod
    def of(cls, card: StoryCard, new_outlets: Sequence[str]) -> StoryUpdate:
        bullets, angles = card.added_by(new_outlets)
        return cls(card, [o for o in new_outlets if o], bullets, angles)

    @property
    def title(self) -> str:
        """'Update: <headline>': what a notification or an embed's title says (raw headline)."""
        return f"Update: {self.card.headline}"

    def lead(self, name: Callable[[str], str], most: int | None = None) -> str:
        """'Harbor Ledger, Valley Times joined. Now 8 sources tracking this story.', the count
        worded as on the card (`sources_label`); 'Now 8 sources ...' alone when no outlet is
        new to the channel (the count grew as wire copy was told apart). `name` is the
        renderer's escaping of an outlet name; one that escapes to nothing is left out.
        `most`: names past it are counted ("A, B +28 more joined."), for a renderer whose room
        would otherwise cut the count off."""
        names = [n for n in map(name, self.new_outlets) if n]
        now = f"Now {self.card.sources_label}."
        if not names:
            return now
        shown = ", ".join(names[:most])
        if most is not None and len(names) > most:
            shown += f" +{len(names) - most} more"
        return f"{shown} joined. {now}"


DIGEST_TITLE = "News digest"


@dataclass(slots=True)
class Digest:
    """The cards one channel gets in one posting, newest-important first."""

    channel: str
    cards: list[StoryCard]
    generated_at: datetime
    title: str = DIGEST_TITLE
    more: int = 0  # stories that qualified but did not fit: the heading says so
    # The messages posted after the cards, as queued (`bot.runner.overflow`: the list of the
    # stories without a card, then the backlog's message), their links marked (`url_link`).
    notices: list[str] = field(default_factory=list)
    # Why a preview has no card, when it has none (`bot.runner.preview.empty_reason`).
    empty_reason: str = ""
    # The channel's zone: its heading shows `generated_at` on the channel's clock.
    timezone: str = "UTC"

    @property
    def count_label(self) -> str:
        """'10 stories (3 more not shown)'."""
        noun = "story" if len(self.cards) == 1 else "stories"
        label = f"{len(self.cards)} {noun}"
        return f"{label} ({self.more} more not shown)" if self.more else label


def _words(text: str) -> set[str]:
    """A title's words, folded: a chosen headline is a source's title with a site name, a
    shout or a "!" taken off (`bot.summarize.headline.clean_title`), so its words are a subset."""
    return set(re.findall(r"\w+", text.casefold()))


def humanize_delta(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)}m" if seconds >= 60 else "0m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
