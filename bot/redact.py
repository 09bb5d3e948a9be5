"""Feed addresses as anyone in a channel may see them: without what carries a secret.

A feed's address is where its API key or token goes (`?apikey=…`, `;jsessionid=…`, `#token=…`,
or `user:pass@` an older version stored), and it reaches chat in /feeds list, in the notice that
a feed was disabled, in Discord's autocomplete, and inside text about the feed (its error, its
disabled reason, a name copied from its address, and the name its articles go by on cards, in
/story and in the summariser's input: `bot.store.feed_outlets.outlet_name`). There, for anyone
but an admin, an address is shown up to its path, the rest as `…`: enough to tell which feed it
is, nothing to use. The operator's own views (the CLI, /healthz, the log) keep addresses whole.

What is hidden is what rules that are right when they fire find, never a guess at randomness:
an article's id (`/article/…-94814d87baa3…`, a podcast's `GLT1412515089`) looks just like a
key. In a path, a segment after one named like a key (`/apikey/…/rss`, `/token/…`, `/private/…`;
the names in `_KEY_NAMES`) and the value of a `name=value` or `name:value` segment with such a
name (`/rss/token=…`, also with the mark percent-encoded, `/apikey%3D…`, `/apikey%2F…`) are
hidden, as are segments that are a private feed's token by their shape and place
(`_TOKEN_SEGMENT_RE`, `_HEX_SEGMENT_RE`); every other segment is shown. A key written bare in a path
(`/feeds/a1b2c3d4e5f6/rss`) is therefore shown to everyone in the channel: a feed whose key
can go in a query parameter (`?apikey=…`) should be added with it there, and one that takes it
only in its path added from a channel only admins read. A query whose `?` or `&` was
percent-encoded, once or twice (`/rss%3Fapikey=…`, `/rss%253Fapikey%253D…`), is hidden as a
query.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# What stands for hidden text: after `?`, `;` or `#`, it shows that the address had some.
ELLIPSIS = "…"
# Where an address in prose ends: ASCII whitespace only. A character RFC 3986 never allows raw
# (`|`, `"`, `{`, a backtick, an ideographic space) may still sit inside a key quoted from a
# request, so the hidden part runs over it; only Slack's `<url|label>` ends at its `|` or `>`.
_TOKEN_RE = re.compile(r"<[^\x00-\x20<>|]+|[^ \t\n\r\f\v]+")
# A scheme, `https://`, anywhere in a token ("(https://…", "url=https://…"): a letter, then
# these, then `://`. Looked for back from each `://`, at most `_SCHEME_MAX` characters (real
# ones are far shorter), so a long token with no address in it is read once, not once per
# letter in it as a regex search would.
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_SCHEME_MAX = 32
# An address written without its scheme, "ex.com/rss?key=…": a dotted host name (the last label
# starting with a letter, so "1.5" or "v2.0" is none), an IPv4 address or localhost, an optional
# port, then a path, query, path parameter or fragment, which is what can hold a secret (or the
# token's end, closing punctuation aside, for userinfo before it: "(user:pw@ex.com)"). An e-mail
# address has no password. An IPv6 host is in brackets, as addresses write it
# ("[2001:db8::1]:8080/rss"), or bare before its path or query ("2001:db8::1/rss?key=…") with
# the `::` no time of day has, or all eight groups.
_BARE_HOST_RE = re.compile(
    r"(?<![\w.-])(?:(?:[\w-]+\.)+[^\W\d_][\w-]*|\d{1,3}(?:\.\d{1,3}){3}|localhost"
    r"|\[[0-9a-f:.]*:[0-9a-f:.]*(?:%25[\w.~-]+)?\]"
    r"|(?<!:)(?=[0-9a-f:]*::)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?=[/?#])"
    r"|(?<!:)[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7})"
    r"(?::\d*)?(?=[/?#;&]|[)\].,:;!?'’”»\"`>]*$)",
    re.IGNORECASE,
)
# Userinfo written before a bare host: "user:pass@ex.com/…". One without a colon is more likely
# an e-mail address, and carries no password; so is one after `mailto:`.
_BARE_USERINFO_RE = re.compile(
    r"(?<![\w.~%!$&*+,;=:-])(?!mailto:)[\w.~%!$&*+,;=-]*:[\w.~%!$&*+,;=:-]*@$", re.IGNORECASE
)
# Where the host (and port, and userinfo) after a scheme ends.
_AUTHORITY_END_RE = re.compile(r"[/?#]")
# Where an address's secret part may start, after its host: query, path parameter, fragment, or
# a parameter after `&` where the `?` was left out ("/rss&apikey=…"; "/news&politics" is a path),
# or after a `?` or `&` percent-encoded ("/rss%3Fapikey=…", its `=` maybe encoded too, `%3D`;
# "/why%3F" is a path).
_SECRET_START_RE = re.compile(
    r"[?;#]|(?:&|%(?:25)*(?:3F|26))"
    r"(?=(?:[^/&=?#;%]|%(?!(?:25)*(?:3D|3F|26))[0-9a-f]{2})*(?:=|%(?:25)*3D))",
    re.IGNORECASE,
)
# Path segment names that say a key or token follows, or is their value (`/apikey/…`,
# `/token=…`), compared without case, `-` or `_`; a name's last word counts too (`x-api-key`,
# `feed_token`). Words that are also ordinary names (`access`, `private`, `auth`) count only as
# the whole name, so `/open-access/rss` is shown.
_KEY_NAMES = frozenset(
    """key apikey token secret private auth access password passwd pw sig signature session
    sessionid sid jsessionid accesstoken accesskey authtoken authkey apitoken apisecret
    clientsecret privatekey secretkey feedtoken""".split()
)
# Endings that name a key after any prefix (`x-api-key`, `my_access_token`); `key`, `token` or
# `secret` alone end slugs too ("the-key", "top-secret").
_KEY_NAME_ENDINGS = tuple(
    "apikey apitoken accesstoken accesskey authtoken authkey clientsecret secretkey privatekey".split()
)
# A `name=value` or `name:value` path segment, its mark maybe percent-encoded (`apikey%3D…`).
_NAMED_SEGMENT_RE = re.compile(
    r"(?P<name>(?:(?!%3[ad])[^=:])+)(?P<mark>[=:]|%3[ad])(?P<value>.*)", re.DOTALL | re.IGNORECASE
)
# A path's `/`, or one percent-encoded inside a segment (`/apikey%2F…`): both end a segment.
_SEPARATOR_RE = re.compile(r"(/|%2F)", re.IGNORECASE)
# Segments that are a private feed's token by their shape, whatever names them: a `private-`
# segment followed by a token with a digit in it (a calendar's `/private-<hex>/basic.ics`), or a
# Telegram bot token (`bot<digits>:<token>`).
_TOKEN_SEGMENT_RE = re.compile(
    r"^(?P<private>private-)(?=[^\W_]*\d)[^\W_]{16,}$|^bot\d+:[\w-]{30,}$", re.IGNORECASE
)
# 32 or more hex digits: a private feed's token when it is the feed's file (`/episodes/<hex>.xml`)
# or the segment before it (`/<hex>/rss`). Anywhere else such a run is an image's, an article's or
# an avatar's id (`/uploads/<hex>.jpg`, `/news-story/<hex>`), shown as any id is.
_HEX_SEGMENT_RE = re.compile(r"[0-9a-f]{32,}(?P<feed>\.(?:xml|rss|atom|rdf|ics))?", re.IGNORECASE)
_FEED_FILE_RE = re.compile(r"(?:rss|feed|atom|podcast|[^/]*\.(?:xml|rss|atom|rdf|ics))", re.I)
# A path parameter's or fragment's first part that looks like a key: a `name=value`, or a long
# run of letters and digits with a digit in it. After a bare host only such a one is hidden, as
# "Ex.com#1 News" or "Ex.Com/Tech;Politics" is a name, not an address.
_KEYLIKE_RE = re.compile(r"[^/?#;&]*=|(?=[\w-]*\d)[\w-]{16,}")
# What an address must hold for it to hide anything: userinfo's `@`, a secret's start, or the
# `/` before a path segment named like a key.
_MARKS = "@?;#&%/"
# Punctuation that ends a sentence or closes a bracket or quotation after an address: given back
# to the text, not hidden with the address's end.
# (Stripped, not searched for with `…+$`, which would read a long run of them once per mark.)
_TRAILING = ")].,:;!?'’”»\"`>"


def hidden_url(url: str) -> str:
    """A feed's own address as a non-admin sees it: userinfo as `…@`, a key a path segment
    names (`/apikey/…`, `/token=…`), and everything from the first path parameter, query or
    fragment as `;…`, `?…` or `#…`. An address with none of them is returned as it is. (`https://ex.com/rss?` has an empty
    query: nothing to hide.)"""
    try:
        parts = urlsplit(url)
    except ValueError:  # "Invalid IPv6 URL": hidden as it would be in prose
        return hidden_in_text(url)
    if not parts.netloc and (shown := hidden_in_text(url)) != url:
        # No `//` ("reader:pw@[2001:db8::1]/rss"): urlsplit reads it all as a path (and
        # "reader:" as a scheme), so it is read as prose reads an address without a scheme.
        return shown
    netloc = parts.netloc
    if "@" in netloc:
        netloc = ELLIPSIS + "@" + netloc.rpartition("@")[2]
    path, _, params = parts.path.partition(";")
    # "/rss&apikey=…", "/rss%3Fapikey=…": a query whose `?` was left out or encoded is hidden
    # as one (before the `;`, only those marks can start a secret).
    query = _SECRET_START_RE.search(path)
    if query is not None:
        path, tail = path[: query.start()], query.group() + ELLIPSIS
    elif params:
        tail = ";" + ELLIPSIS
    elif parts.query:
        tail = "?" + ELLIPSIS
    elif parts.fragment:
        tail = "#" + ELLIPSIS
    else:
        tail = ""
    shown_path = _hidden_path(path if query is not None or params else parts.path)
    if not tail and netloc == parts.netloc and shown_path == parts.path:
        return url
    head = f"{parts.scheme}://{netloc}" if parts.scheme or netloc else ""
    return head + shown_path + tail


def hidden_in_text(text: str) -> str:
    """`text` (an error, a note, a name) with every address in it hidden as `hidden_url` hides
    a feed's own, also one written without its scheme ("ex.com/q?apikey=…", "10.0.0.5/rss?k=…",
    "user:pw@ex.com"). The text around an address is kept: a closing bracket, quotation mark or
    full stop right after it, whatever follows a space, and Slack's `|label>`. A hidden part runs
    up to a space: a key quoted from a request may hold any other character. Hiding twice hides
    nothing more."""
    if not any(mark in text for mark in _MARKS):
        return text  # the common case, every outlet name on every card: no address to hide
    return _TOKEN_RE.sub(lambda m: _hidden_token(m.group()), text)


def _hidden_token(token: str) -> str:
    scheme = _scheme(token)
    # A bare address before the first scheme ("ex.com/q?key=…&next=https://…") comes first.
    bare = _BARE_HOST_RE.search(token, 0, scheme[0] if scheme else len(token))
    if scheme is not None and bare is None:
        start = scheme[1]
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
    secret = _secret_start(rest, schemed=bare is None)
    tail = rest[secret.end() :] if secret else rest
    given_back = tail[len(tail.rstrip(_TRAILING)) :]
    if secret is None:
        return before + _hidden_path(rest[: len(rest) - len(given_back)]) + given_back
    path = _hidden_path(rest[: secret.start()])
    if len(tail) == len(given_back):  # "https://ex.com/rss?" or "ex.com/a;": nothing after it
        return before + path + rest[secret.start() :]
    return before + path + secret.group() + ELLIPSIS + given_back


def _scheme(token: str) -> tuple[int, int] | None:
    """Where the first `scheme://` in `token` starts and ends."""
    at = token.find("://")
    while at != -1:
        start = at
        while start > 0 and at - start < _SCHEME_MAX and token[start - 1] in _SCHEME_CHARS:
            start -= 1
        for first in range(start, at):
            if token[first].isalpha():  # ASCII: only scheme characters are in this run
                return first, at + 3
        at = token.find("://", at + 1)
    return None


def _secret_start(rest: str, *, schemed: bool) -> re.Match[str] | None:
    """Where the secret part of an address's `rest` (after its host) starts. After a scheme, at
    its first mark; after a bare host, a path parameter or fragment must look like a key, as a
    name like "Ex.com#1 News" is written so too (a query or `&name=` is hidden anyway)."""
    for found in _SECRET_START_RE.finditer(rest):
        mark = found.group().lower()
        query = mark in "?&" or mark.endswith(("3f", "26"))
        if schemed or query or _KEYLIKE_RE.match(rest, found.end()):
            return found
    return None


def _hidden_path(path: str) -> str:
    """`path` with what a segment names as a key hidden: the next segment, as `…`
    (`/apikey/…/rss`), or its own value (`/rss/token=…`), also with its `/`, `=` or `:`
    percent-encoded (`/apikey%2F…`, `/apikey%3D…`); and a segment that is a token by its shape
    (`_TOKEN_SEGMENT_RE`). Every other segment is shown (the module docstring says why)."""
    # Split at `/` and an encoded one, kept: [before the first, mark, segment, mark, ...].
    parts = _SEPARATOR_RE.split(path)
    after_key = False
    for i in range(2, len(parts), 2):
        segment = parts[i]
        if not segment:
            continue
        if after_key:
            parts[i], after_key = ELLIPSIS, False
            continue
        if (shape := _TOKEN_SEGMENT_RE.match(segment)) is not None:
            parts[i] = "private-" + ELLIPSIS if shape["private"] else ELLIPSIS
            continue
        if (hexed := _HEX_SEGMENT_RE.fullmatch(segment)) is not None and (
            hexed["feed"] or (i + 2 < len(parts) and _FEED_FILE_RE.fullmatch(parts[i + 2]))
        ):
            parts[i] = ELLIPSIS
            continue
        named = _NAMED_SEGMENT_RE.fullmatch(segment)
        if named is not None:
            if named["value"] and _names_a_key(named["name"]):
                parts[i] = named["name"] + named["mark"] + ELLIPSIS
            continue
        after_key = _names_a_key(segment)
    return "".join(parts)


def _names_a_key(name: str) -> bool:
    """Whether a whole segment names a key: one of `_KEY_NAMES`, or one of `_KEY_NAME_ENDINGS`
    after at most one word (`x-api-key`, `my_access_token`). A slug that ends so is a title,
    not a name ("how-not-to-format-a-private-key")."""
    words = [w for w in re.split(r"[-_.]", name.lower()) if w]
    compact = "".join(words)
    if compact in _KEY_NAMES:
        return True
    return len(words) <= 3 and compact.endswith(_KEY_NAME_ENDINGS)


# A secret shorter than this is no key ("?key=1"), and would be found in every address.
_SECRET_MIN = 6


def secret_parts(url: str) -> frozenset[str]:
    """What of a feed's own address is a key by the rules `hidden_url` follows, for telling
    that another address carries it (`bot.ingest.entry_links.carries_secret`): a password in
    its userinfo, the value of a query, path-parameter or fragment pair named like a key
    (`?apikey=…`, `;jsessionid=…`, `#token=…`), and a path segment `hidden_url` hides. Not the
    rest of its query: `?hl=en-US` is hidden too, but an article's address may well repeat it.
    Parts shorter than `_SECRET_MIN` are left out."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return frozenset()
    found: set[str] = set()
    userinfo = parts.netloc.rpartition("@")[0]
    if userinfo:
        found.add(userinfo.partition(":")[2])
    path, _, params = parts.path.partition(";")
    for pair in re.split(r"[&;]", f"{parts.query}&{params}&{parts.fragment}"):
        name, mark, value = pair.partition("=")
        if mark and _names_a_key(name):
            found.add(value)
    shown = _SEPARATOR_RE.split(_hidden_path(path))
    for segment, hidden in zip(_SEPARATOR_RE.split(path), shown, strict=True):
        if hidden != segment and hidden.endswith(ELLIPSIS):
            found.add(segment[len(hidden) - len(ELLIPSIS) :])
    return frozenset(part for part in found if len(part) >= _SECRET_MIN)
