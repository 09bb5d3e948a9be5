"""What a channel webhook's messages say, for the lookups that find a post of the webhook's whose
answer was lost (`post_lookup`, `notice_lookup`).

The bot finds the webhook's messages in the channel's history by their `webhook_id`, but the bot
runs without the privileged Message Content intent (the README has it left off), and Discord then
blanks the content, embeds, attachments and components of every message the app did not send
itself. A channel webhook is not the app, so its cards and notice pieces all read blank there.
The webhook may read its own messages whole (GET /webhooks/{id}/{token}/messages/{id}), so each
message the history names as the webhook's is read through it (`WebhookReads.seen`), newest
first. A message history shows whole (the intent turned on) needs no read.

Each read is a request of the webhook's (`webhook_rest.WebhookRest.message`), in its own
rate-limit bucket, so one lookup reads at most `WEBHOOK_READS` messages. The webhook's messages
past that are passed over unread (`unread` counts them), and the lookup answers as though the
post was not there: it is sent again and may show twice, which the lookup says in the log, a
duplicate accepted rather than a lost story, as where nothing can look. A read's failure is the
webhooks' route's (`WEBHOOK_ROUTE`), not the bot's, whose history read named the message.

The lookup's time is bounded as a whole (the drain waits on it), so the reads get a share of it
(`within`): past it, a slow read fails as the webhooks' route's timeout. Unbounded, 20 reads of
up to a send's timeout each outlasted the lookup, whose timeout was then charged to the bot.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.adapters.discord.errors import WEBHOOK_ROUTE, translate_error
from bot.delivery.adapter import DeliveryError, TransientDeliveryError

if TYPE_CHECKING:
    from bot.adapters.discord.webhook_rest import WebhookRest

# A lookup's reads of the webhook's messages. A card whose answer was lost is looked for at the
# next drain, after the rest of its digest went out: 20 covers a digest of that many cards (the
# default size is far below), and at Discord's usual webhook limits they take a few seconds.
WEBHOOK_READS = 20


@dataclass(frozen=True, slots=True)
class Seen:
    """A message's text as the lookups compare it: its content and its embeds' footers."""

    content: str
    footers: tuple[str, ...]

    @classmethod
    def of(cls, message: discord.Message) -> Seen:
        return cls(message.content, tuple(e.footer.text or "" for e in message.embeds))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Seen:
        embeds = [e for e in data.get("embeds") or [] if isinstance(e, dict)]
        footers = tuple(str((e.get("footer") or {}).get("text") or "") for e in embeds)
        return cls(str(data.get("content") or ""), footers)


class WebhookReads:
    """One lookup's reads through the webhook `hook`, at most `limit` of them."""

    def __init__(self, rest: WebhookRest, hook: discord.Webhook, *, limit: int = WEBHOOK_READS):
        self.rest = rest
        self.hook = hook
        self.limit = limit
        # The webhook's messages read through it, and those passed over once the reads ran out.
        self.read = 0
        self.unread = 0
        # The seconds all reads may take (`within`; None: each read only its request's timeout).
        self.budget: float | None = None
        self.spent = 0.0

    def within(self, seconds: float) -> None:
        """Let this lookup's reads take `seconds` in all: a read still going past them fails
        as a timeout of the webhooks' route."""
        self.budget = seconds

    @property
    def webhook_id(self) -> int:
        return self.hook.id

    async def seen(self, message: discord.Message, *, thread_id: int | None) -> Seen | None:
        """What `message`, one of the webhook's (in the thread `thread_id`, if given), says: as
        history showed it when it showed its text, else read through the webhook. None when the
        reads ran out (counted in `unread`) or the webhook no longer has it (deleted)."""
        if message.content or message.embeds:
            return Seen.of(message)
        if self.read >= self.limit:
            self.unread += 1
            return None
        self.read += 1
        what = f"read of webhook {self.hook.id}'s message {message.id}"
        left = None if self.budget is None else self.budget - self.spent
        if left is not None and left <= 0:
            raise _webhooks(
                TransientDeliveryError(
                    f"{what}: the reads took the {self.budget:g} s the lookup gives them"
                )
            )
        clock = asyncio.get_running_loop().time
        began = clock()
        try:
            async with asyncio.timeout(left) as share:
                raw = await self.rest.message(self.hook, message.id, thread_id=thread_id)
        except DeliveryError:
            raise  # a bucket's wait (`DeferredDeliveryError`): this lookup's alone
        except TimeoutError as exc:
            error = translate_error(exc, what)
            if share.expired():
                error = TransientDeliveryError(
                    f"{what}: the {self.read} reads took the {self.budget:g} s the lookup gives them"
                )
            raise _webhooks(error) from exc
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise _webhooks(translate_error(exc, what)) from exc
        finally:
            self.spent += clock() - began
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise _webhooks(
                TransientDeliveryError(f"{what}: answered {raw[:200]!r}, not a Discord message")
            )
        return Seen.from_json(data)


def _webhooks(error: DeliveryError) -> DeliveryError:
    """`error` charged to the webhooks' route when it is a route's trouble (a 5xx, a timeout, a
    rate limit): the lookup runs on the bot's (`errors.delivering(bot=True)`), which would take it
    for its own."""
    if isinstance(error, TransientDeliveryError) and error.route is None:
        error.route = WEBHOOK_ROUTE
    return error
