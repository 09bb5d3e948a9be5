"""Checking a feed URL that a person typed, before it is stored, and its one spelling.

This is the cheap, synchronous check (scheme, host, no credentials). The address guard in
`bot.ingest.netguard` runs again on every fetch and every redirect hop, since DNS can change.
`normalize_feed_url` is the form a feed is stored and compared in, so
`HTTPS://News.Example:443/rss#top` is recognised as the feed `https://news.example/rss`, and
`https://news.example/a%60b` as `https://news.example/a`b` (RFC 3986's normalisation, section 6.2.2,
where it cannot change what the server is asked for).
"""

from __future__ import annotations

import re
import string
from urllib.parse import SplitResult, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Dot-separated labels of letters (any script: IDNs), digits, '-' and '_', or an IPv6 literal.
_HOST_RE = re.compile(r"^(?:[\w-]+(?:\.[\w-]+)*\.?|[0-9a-f:.]+)$", re.IGNORECASE)
# A host name as DNS carries it, in IDNA's ASCII form: labels of ASCII letters, digits, "-" and
# "_", a root's "." at the end or not. What `host_name_problem` lets through.
_ASCII_HOST_RE = re.compile(r"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$")
# RFC 1035 (2.3.4): a label is 63 octets at most, a name 255 in its wire form, which is 253
# written with dots. Python's idna codec refuses a longer label when the resolver is asked.
_MAX_LABEL = 63
_MAX_NAME = 253
# A label in IDNA's ASCII form (punycode).
_ACE_RE = re.compile(r"(?:^|\.)xn--", re.IGNORECASE)
# An address typed without its scheme: a dotted host name (or localhost), an optional port, then
# the end or a path, query or fragment.
_BARE_HOST_RE = re.compile(r"^(?:[\w-]+(?:\.[\w-]+)+|localhost)(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)


# Characters RFC 3986 allows nowhere raw (controls, space, " < > \ ^ ` { | } and non-ASCII):
# percent-encoded (as UTF-8) they are the one valid spelling of the same address, so both
# spellings must meet there. `[` and `]` are reserved (gen-delims), so left as written.
_NOT_ALLOWED_RAW_RE = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]|[^\x00-\x7f]')
_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})")
# Percent-decoding these never changes a URL's meaning (RFC 3986 section 2.3); any other escape
# (%2F, %3F, %26, %3D, %40 ...) may mean something else than its character written raw.
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")


class FeedUrlError(ValueError):
    pass


