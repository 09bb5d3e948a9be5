"""Whether a feed URL names an address the fetcher will refuse, checked when the feed is added.

Every way of adding a feed refuses it, with one reason (`refusal`): `newsdigest feeds add`, the
chat command `/feeds add`, `newsdigest feeds import` and the config file's sync (which skips the
entry, says so and syncs the rest: `bot.store.sync`). Stored with a warning, such a feed would
sit in the list, disabled at its first poll, and a warning is easily missed (among hundreds of lines of
an OPML import, or by the admin who typed the command in chat while the operator owns the
config). A loopback or private address is allowed by `polling.allow_private_networks`, and the
reason says so; a link-local or cloud metadata, multicast or reserved one by no setting.

Only what is known without DNS is caught here: an IP address in any form the resolver accepts,
and localhost names. The fetcher checks every resolved address again, at every fetch and
redirect: a feed refused an address as written is disabled at that poll with the reason, one a DNS
answer gave is retried with backoff (`bot.ingest.policy`).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from bot.ingest.addresses import check_ip, classify_ip, host_literal, is_local_name
from bot.ingest.errors import BlockedAddressError


def refused_address(url: str, allow_private_networks: bool) -> tuple[str, bool] | None:
    """Why polling will refuse the URL's host, and whether a setting (allow_private_networks)
    would allow it; None when the host is not one of those known refused without DNS."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    literal = host_literal(host)
    if literal is None and is_local_name(host):
        literal = ipaddress.IPv4Address("127.0.0.1")  # as the fetcher resolves it, without DNS
    if literal is None:
        return None
    try:
        check_ip(literal, allow_private_networks=allow_private_networks)
    except BlockedAddressError as exc:
        verdict = classify_ip(literal)
        reason = str(exc)
        if host_literal(host) is None:  # a localhost name: said as written, not as 127.0.0.1
            reason = reason.replace(f"address {literal}", f"address {host}", 1)
        return reason, verdict is not None and verdict[1]
    return None


def refusal(url: str, allow_private_networks: bool, *, retry: str) -> str | None:
    """Why a feed at `url` is not added: polling would refuse its host. None when it may be
    added. `retry` is what to do once the setting allows it ("import again")."""
    found = refused_address(url, allow_private_networks)
    if found is None:
        return None
    reason, settable = found
    return f"{reason}, then {retry}" if settable else f"{reason}; no setting allows it"
