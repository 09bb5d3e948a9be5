"""What the core needs from a chat platform, and nothing more.

Adapters (console, Slack, Discord, Discord webhooks) translate platform-neutral cards into the
platform's message format. The outbox (issue-independent core) decides what to send and when;
adapters never decide, they only send and report what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.cards import StoryCard
from bot.store.channels import ChannelRow


class DeliveryError(Exception):
    """Base class for a failed send.

    DeliveryError                 our own payload was refused (invalid_blocks, HTTP 400): the
     │                            channel is fine, retrying will not help; failed after a few tries
     ├── TransientDeliveryError   the platform was not reached or did not process the post
     │    │                       (connection refused, DNS, timeouts, 5xx, rate limits left over):
     │    │                       its route backs off, the row waits using no attempt (/healthz
     │    │                       shows a run of them); `maybe_sent=True` when the message may
     │    │                       have landed anyway
     │    ├── RateLimitedDeliveryError  the platform refused this call for its rate limit
     │    │                       (Slack's 429, Discord's own): nothing was sent. No call of that kind (a post,
     │    │                       an edit, a lookup) goes to the route until `retry_after`; the
     │    │                       rows that need one wait until then (`delivery.rate_limits`)
     │    └── PlatformDeliveryError  the whole platform refuses us (missing scope, 401): no
     │         │                  channel is paused and no attempt is used up; the platform's
     │         │                  sends back off together and /healthz shows the error until a
     │         │                  send succeeds again
     │         └── AuthDeliveryError  our credentials are refused (token revoked, invalid or
     │                            expired, account deactivated): no retry can help, so nothing
     │                            more is sent to the platform this run; its rows stay pending
     │                            for a restart with a new token, and the message says which
     ├── PermanentDeliveryError   the channel cannot take posts (archived, bot removed, 403/404):
     │                            pause the channel and tell the admins why
     └── DeferredDeliveryError    a call only this row needs is rate limited (a lookup of its
                                  channel's id): the row alone waits `retry_after`, using no
                                  attempt; its route and every other channel go on

    `maybe_sent` matters because Slack has no idempotency key and webhooks none either: after a
    timeout or a connection dropped once the request was written, or a 5xx that Slack documents as
    "some aspect of the operation may have succeeded", a blind resend can post twice. The outbox
    keeps such a row in `sending` and asks `find_posted` before it resends. Set it to False only
    when the request provably never reached the platform (connection refused, DNS failure, 429).
    """


class TransientDeliveryError(DeliveryError):
    """`rate_limited`: a 429 the client did not wait out. The route waits `retry_after` (else the
    outbox's backoff) as for any transient failure, but the log says so once per episode, as a
    warning: being asked to slow down is no outage."""

    # The delivery route at fault when it is not the channel's own (`PlatformDeliveryError`).
    route: str | None = None

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        maybe_sent: bool = False,
        rate_limited: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent
        self.rate_limited = rate_limited


class RateLimitedDeliveryError(TransientDeliveryError):
    """The platform refused the request for its rate limit and asked us to wait `retry_after`
    seconds (Slack's 429 and its Retry-After; a 429 of Discord's global limit).
    Nothing was sent, so the row is resent, never looked for. A Slack 429 does not say which of a
    method's limits it was (a post's per channel, or the workspace's): the next row making the
    same call may be refused as well, so the outbox holds that kind of call on the route, not the
    row alone (`bot.delivery.rate_limits`), and neither the route nor the channel is marked
    down. The adapter raises it and waits for nothing: sleeping inside the call would hold the
    channel's drain for the Retry-After, and the rows the hold lets through elsewhere would be
    sent into the limit meanwhile."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, retry_after=retry_after, rate_limited=True)
        self.retry_after: float = retry_after


class PlatformDeliveryError(TransientDeliveryError):
    """`route`: the delivery route (see `delivery_route`) that refuses us, when it is not the
    channel's own: a Discord webhook channel's update that needed the bot, refused for the bot
    token, is the bot's outage, not the webhook's."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        maybe_sent: bool = False,
        route: str | None = None,
        rate_limited: bool = False,
    ) -> None:
        super().__init__(
            message, retry_after=retry_after, maybe_sent=maybe_sent, rate_limited=rate_limited
        )
        self.route = route


class AuthDeliveryError(PlatformDeliveryError):
    """Fatal for the platform until someone sets a new token and restarts: the message names the
    setting to change, since it is what the admin reads in the log and in /healthz. A platform's
    `start` may raise it too (a token refused at login): the runner then does not retry."""


class FatalPlatformError(Exception):
    """A platform cannot run until someone changes a setting outside newsdigest (e.g. a Discord
    privileged intent to enable), and retrying would only be refused again: the runner does not
    retry it. The message names the setting, as it is what the admin reads in /healthz."""


class DeferredDeliveryError(DeliveryError):
    """Not the route's trouble nor the row's fault: a call this row needs, and other posts do
    not, asked us to wait (conversations.list's own rate limit; a Discord bucket's 429, or a
    bucket it said was spent: one channel's posts or edits). Retrying before `retry_after`
    seconds fails at once, so tries with the outbox's backoff would use up the row's attempts
    inside one Retry-After; holding the route would stop every channel's posts for it."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """The channel refuses our posts until a person acts: the outbox pauses it. `fix`, when the
    adapter knows it from the platform's answer, says what to do ("invite the bot ..."); it
    ends the pause reason shown in /watchlist, `newsdigest channels list` and the log."""

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """Where a card landed: enough to reply in its thread and edit it later.

    `card_unedited`, from `post_update` only: the reply landed but the edit of the original card
    failed (a 5xx, a timeout), so the card still shows the old count; the outbox makes the edit
    later, as a row of its own (`bot.store.card_refreshes`).

    `replied`, for `post_update`: whether the card may have had a reply before. False when the
    channel was sent none under it, so a platform whose threads are started on demand (Discord)
    starts one before the first reply instead of trying the reply first."""

    message_ref: str
    thread_ref: str | None = None
    card_unedited: bool = False
    replied: bool = True


# How far before `since` a lookup for a message whose answer was lost reaches back
# (`find_heading`, `find_text`): the platform stamps a message with its own clock, which may be
# well behind ours. Minutes, not seconds, as a miss shows the message twice; an older message of
# the same text (an earlier digest's heading of the same minute and count) stays out of reach.
LOOKUP_CLOCK_SKEW = timedelta(minutes=5)


class ChatAdapter(Protocol):
    """A platform's adapter. It may also have `route(channel) -> str`, naming the delivery route
    a channel's posts take when the platform has more than one, each with credentials or a
    connection of its own: outages are recorded per route, and the runner withdraws only the
    route named like the platform when the platform's connection ends (`delivery_route`).

    And `async refresh_card(channel, posted, card) -> None`, when the platform can edit a posted
    card: make the original message show `card`, raising the `DeliveryError` tree as a post
    does; a card deleted or too old to edit is nothing to do, not an error. The edit sets the
    card's whole state, so making it twice is harmless. The outbox calls it for an edit an
    update could not make (`PostedMessage.card_unedited`), for an update whose reply was
    found landed after its answer was lost, which never got to its edit (`refreshes_cards`),
    and for a story that grew while its thread reply waits. A platform without it is named in
    `CARDS_STAY_AS_POSTED`, so the planner queues no edit for its channels.

    And `begin_digest(channel, count, at) -> None` with `end_digest(channel) -> None`, when
    the platform shows a digest's heading: begin is called before the first of the `count` new
    story cards a digest channel's drain has prepared to send together, `at` the digest's time
    (`bot.delivery.digest_heading.digest_time`) (the console prints the
    preview's "News digest · #team · … · 2 stories"), end once the drain is done with the
    channel, whether all of them went out or not (`bot.delivery.digest_heading`). A chat
    platform's begin is a coroutine that posts the heading as a message of its own and returns
    its message's ref (Slack's ts, Discord's id), True when it posted one it cannot name, or
    False (Slack and Discord head digests of two cards or more); its errors are the
    `DeliveryError` tree, and never hold the cards back.

    And `async find_heading(channel, count, at, *, since, exclude) -> str | bool | None`, when
    the platform can tell whether the heading `begin_digest(channel, count, at)` posted, whose
    answer was lost, landed (since `since`, when it was first sent, less `LOOKUP_CLOCK_SKEW`),
    passing over the messages `exclude` names (other headings of the same text): Slack and
    Discord by its text in the channel's history (Discord's read by the bot), Slack's answer
    the newest match's ts; None when it cannot tell.
    Raises the `DeliveryError` tree when the lookup fails (a rate limit too: the heading counts
    as one nobody could look for).

    And `async retract_heading(channel, ref) -> None`, when the platform can delete a heading
    `begin_digest` posted and named (`ref`): called once the drain is done with the channel if
    none of the heading's cards, or one alone, is left in the outbox
    (`digest_heading_settle.settle_headings`); and `async revise_heading(channel, ref, count, at) ->
    None`, when it can edit one to the `count` (two or more) left; each raises the
    `DeliveryError` tree, and is called once.

    And `async find_text(channel, text, *, piece, since) -> bool | None`, when the platform can
    tell whether a notice's piece whose answer was lost landed (`bot.delivery.notices`): piece
    number `piece` of `text`, split as `post_text` splits it, posted since `since` (when the
    notice was queued, less `LOOKUP_CLOCK_SKEW`); None when it cannot tell, and the piece is
    sent again.

    And `async finish_background(deadline) -> None`, when a send may leave work going after it
    returned (Slack's overflow waiting out a rate limit): the runner calls it last at shutdown,
    and it ends that work by `deadline` (the event loop's time), logging what it gives up.

    And `listen_for_rate_limits(listener) -> None`, when it makes posts of its own outside any
    row (Slack's overflow): the outbox gives it a listener at `register`, to be called with each
    `RateLimitedDeliveryError` such a post meets, and holds the route's posts for it
    (`bot.delivery.rate_limits.hold_posts`). The listener never raises."""

    platform: str

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        """Post a new story card as a top-level message. `nonce` is unique per delivery so a
        retried send can be recognised (Discord nonce, Slack message metadata)."""
        ...

    async def post_update(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        *,
        new_outlets: list[str],
        nonce: str,
    ) -> PostedMessage:
        """A story posted earlier has grown: reply in its thread (marked with `nonce`, so
        `find_posted` can find it) and edit the original message's source count. Once the reply
        landed the update counts as sent: a failed edit of the original is logged and returned as
        `card_unedited=True`, not raised, because raising would resend the reply."""
        ...

    async def post_text(
        self,
        channel: ChannelRow,
        text: str,
        *,
        start: int = 0,
        posted: Callable[[int], None] | None = None,
        nonce: str | None = None,
    ) -> None:
        """A plain notice (e.g. a feed this channel relies on was disabled). Text is trusted
        bot text, but the adapter still must not let it ping anyone.

        A notice too long for one message goes out as several (pieces), split the same way each
        time: the first `start` pieces landed before and are not sent again, and `posted(n)` is
        called once `n` pieces have landed, after each, so a resend after a failure partway (a
        429 or a 5xx on the second piece, a crash) goes on from the first piece not recorded.
        `nonce`, the same each time the notice is sent, lets a platform that de-duplicates by
        one (Discord's bot) tell a piece sent again from a new one; others ignore it."""
        ...

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
    ) -> PostedMessage | None:
        """After a crash or an ambiguous failure: did the message with this nonce already land?

        `kind` is the delivery's kind. For "story" look for the top-level card; for "update" look
        in the story's thread (`parent` is the original card) for the reply carrying this
        `nonce`, and never take the original card for it: the card says nothing about whether
        the update landed. An adapter that cannot search returns None (the row is resent)."""
        ...


def delivery_route(adapter: ChatAdapter, channel: ChannelRow) -> str:
    """The delivery route a channel's posts take: what one refused credential or one lost
    connection stops. Most adapters have one, named like their platform; Discord's are "discord"
    (the bot: its token and gateway) and "discord-webhook" (a channel's webhook URL, which needs
    neither), so a refused bot token or a gateway restart holds up only the bot's channels."""
    route = getattr(adapter, "route", None)
    return str(route(channel)) if callable(route) else adapter.platform


def lookup_route(adapter: ChatAdapter, channel: ChannelRow) -> str:
    """The delivery route a channel's lookups (`find_posted`) take: most often its posts' own,
    but a Discord webhook channel's history is read by the bot, on the bot's route."""
    route = getattr(adapter, "lookup_route", None)
    return str(route(channel)) if callable(route) else delivery_route(adapter, channel)


def refreshes_cards(adapter: ChatAdapter) -> bool:
    """Whether the adapter can edit a posted card (`ChatAdapter.refresh_card`)."""
    return callable(getattr(adapter, "refresh_card", None))


# Platforms whose adapter has no `refresh_card`: a card printed to a terminal stays as printed.
# The update planner asks by name: it runs without the adapters, which register later (at start)
# or not at all (the CLI), and must not queue an edit the outbox could only drop.
CARDS_STAY_AS_POSTED = frozenset({"console"})


def platform_edits_cards(platform: str) -> bool:
    """Whether a posted card on `platform` can be edited: the planner's `refreshes_cards`."""
    return platform not in CARDS_STAY_AS_POSTED