def check_feed_url(url: str) -> str:
    """`url` tidied (spaces, <angle brackets>), or FeedUrlError saying what is wrong with it."""
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        # urlsplit's own ValueError ("Invalid IPv6 URL") is not a FeedUrlError, so callers that
        # report bad input (OPML import, /feeds add) would take it for a bug of ours.
        raise FeedUrlError(f"not a valid URL ({exc}): {url!r}") from None
    if "://" not in url and _BARE_HOST_RE.match(url):
        # "q.example.org/rss", as a browser's address bar shows it: urlsplit reads no scheme (or
        # "q.example.org:8080/rss" the host as one), and the refusal named none to use.
        raise FeedUrlError(
            f"the URL has no http:// or https://: {url!r}; did you mean {_likely_scheme(url)}{url}?"
        )
    _check_port(parts, url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FeedUrlError(f"only http:// and https:// feed URLs are allowed, got {url!r}")
    if not parts.hostname:
        raise FeedUrlError(f"the URL has no host: {url!r}")
    if not _HOST_RE.match(parts.hostname):
        raise FeedUrlError(f"{parts.hostname!r} is not a valid host name")
    _check_idna(parts.hostname)
    host = parts.hostname
    if host.isascii() and ":" not in host and (problem := host_name_problem(host)):
        raise FeedUrlError(f"{host!r} is not a valid host name ({problem})")
    if parts.username or parts.password:
        raise FeedUrlError("feed URLs with a user name or password are not allowed")
    if any(ch.isspace() for ch in url):
        raise FeedUrlError(f"the URL contains spaces: {url!r}")
    return normalize_feed_url(url)


def _likely_scheme(bare: str) -> str:
    """The scheme to suggest for an address typed without one: https:// for a name on the
    internet, http:// for this machine or a private address (`localhost:8765`, `192.168.1.5`),
    which almost never serve TLS; https:// there was a suggestion that fails to connect."""
    from bot.ingest.addresses import host_literal, is_local_name

    host = re.split(r"[:/?#]", bare, maxsplit=1)[0]
    if is_local_name(host):
        return "http://"
    address = host_literal(host)
    private = address is not None and (address.is_private or address.is_loopback)
    return "http://" if private else "https://"


def host_name_problem(host: str) -> str | None:
    """Why `host`, a name in its ASCII form (as IDNA writes an internationalised one), is no
    name DNS can look up ("a label of 64 characters: DNS allows 63"), for the words "its host
    name is not valid (...)": a character no host name has (a space written "%20"), an empty
    label, a label longer than 63 characters or a name longer than 253; None when it can be
    looked up. Not for an IP address."""
    name = host.removesuffix(".")
    if not _ASCII_HOST_RE.match(host):
        if " " in host or "%20" in host:
            return "a space in it"
        bad = next((c for c in host if not (c.isascii() and (c.isalnum() or c in "_-."))), None)
        return f"{bad!r} in it" if bad else "an empty label"
    longest = max(name.split("."), key=len)
    if len(longest) > _MAX_LABEL:
        return f"a label of {len(longest)} characters: DNS allows {_MAX_LABEL}"
    if len(name) > _MAX_NAME:
        return f"{len(name)} characters: DNS allows {_MAX_NAME}"
    return None


def _check_idna(host: str) -> None:
    """FeedUrlError unless an internationalised host name (non-ASCII, or with an ACE label,
    "xn--...") is valid IDNA, as the fetcher's httpx needs it: `xn--a.example` passes the
    pattern above, and every poll of it failed as an internal error."""
    if host.isascii() and not _ACE_RE.search(host):
        return
    import httpx  # only for such a name: every load of the config checks its feeds' URLs

    try:
        httpx.URL(f"http://{host}/").host  # noqa: B018 -- decoded from IDNA only when read
    except (httpx.InvalidURL, UnicodeError) as exc:  # idna's errors are UnicodeErrors
        raise FeedUrlError(f"{host!r} is not a valid host name ({exc})") from None


def _check_port(parts: SplitResult, url: str) -> None:
    """FeedUrlError unless the URL's port, if it has one, is one a socket can use: 1 to 65535.
    `.port` parses lazily and lets 0 through; the fetcher refuses both at every poll
    (`netguard.check_url`), so a feed added with one would only ever fail."""
    try:
        port = parts.port
    except ValueError:
        port = None  # "Port out of range 0-65535" (0 is no port either), or not digits
    else:
        if port != 0:
            return
    written = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
    raise FeedUrlError(f"not a valid URL (invalid port {written!r}: 1 to 65535): {url!r}")


def normalize_feed_url(url: str) -> str:
    """`url` in the one spelling feeds are stored and compared in: scheme and host in lower case,
    no default port (:80 for http, :443 for https), no #fragment (never sent to the server), and
    `/` for an empty path. In the path and query, characters not allowed raw are percent-encoded,
    escapes are in upper case (`%2f` is `%2F`) and those of unreserved characters decoded (`%7E`
    is `~`, but not where it would follow a stray `%` as a hex digit and make it an escape); the
    rest is kept as written: servers may tell case apart there, and an escaped delimiter (`%2F`)
    is not the delimiter. Normalising twice is normalising once. A URL that does not parse is returned as it is
    (check_feed_url refuses those)."""
    found = http_parts(url)
    if found is None or found[0].username or found[0].password:
        return url
    parts, scheme, netloc = found
    path = "/".join(_path_segment(segment) for segment in (parts.path or "/").split("/"))
    return urlunsplit((scheme, netloc, path, _one_spelling(parts.query), ""))


def _one_spelling(text: str) -> str:
    """A path segment or a query with its escapes spelt one way (see normalize_feed_url)."""
    out: list[str] = []
    written = 0
    for match in _ESCAPE_RE.finditer(text):
        out.append(text[written : match.start()])
        written = match.end()
        char = chr(int(match.group(1), 16))
        if char in _UNRESERVED and not _would_complete_escape(out, char):
            out.append(char)
        else:
            out.append(match.group(0).upper())
    out.append(text[written:])
    return _NOT_ALLOWED_RAW_RE.sub(_percent_encoded, "".join(out))


def _would_complete_escape(out: list[str], char: str) -> bool:
    """Whether `char` written raw after `out` would make a stray `%` (one not followed by two hex
    digits) the start of an escape: `%%34%31` decoded to `%41` would be read as `A` the next
    time, and by the server as another character than the `%` it was sent."""
    if char not in string.hexdigits:
        return False
    tail = ""
    for piece in reversed(out):
        tail = piece[-2:] + tail
        if len(tail) >= 2:
            break
    tail = tail[-2:]
    # An escape is appended whole, so a `%` among the last two characters is a stray one.
    return tail.endswith("%") or (len(tail) == 2 and tail[0] == "%" and tail[1] in string.hexdigits)


def _path_segment(segment: str) -> str:
    spelt = _one_spelling(segment)
    if spelt in (".", "..") and spelt != segment:
        # "%2E%2E" decoded would be a ".." the HTTP client resolves away (/a/../b is /b): a
        # different request than the one written. Only its escapes' case is made one.
        return _ESCAPE_RE.sub(lambda m: m.group(0).upper(), segment)
    return spelt


def _percent_encoded(match: re.Match[str]) -> str:
    # surrogatepass: a lone surrogate (no keyboard types one) still gets one spelling, no crash.
    return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8", "surrogatepass"))


def http_parts(url: str) -> tuple[SplitResult, str, str] | None:
    """An http(s) URL split, with its scheme and its host[:port] in one spelling (lower case, no
    default port, brackets round an IPv6 literal, no user info); None for another scheme, no
    host, or a URL that does not parse. Shared by feed URLs and articles' canonical URLs."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    # Without the brackets of an IPv6 literal; lower-cased by urlsplit only up to a "%".
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    host = host.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return parts, scheme, netloc
