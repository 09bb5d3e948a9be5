"""What every message the adapters send carries: no mentions, escaped notice text, a nonce of
the size Discord takes, and the update mark in an embed footer by which `find_posted` tells an
update from the card and from other updates; and the JSON of a bot post (`post_payload`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

import discord

from bot.adapters.discord.escape import notice_line
from bot.adapters.discord.packing import EMBEDS_PER_MESSAGE

NO_MENTIONS = discord.AllowedMentions.none()
NONCE_LIMIT = 25


def escape_notice(text: str) -> str:
    """A notice may carry feed-derived parts (a feed's own title): escape every line as untrusted
    text, so it can neither ping nor pass for the bot's own formatting or links; only the links
    the bot marked in it open (`bot.adapters.discord.escape.notice_line`)."""
    return "\n".join(notice_line(line) for line in text.splitlines())


def post_payload(
    embeds: Sequence[discord.Embed], *, nonce: str, view: discord.ui.View | None = None
) -> dict[str, Any]:
    """The JSON of a bot post (`rest.BotRest.post_message`), as discord.py's send built it: the
    nonce with `enforce_nonce`, so Discord answers a post sent again (after a 5xx that may have
    landed) with the message it already created; no mentions, whatever the feed text says; the
    view's buttons, whose callbacks are dynamic items the client registered at start."""
    if len(embeds) > EMBEDS_PER_MESSAGE:
        # Discord would refuse the post (400) as it would every time: our rendering's bug, raised
        # before any request, with its traceback, as discord.py's own check raised it.
        raise ValueError(f"{len(embeds)} embeds in one message; Discord takes {EMBEDS_PER_MESSAGE}")
    return {
        "embeds": [embed.to_dict() for embed in embeds],
        "components": view.to_components() if view is not None else [],
        "content": None,
        "nonce": discord_nonce(nonce),
        "enforce_nonce": True,
        "tts": False,
        "allowed_mentions": NO_MENTIONS.to_dict(),
    }


def text_payload(content: str, *, nonce: str | None) -> dict[str, Any]:
    """The JSON of a bot's plain message (a notice's piece, a digest's heading), as discord.py's
    send built it: with `nonce` (`discord_nonce`) enforced, a piece sent again after a 5xx or a
    timeout that landed is answered with the message Discord already created, not posted twice;
    without one, a random nonce, as discord.py sent, which de-duplicates nothing."""
    return {
        "content": content,
        "components": [],
        "nonce": discord_nonce(nonce) if nonce is not None else str(secrets.randbits(64)),
        "enforce_nonce": True,
        "tts": False,
        "allowed_mentions": NO_MENTIONS.to_dict(),
    }


def discord_nonce(nonce: str) -> str:
    """Discord takes a nonce of at most 25 characters; longer outbox nonces are hashed, which
    keeps them stable across retries (the point of a nonce)."""
    if len(nonce) <= NONCE_LIMIT:
        return nonce
    return hashlib.sha256(nonce.encode()).hexdigest()[:NONCE_LIMIT]


UPDATE_MARK = " · update "
FOOTER_LIMIT = 2048


def mark_update(embed: discord.Embed, nonce: str) -> discord.Embed:
    """Sign an update's footer with its nonce. History does not return nonces, so this is how
    `find_posted` tells this update from the card (whose footer ends in the story ref) and from
    other updates in the thread."""
    mark = UPDATE_MARK + discord_nonce(nonce)
    text = (embed.footer.text or "")[: FOOTER_LIMIT - len(mark)]
    embed.set_footer(text=text + mark)
    return embed


def update_mark(text: str | None) -> str | None:
    if not text or UPDATE_MARK not in text:
        return None
    return text.rsplit(UPDATE_MARK, 1)[1].strip() or None
