"""What the fake Discord answers with and records: the bot's ids and user, a recorded request,
the error answers queued by `fail_next` and the garbled ones by `garble_next`, and bodies that are
not a Discord answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

BOT_ID = 900000000000000001
APP_ID = 900000000000000002
GUILD_ID = 900000000000000003
BOT_USER = {
    "id": str(BOT_ID),
    "username": "newsdigest",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "verified": True,
    "mfa_enabled": False,
    "flags": 0,
}


@dataclass(slots=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int


@dataclass(slots=True)
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    times: int
    # The request takes effect before the error answer (a 5xx after the message was created).
    landed: bool = False
    # Matching requests let through, as usual, before the failures begin.
    after: int = 0


# Bodies that are not a Discord answer, with the Content-Type they come with.
HTML_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    "text/html",
)
TRUNCATED_JSON = ('{"id": "1000000000000000000", "channel_id": "1', "application/json")
NO_ID = ('{"channel_id": "1", "content": ""}', "application/json")


@dataclass(slots=True)
class Garble:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: str
    content_type: str
    headers: dict[str, str]
    times: int
    landed: bool
    # Seconds the answer is held back (until the fake closes, at the latest).
    hang: float


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
