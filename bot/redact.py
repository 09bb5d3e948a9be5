"""Feed addresses as anyone in a channel may see them: without what carries a secret.

A feed's address is where its API key or token goes (`?apikey=…`, `;jsessionid=…`, `#token=…`,
or `user:pass@` an older version stored), and it reaches chat in /feeds list, in the notice that
a feed was disabled, in Discord's autocomplete, and inside text about the feed (its error, its
disabled reason, a name copied from its address). There, for anyone but an admin, an address is
shown up to its path, the rest as `…`: enough to tell which feed it is, nothing to use. The
operator's own views (the CLI, /healthz, the log) keep addresses whole.

The secret-free part is only a guess at what is no secret: a key in a path segment
(`/feeds/KEY/rss`) is shown, as nothing tells it from a name.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# What stands for hidden text: after `?`, `;` or `#`, it shows that the address had some.
ELLIPSIS = "…"
# Where an address in prose ends: whitespace, or a character RFC 3986 never allows raw in one
# (Slack's `<url|label>`, a code span's backtick, quotation marks of ASCII).
_TOKEN_RE = re.compile(r'[^\s<>"`{}|\\^]+')
# A scheme, `https://`, anywhere in a token ("(https://…", "url=https://…").
_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# An address written without its scheme, "ex.com/rss?key=…": a dotted host name (the last label
# starting with a letter, so "1.5" or "v2.0" is none), an optional port, then a path, query,
# path parameter or fragment, which is what can hold a secret. An e-mail address has none.
_BARE_HOST_RE = re.compile(
    r"(?<![\w.-])(?:[\w-]+\.)+[^\W\d_][\w-]*(?::\d*)?(?=[/?#;])", re.IGNORECASE
)
# Userinfo written before a bare host: "user:pass@ex.com/…". One without a colon is more likely
# an e-mail address, and carries no password.
_BARE_USERINFO_RE = re.compile(r"[\w.~%!$&*+,;=-]*:[\w.~%!$&*+,;=:-]*@$")
# Where the host (and port, and userinfo) after a scheme ends.
_AUTHORITY_END_RE = re.compile(r"[/?#]")
# Where an address's secret part starts, after its host: query, path parameter, fragment.
_SECRET_START_RE = re.compile(r"[?;#]")
# Punctuation that ends a sentence or closes a bracket or quotation after an address: given back
# to the text, not hidden with the address's end.
_TRAILING_RE = re.compile(r"[)\].,:;!?'’”»]+$")


def hidden_url(url: str) -> str:
    """A feed's own address as a non-admin sees it: userinfo as `…@`, and everything from the
    first path parameter, query or fragment as `;…`, `?…` or `#…`. An address with none of them
    is returned as it is. (`https://ex.com/rss?` has an empty query: nothing to hide.)"""
    try:
        parts = urlsplit(url)
    except ValueError:  # "Invalid IPv6 URL": hidden as it would be in prose
        return hidden_in_text(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = ELLIPSIS + "@" + netloc.rpartition("@")[2]
    path, _, params = parts.path.partition(";")
    if params:
        tail = ";" + ELLIPSIS
    elif parts.query:
        tail = "?" + ELLIPSIS
    elif parts.fragment:
        tail = "#" + ELLIPSIS
    else:
        tail = ""
    if not tail and netloc == parts.netloc:
        return url
    head = f"{parts.scheme}://{netloc}" if parts.scheme or netloc else ""
    return head + (path if params else parts.path) + tail


def hidden_in_text(text: str) -> str:
    """`text` (an error, a note, a name) with every address in it hidden as `hidden_url` hides
    a feed's own, also one written without its scheme ("ex.com/q?apikey=…"). The text around an
    address is kept: a closing bracket, quotation mark or full stop right after it, and whatever
    follows a character no address holds raw (a backtick, `|label>`, a space)."""
    return _TOKEN_RE.sub(lambda m: _hidden_token(m.group()), text)


def _hidden_token(token: str) -> str:
    scheme = _SCHEME_RE.search(token)
    # A bare address before the first scheme ("ex.com/q?key=…&next=https://…") comes first.
    bare = _BARE_HOST_RE.search(token, 0, scheme.start() if scheme else len(token))
    if scheme is not None and bare is None:
        start = scheme.end()
        found = _AUTHORITY_END_RE.search(token, start)
        host_end = found.start() if found else len(token)
        authority = token[start:host_end]
        if "@" in authority:
            authority = ELLIPSIS + "@" + authority.rpartition("@")[2]
        before = token[:start] + authority
    elif bare is not None:
        host_end = bare.end()
        prefix = token[: bare.start()]
        userinfo = _BARE_USERINFO_RE.search(prefix)
        if userinfo is not None:
            prefix = prefix[: userinfo.start()] + ELLIPSIS + "@"
        before = prefix + token[bare.start() : host_end]
    else:
        return token
    rest = token[host_end:]
    secret = _SECRET_START_RE.search(rest)
    if secret is None:
        return before + rest
    tail = rest[secret.end() :]
    trailing = _TRAILING_RE.search(tail)
    given_back = trailing.group() if trailing else ""
    hidden = tail[: len(tail) - len(given_back)]
    if not hidden:  # "https://ex.com/rss?" or "ex.com/a;": nothing after the mark
        return before + rest
    return before + rest[: secret.end()] + ELLIPSIS + given_back
