"""The registrable domain of a host name, by the Public Suffix List.

"bbc.co.uk" and "example.com.au" are sites; "co.uk" and "com.au" are not, and no rule of thumb
about two-letter country codes knows every such suffix ("city.kawasaki.jp", "pvt.k12.ma.us"). The
list ships inside the `publicsuffixlist` package: no network, the same answer on every machine.

The list has two sections, and which one counts depends on the question:
- ICANN suffixes only: "foo.blogspot.com" is on blogspot.com, one operator's servers.
- ICANN and private suffixes: "foo.blogspot.com" and "bar.github.io" are each someone's own site,
  as their platforms ask (the private section is the platforms' own list of such names).

Parsing the list takes ~0.1 s, so each reading is loaded once, at its first use, never at import:
the command-line's light commands must not pay for it when they never ask.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

__all__ = ["registrable_domain"]


@functools.lru_cache(maxsize=2)
def _suffix_list(private: bool) -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList

    # Unknown top-level labels ("example", "test", "internal") count as suffixes, as browsers do:
    # "user7.blogplatform.example" is on blogplatform.example.
    return PublicSuffixList(accept_unknown=True, only_icann=not private)


def registrable_domain(host: str | None, *, private: bool) -> str | None:
    """The site `host` is part of: its public suffix and one label more, in lower case without a
    trailing dot ("news.example.co.uk" -> "example.co.uk"). `private`: whether the list's private
    section counts ("x.github.io" is its own site with it, on "github.io" without). None when
    the host has no such domain: an IP address, a single label ("localhost"), or a public suffix
    itself ("co.uk")."""
    name = (host or "").strip().lower().rstrip(".")
    if "." not in name or ":" in name or name.startswith("["):
        return None  # one label, or an IPv6 address
    if name.replace(".", "").isdigit():
        return None  # an IPv4 address, or a short form of one ("127.1") some resolvers take
    try:
        return _suffix_list(private).privatesuffix(name)
    except (ValueError, UnicodeError):
        return None  # a name no DNS would take ("a..b", a label past 63 characters)
