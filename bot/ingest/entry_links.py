"""An entry's links: resolved against the feed and its xml:base, canonical, and told apart from
a site's home page, which some feeds give as every entry's link or id. Feed text is untrusted:
a malformed link is no link, never an exception.

A feed's own address may carry its key (`?token=…`), and an entry's link resolved against it can
come out as that address: a CMS's placeholder `<link>#</link>`, an Atom `href="#i1"` in a feed
with no site link, or the feed's address written out. Such a link names no entry and is no link
(`FeedAddress.is_own`), as a guid permalink `#x` is. An article address that carries a part of the
feed's key (`FeedAddress.carries_secret`, by `bot.redact.secret_parts`) would show the key on
every card, where /feeds list and alerts hide it: it is kept for the entry's identity only.

A link written without its scheme whose first segment is the feed's own host, or its site's
(`<link>blog.example/post/</link>`), names that host (`site_hosts`): read as a relative path it
nested the host once per level, the channel link under the feed's address and each item's under
that. Any other first segment is a path, as relative links always were.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bot.ingest.normalize import canonical_url, is_homepage
from bot.redact import secret_parts


@dataclass(frozen=True, slots=True)
class FeedAddress:
    """The address a feed was fetched from, as its entries' links are checked against it."""

    # Its canonical form (no fragment, query sorted), as `absolute_link` gives links.
    own: str | None = None
    # The parts of it that are a key (`bot.redact.secret_parts`).
    secrets: frozenset[str] = frozenset()
    # Its host and its site's, as `site_hosts` gives them.
    hosts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, url: str | None, site: str | None = None) -> FeedAddress:
        """The address `url`; `site` is the feed's site link, resolved, whose host counts too."""
        if not url:
            return cls(hosts=site_hosts(site))
        try:
            own = canonical_url(url)
        except ValueError:
            own = None
        return cls(own=own, secrets=secret_parts(url), hosts=site_hosts(url, site))

    def is_own(self, link: str | None) -> bool:
        """Whether `link` (canonical) is the feed's own address, whatever fragment it had."""
        return link is not None and link == self.own

    def carries_secret(self, link: str | None) -> bool:
        """Whether `link` holds a part of the feed's key anywhere in it."""
        return link is not None and any(secret in link for secret in self.secrets)


# An entry read without the address its document came from (a file, a test).
NO_ADDRESS = FeedAddress()


def entry_base(base: str | None, xml_base: str | None) -> str | None:
    """What an entry's relative links resolve against: its xml:base, itself resolved against
    the feed's address (an xml:base may be relative too)."""
    if not xml_base:
        return base
    try:
        return urljoin(base, xml_base) if base else xml_base
    except ValueError:  # a malformed xml:base ("http://[oops/") is feed text, untrusted
        return base


def site_hosts(*addresses: str | None) -> frozenset[str]:
    """The hosts (with any port, lower case, without a leading "www.") of the http(s)
    `addresses`, for `absolute_link` to know a link written without its scheme by."""
    hosts = set()
    for address in addresses:
        if address and address.startswith(("http://", "https://")):
            try:
                netloc = urlsplit(address).netloc
            except ValueError:
                continue
            if host := _bare_host(netloc.rpartition("@")[2]):
                hosts.add(host)
    return frozenset(hosts)


def _bare_host(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _scheme_less(link: str, hosts: frozenset[str]) -> str:
    """`link` as a network-path reference ("//host/...") when it is written without its scheme
    and its first segment is one of `hosts`; otherwise as written."""
    text = link.strip()
    if text.startswith(("http://", "https://", "/", ".", "#", "?")):
        return link
    first = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return "//" + text if first and _bare_host(first) in hosts else link


def absolute_link(base: str | None, link: str, hosts: frozenset[str] = frozenset()) -> str | None:
    """`link` resolved against `base`, in canonical form; None unless it is a usable http(s)
    URL. A link without its scheme on one of `hosts` (`site_hosts`) is that host's page, in
    `base`'s scheme. urljoin raises on some malformed links ("http://[oops/x"): feed text is
    untrusted."""
    if hosts and base:
        link = _scheme_less(link, hosts)
    try:
        url = canonical_url(urljoin(base, link) if base else link)
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def with_fragment(link: str, raw_link: str) -> str:
    """`link` (canonical, so without a fragment) with the fragment `raw_link` has, if any.
    A link without one keeps the GUID it always had; one with a fragment that was stored under
    the bare link is still recognised by the store (same feed, canonical URL and title)."""
    fragment = raw_link.partition("#")[2].strip()
    return f"{link}#{fragment}" if fragment else link


def is_home_id(raw_id: str) -> bool:
    """Whether an id is a site's home page, which some feeds give as every item's guid: like
    the same page as every item's link, it names no entry."""
    # A fragment names a page of a hash-routed site ("https://site/#/article-1"): an entry.
    return (
        raw_id.startswith(("http://", "https://"))
        and is_homepage(raw_id)
        and not urlsplit(raw_id).fragment
    )
