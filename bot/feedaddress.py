"""Whether a feed URL names an address the fetcher will refuse, said when the feed is added.

`newsdigest feeds add` and the chat command `/feeds add` store such a feed anyway, with a warning
(`blocked_address`): one address typed by the operator, who sees the warning at once and may
change the setting later. `newsdigest feeds import` refuses it instead (`refused_address`): an
OPML file is user input, often made elsewhere, and a warning among hundreds of lines is easily
missed, while the feed would sit in the list never polled; the operator who means it sets
`polling.allow_private_networks` and imports again.

Only what is known without DNS is caught here: an IP address in any form the resolver accepts,
and localhost names. The fetcher checks every resolved address again, at every fetch and
redirect.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from bot.ingest.netguard import (
    BlockedAddressError,
    check_ip,
    classify_ip,
    host_literal,
    is_local_name,
)


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


def blocked_address(url: str, allow_private_networks: bool) -> str | None:
    """Why polling will refuse the URL's host and for how long, when it is an address the
    fetcher blocks (the fetcher checks resolved names too; this only catches the obvious case at
    add time). A private address waits for a setting; a link-local, multicast or reserved one
    no setting allows, and "until then" would point at nothing."""
    found = refused_address(url, allow_private_networks)
    if found is None:
        return None
    reason, settable = found
    if settable:
        return f"{reason}; polling will fail until then"
    return f"{reason}; no setting allows it, so it will never be polled: remove it"
