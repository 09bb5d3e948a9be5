"""Whether a feed URL names an IP address the fetcher will refuse, said when the feed is added.

Shared by `newsdigest feeds add` / `feeds import` and the chat command `/feeds add`: both store
the feed anyway (the setting may be changed later), but should not let the person who added it
believe it will be polled.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.ingest.netguard import BlockedAddressError, check_ip, classify_ip, host_literal


def blocked_address(url: str, allow_private_networks: bool) -> str | None:
    """Why polling will refuse the URL's host and for how long, when it is an IP address the
    fetcher blocks (the fetcher checks resolved names too; this only catches the obvious case at
    add time). A private address waits for a setting; a link-local, multicast or reserved one
    no setting allows, and "until then" would point at nothing."""
    host = urlsplit(url).hostname or ""
    literal = host_literal(host)
    if literal is None:
        return None
    try:
        check_ip(literal, allow_private_networks=allow_private_networks)
    except BlockedAddressError as exc:
        verdict = classify_ip(literal)
        if verdict is not None and verdict[1]:
            return f"{exc}; polling will fail until then"
        return f"{exc}; no setting allows it, so it will never be polled: remove it"
    return None
