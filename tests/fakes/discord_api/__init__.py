"""A fake of Discord's REST API on 127.0.0.1, for discord.py pointed at it via `Route.BASE`.

It records every request (method, path, query, JSON body) and keeps just enough state to answer
like Discord: channels in one server, messages per channel (with nonce de-duplication when
`enforce_nonce` is set), threads started from messages, webhook executions, interaction callbacks
and their `@original` messages, and command syncs. It also enforces the embed/content/component
limits that make Discord answer 400 Invalid Form Body (`limits`), and its 50006 for an empty
message, on posts, edits, webhooks and interaction callbacks (replies, updates, autocomplete
answers, modals) and on thread names, so a renderer that overflows fails the test the same way
it would fail in production. `fail_next` queues error answers (a 429 with `Via` and a JSON body,
a 403, a 5xx) for the next matching requests. `revoke_token` makes Discord refuse the bot token
as it does once it is reset: 401 to every request that carries it (webhook URLs carry their own),
and gateway close code 4004 at IDENTIFY or RESUME; `drop_gateway` closes the websockets,
`gateway_down` refuses new ones (an outage), and `close_at_identify` makes IDENTIFY answered
with a close code (4014: privileged intents).
`garble_next` answers a request that would have succeeded with a body that is not a Discord
answer (an HTML page, JSON cut off, a message without its id), or holds the answer back (`hang`),
whether or not the request took effect first.
History is what an app without the Message Content intent is shown (`message_content` False):
the text of messages the app did not send, a channel webhook's included, blanked; a webhook reads
its own messages whole. `guild` (`FakeGuild`) models the server's roles and overwrites: the
gateway sends it in a GUILD_CREATE, and history answers by the bot's permissions there (403
without View Channel, no messages without Read Message History).
"""

from fakes.discord_api.answers import (
    APP_ID,
    BOT_ID,
    BOT_USER,
    GUILD_ID,
    HTML_PAGE,
    NO_ID,
    TRUNCATED_JSON,
    Recorded,
)
from fakes.discord_api.gateway import ready_once_all_in
from fakes.discord_api.guild import FakeGuild
from fakes.discord_api.interactions import watchlist_show
from fakes.discord_api.limits import validate_message
from fakes.discord_api.server import FakeDiscord

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER",
    "GUILD_ID",
    "HTML_PAGE",
    "NO_ID",
    "TRUNCATED_JSON",
    "FakeDiscord",
    "FakeGuild",
    "Recorded",
    "ready_once_all_in",
    "validate_message",
    "watchlist_show",
]
