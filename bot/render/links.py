"""Where a feed's link really goes, read the way a browser reads it.

urllib's `urlsplit` is not what opens a link: browsers follow the WHATWG URL standard, which
treats `\\` as `/` in http(s) URLs, splits the user info at the *last* `@` before the path,
percent-decodes the host and maps full-width and other compatibility forms to ASCII, and accepts
IPv4 addresses as one decimal number, in hex or octal, or with parts left out. Read any other
way, `https://evil.example\\@bank.example/` names bank.example while it opens evil.example, and
`http://%31%32%37.0.0.1/` passes for a public site while it opens the reader's own machine.

So every renderer links only the URL `safe_url` rebuilds from what it parsed: the host in the
ASCII form a browser resolves, no user info, no backslash. What the check read is then exactly
what every platform opens, whatever URL parser the platform's client uses.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from bot.ingest.addresses import classify_ip

_C0_OR_SPACE = "".join(chr(i) for i in range(0x21))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", re.DOTALL)
# Where a browser ends the authority of an http(s) URL (`\` reads as `/`).
_AUTHORITY_END_RE = re.compile(r"[/\\?#]")
# Characters no host may hold once decoded (WHATWG "forbidden domain code points"): a browser
# refuses the URL, so we show it as text.
_FORBIDDEN_HOST = frozenset("\x00\t\n\r #/:<>?@[\\]^|%\x7f") | frozenset(map(chr, range(0x20)))
# Browsers read the ideographic and fullwidth stops in a host as dots (IDNA maps them to ".");
# NFKC already maps the fullwidth one and turns the halfwidth one into U+3002.
_HOST_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


@dataclass(frozen=True, slots=True)
class ParsedURL:
    """An http(s) URL as a browser reads it. `host` is the ASCII form it resolves ("xn--" for an
    internationalised name, dotted decimal for any IPv4 spelling, `[...]` around IPv6)."""

    scheme: str
    host: str
    port: str
    rest: str  # path, query and fragment, backslashes already resolved

    @property
    def url(self) -> str:
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme}://{self.host}{port}{self.rest}"


def parse_url(url: str | None) -> ParsedURL | None:
    """`url` read the way a browser reads a link, or None when a browser would refuse it or it
    is not `scheme://host...` (a host we cannot read the way a browser does is never linked)."""
    if not url:
        return None
    text = url.strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)
    match = _SCHEME_RE.fullmatch(text)
    if match is None:
        return None
    scheme, rest = match.group(1).lower(), match.group(2)
    # Exactly two slashes, of either kind: browsers also take "http:host" or "http:///host",
    # but no real feed writes those, and showing them as text is safe.
    if len(rest) < 2 or rest[0] not in "/\\" or rest[1] not in "/\\":
        return None
    rest = rest[2:]
    if rest[:1] in ("/", "\\"):
        return None
    end = _AUTHORITY_END_RE.search(rest)
    cut = end.start() if end else len(rest)
    authority, tail = rest[:cut], rest[cut:]
    # Everything before the last "@" is user info ("bank.example@evil.example" opens evil.example).
    host_port = authority.rpartition("@")[2]
    host_text, port = _split_port(host_port)
    if port is None:
        return None
    host = normalise_host(host_text)
    if host is None:
        return None
    return ParsedURL(scheme, host, port, _resolve_tail(tail))


def _split_port(host_port: str) -> tuple[str, str | None]:
    """(host, port) with the port in canonical digits ("" for none); port None if invalid."""
    close = host_port.rfind("]")
    colon = host_port.find(":", close + 1)
    if colon < 0:
        return host_port, ""
    host, digits = host_port[:colon], host_port[colon + 1 :]
    if not digits:
        return host, ""
    if not (digits.isascii() and digits.isdigit()) or int(digits) > 65535:
        return host, None
    return host, str(int(digits))


def _resolve_tail(tail: str) -> str:
    """Path, query and fragment with no backslash left: in the path a browser reads `\\` as `/`
    (so we write `/`), in the query and fragment it keeps it (so we percent-encode it, which
    every parser reads the same way)."""
    end = len(tail)
    for mark in "?#":
        found = tail.find(mark)
        if found >= 0:
            end = min(end, found)
    return tail[:end].replace("\\", "/") + tail[end:].replace("\\", "%5C")


def normalise_host(host: str) -> str | None:
    """The host a browser resolves for `host` as written in a URL, in ASCII; None if a browser
    would refuse it. Percent-escapes are decoded and compatibility forms mapped first, as the
    WHATWG host parser does: "%31%32%37.0.0.1" and "１２７.０.０.１" are both 127.0.0.1.

    The IDNA mapping is approximated by NFKC and lower case (what UTS-46 does for the forms a
    feed can use to disguise a host: full-width, circled and other compatibility letters and
    digits); str.casefold would go further than browsers ("ß" to "ss")."""
    if host.startswith("["):
        return _ipv6(host)
    try:
        decoded = unquote_to_bytes(host).decode("utf-8")
    except UnicodeDecodeError:
        return None
    mapped = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", decoded).lower())
    mapped = mapped.translate(_HOST_DOTS)
    if not mapped or any(_refused_host_char(ch) for ch in mapped):
        return None
    if _ends_in_number(mapped):
        address = _ipv4(mapped)
        return None if address is None else str(address)
    labels = mapped.split(".")
    return ".".join(_ascii_label(label) for label in labels)


def _refused_host_char(ch: str) -> bool:
    # Invisible, control and space characters can make a host read as another; browsers refuse
    # most of them, and a link whose host hides a character is never worth showing.
    return ch in _FORBIDDEN_HOST or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _ascii_label(label: str) -> str:
    return label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")


def _ipv6(host: str) -> str | None:
    if not host.endswith("]"):
        return None
    try:
        # Zone ids ("%eth0") are not valid in a URL; IPv6Address accepts them, so refuse first.
        if "%" in host:
            return None
        return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
    except ValueError:
        return None


def _ends_in_number(host: str) -> bool:
    """WHATWG's test for an IPv4 host: the last label (a trailing dot aside) is a number. Such
    a host must then parse as IPv4, or the browser refuses the URL."""
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    last = labels[-1]
    if last.isascii() and last.isdigit():
        return True
    return last[:2] in ("0x", "0X") and all(ch in _HEX_DIGITS for ch in last[2:])


def _ipv4(host: str) -> ipaddress.IPv4Address | None:
    """WHATWG's IPv4 parser: one to four parts, each decimal, octal ("0177") or hex ("0x7f"),
    the last filling the bytes left ("127.1", "2130706433")."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    total = values[-1]
    for i, n in enumerate(values[:-1]):
        total += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(total)


def _ipv4_number(part: str) -> int | None:
    if not part or not part.isascii():
        return None
    radix = 10
    if part[:2] in ("0x", "0X"):
        part, radix = part[2:], 16
    elif len(part) > 1 and part[0] == "0":
        part, radix = part[1:], 8
    if not part:
        return 0
    try:
        return int(part, radix) if part.isalnum() else None
    except ValueError:
        return None


def url_host(url: str | None) -> str:
    """The host a browser opens for `url`, in ASCII, without a leading "www."; "" if none."""
    parsed = parse_url(url)
    return parsed.host.removeprefix("www.") if parsed else ""


def safe_url(url: str | None) -> str | None:
    """The URL to link, rebuilt from what a browser reads (see the module docstring), if it is a
    plain http(s) link to a public host; else None (render as text, no link)."""
    if not url:
        return None
    # Unicode spaces at the ends too (a CMS's trailing &nbsp;), as before links were read the
    # browsers' way: no address a feed means ends in one, and the link is rebuilt without it.
    url = url.strip().strip(_C0_OR_SPACE)
    # Browsers drop tabs/newlines inside URLs ("java\tscript:"), so any such character is
    # suspicious enough to refuse rather than normalise. Format characters (Cf: bidi overrides,
    # zero-width joiners, soft hyphens) are invisible or reorder what is shown, so a printed URL
    # could read as a different site than the one it opens.
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        return None
    parsed = parse_url(url)
    if parsed is None or parsed.scheme not in ("http", "https") or internal_host(parsed.host):
        return None
    return parsed.url


def internal_host(host: str) -> bool:
    """Whether `host` (as `normalise_host` returns it) names this machine or a network behind
    it: localhost, or an address the fetcher refuses by default (loopback, private, link-local
    such as the cloud metadata address, reserved). A feed's link there is not a news page but a
    one-click request from a reader's browser into their own network, so it is shown as text.
    Links by name to an intranet host stay links: only DNS could tell, and renderers never ask."""
    name = host.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return classify_ip(address) is not None
