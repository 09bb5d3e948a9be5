"""Normalisation of what feeds hand us: URLs, HTML fragments and dates.

The clusterer compares articles across outlets, so the same story must look the same no matter
which tracking parameters, markup or timezone its feed used. An article's text also loses the
boilerplate its CMS wrapped it in (`strip_boilerplate`, defined in `bot/boilerplate.py`).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit, urlunsplit

from lxml import etree

from bot.boilerplate import strip_boilerplate
from bot.feedurls import http_parts
from bot.ingest.attributes import MAX_ATTRIBUTES
from bot.textutil import INVISIBLE_CLASS, strip_invisible

__all__ = [
    "MAX_HTML_CHARS",
    "MAX_TITLE_CHARS",
    "TRACKING_PARAMS",
    "canonical_url",
    "cap_title",
    "html_to_text",
    "parse_date",
    "rfc822_spelling",
    "same_page_url",
    "strip_boilerplate",
    "title_to_text",
    "to_utc",
]

# Query keys that identify the click, not the page. Compared case-insensitively.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid", "igshid",
        "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ocid",
        "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp", "hsctatracking", "mkt_tok", "spm",
        "s_kwcid", "wt.mc_id", "wt_mc_id", "at_medium", "at_campaign", "oly_enc_id",
        "oly_anon_id", "vero_id", "rb_clickid", "soc_src", "soc_trk", "sr_share", "ito",
        "guccounter", "guce_referrer", "guce_referrer_sig", "smid", "xtor",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")


def _is_tracking(key: str) -> bool:
    k = unquote(key).lower()
    return k in TRACKING_PARAMS or k.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """One spelling per page: tracking params, fragment and default port gone, query sorted.

    Only http(s) URLs are rewritten; anything else (tag: URIs, mailto:) is returned stripped.
    Query pairs are kept byte-for-byte (not decoded and re-encoded) so a server that is picky
    about its own encoding still gets what it published.
    """
    url = url.strip()
    found = http_parts(url)
    if found is None:
        return url
    parts, scheme, netloc = found
    userinfo = parts.netloc.rpartition("@")[0]
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    pairs = [p for p in re.split(r"[&;]", parts.query) if p]
    kept = sorted(p for p in pairs if not _is_tracking(p.partition("=")[0]))
    return urlunsplit((scheme, netloc, parts.path or "/", "&".join(kept), ""))


# Hosts that serve a site's pages in another dress: "amp.", "m." or "mobile." before a domain.
_DRESS_HOSTS = ("amp.", "m.", "mobile.")
# "?outputType=amp", "?output=amp", "?amp", "?amp=1": the AMP page at the article's address.
_AMP_QUERY_RE = re.compile(r"(?:amp(?:=(?:1|true)?)?|(?:outputtype|output)=amp)", re.I)
# A slug's last segment: words joined by hyphens, or digits (an id). "/reviews/amp" is a page.
_SLUG_RE = re.compile(r"[^/]*(?:-|\d)[^/]*")


def same_page_url(url: str) -> str:
    """`url` (canonical) without the marks of an AMP or mobile copy of its page, to tell that two
    links are one article: `amp.` or `m.` hosts, an `/amp/` first segment, an `/amp` last one or
    `.amp` ending after a slug, and `?amp`, `?outputType=amp`. Not for display: the copy's own
    address still works. Conservative, as two pages taken for one lose an article: a host left
    with one label, `/amp` after a word that is no slug, or `?amp=0` stay as they are."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    netloc = parts.netloc
    host = netloc.rpartition("@")[2]
    for dress in _DRESS_HOSTS:
        if host.lower().startswith(dress) and "." in host[len(dress) :].split(":")[0]:
            netloc = netloc[: len(netloc) - len(host)] + host[len(dress) :]
            break
    # A trailing slash stays as the copy has it: WordPress serves "/slug/" as "/slug/amp/".
    slash = "/" if parts.path.endswith("/") else ""
    core = parts.path.strip("/").split("/")
    path = parts.path
    if len(core) >= 2 and core[0].lower() == "amp":
        path = "/" + "/".join(core[1:]) + slash
    elif len(core) >= 2 and core[-1].lower() == "amp" and _SLUG_RE.fullmatch(core[-2]):
        path = "/" + "/".join(core[:-1]) + slash
    elif core[-1].lower().endswith(".amp") and _SLUG_RE.fullmatch(core[-1][:-4]):
        path = "/" + "/".join([*core[:-1], core[-1][:-4]]) + slash
    pairs = [p for p in parts.query.split("&") if p and not _AMP_QUERY_RE.fullmatch(p)]
    return urlunsplit((parts.scheme, netloc, path, "&".join(pairs), parts.fragment))


# Elements whose content is never prose, dropped with their text.
_DROP = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg", "math")
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "thead", "tfoot", "tr", "ul", "br",
    }
)  # fmt: skip
_BLOCK_TAGS = tuple(sorted(_BLOCK))
_CELL_TAGS = ("td", "th")
# Real markup only: a tag, end tag, comment, CDATA or doctype. Text such as "a < b", Slack's
# "<!channel>" or "<@U123>" in a title is content; an HTML parser would swallow it.
_MARKUP_RE = re.compile(r"</?[A-Za-z]|<!--|<!\[CDATA\[|<!doctype", re.I)
# Past this, an entry is a whole book, not news; the cap keeps one hostile item from stalling a poll.
# It applies to plain text as to markup: a title of four million words is no less hostile.
MAX_HTML_CHARS = 250_000
# An HTML start tag with more attributes than any page needs (quoted, unquoted or bare, spaced
# or not): libxml2's HTML parser compares each with all before it, and 20,000 on one <p> cost
# 2.5 s of CPU per entry, every poll (`bot.ingest.attributes` guards the feed's own elements).
_HTML_ATTRIBUTE = r"""(?>[\s/]*+[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s<>"']*+))?+)"""
# A tag's name holds no quote, as no attribute's name or unquoted value does: every quote then
# opens or closes a value, so a '<' quoted in a value starts a reading that never falls back in
# step with the tag it sits in, and no stretch is read more than three times (with the name
# taking in quotes, '<b"c' quoted 490 times in each tag cost 0.9 s per 250 KB body).
_CROWDED_TAG_RE = re.compile(
    r"""<[A-Za-z][^\s<>/"']*+""" + _HTML_ATTRIBUTE + "{" + str(MAX_ATTRIBUTES + 1) + "}"
)
# Shorter, no tag can hold so many: each attribute takes two characters at least.
_CROWDED_MIN_CHARS = 2 * MAX_ATTRIBUTES
# A start tag, its name (group 1) and its attributes, to its ">" if it has one.
_TAG_ATTRIBUTES_RE = re.compile(r"<([A-Za-z][^\s<>/]*+)" + _HTML_ATTRIBUTE + r"*+[\s/]*+>?")
# A title (an entry's, a feed's, an author's name) is one line of a card. Every later stage reads
# titles whole (slugs, headlines, topic matching, outlet names), so they get a cap of their own.
MAX_TITLE_CHARS = 1_000
_html_parser = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, recover=True
)


def is_homepage(url: str) -> bool:
    """Whether `url` is a site's front page: some feeds give it as every item's link, so it
    neither identifies an entry nor shows two entries to be one."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def html_to_text(fragment: str | None) -> str:
    """Plain text of an HTML fragment: entities decoded, scripts/styles dropped, blocks on
    their own lines, runs of whitespace squashed, blank lines removed."""
    if not fragment:
        return ""
    fragment = fragment[:MAX_HTML_CHARS]
    if not _MARKUP_RE.search(fragment):
        # Plain text (possibly entity-escaped) is the common case for titles; skip the parser.
        return _squash(html.unescape(fragment) if "&" in fragment else fragment)
    if len(fragment) > _CROWDED_MIN_CHARS and _CROWDED_TAG_RE.search(fragment):
        # Text needs no attributes: every tag's are dropped, so the parser has none to compare.
        fragment = _TAG_ATTRIBUTES_RE.sub(r"<\1>", fragment)
    data = fragment.encode("utf-8", "surrogatepass")
    root = etree.fromstring(data, _html_parser)
    if root is None:
        return ""
    etree.strip_elements(root, *_DROP, with_tail=False)
    try:
        _mark_blocks(root)
    except ValueError:
        # lxml's parser lets in characters (a raw BEL, &#7;, &#xFFFE;) that its setters then
        # refuse. Rare enough to parse again and scrub every text before marking.
        root = etree.fromstring(data, _html_parser)
        etree.strip_elements(root, *_DROP, with_tail=False)
        for el in root.iter():
            if el.text:
                el.text = _xml_safe(el.text)
            if el.tail:
                el.tail = _xml_safe(el.tail)
        _mark_blocks(root)
    return _squash("".join(root.itertext()))


# The formatting a title's HTML may carry. Anything else in angle brackets is taken for text: a
# title is one line, and "#include </etc/shadow>" or "Why <script defer> beats <script async>"
# name markup rather than use it (an HTML parser read both as tags and left "#include", "Why").
_INLINE_TAGS = (
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em",
    "font", "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
)  # fmt: skip
_INLINE_TAG_RE = re.compile(r"</?(?:" + "|".join(_INLINE_TAGS) + r")(?=[\s/>])[^<>]*>", re.I)


def title_to_text(fragment: str | None, *, plain: bool = False) -> str:
    """A title (an entry's or a feed's) as one line of text. `plain` when the feed says it is
    text (Atom's type="text"): nothing in it is markup or an entity then. Otherwise the inline
    formatting tags are dropped (`<br>` is a space) and entities decoded; any other `<...>` is
    kept as written."""
    if not fragment:
        return ""
    fragment = fragment[:MAX_HTML_CHARS]
    if not plain:
        if "<" in fragment:
            fragment = _INLINE_TAG_RE.sub(_inline_tag_gap, _drop_comments(fragment))
        if "&" in fragment:
            fragment = html.unescape(fragment)
    # One line: a title is shown as one, and its line breaks would be lines of a bot's message.
    return _squash(fragment).replace("\n", " ")


def _drop_comments(fragment: str) -> str:
    """`fragment` without its `<!-- -->` comments; an unclosed one is kept as text. Found with
    `find`, so a title of a thousand unclosed openers stays linear: a lazy `<!--.*?-->` scanned to
    the end from each of them, one C call that held the GIL for minutes and froze the event loop
    (chat commands, /healthz, gateway heartbeats) with it."""
    if "<!--" not in fragment:
        return fragment
    parts: list[str] = []
    pos = 0
    while (start := fragment.find("<!--", pos)) >= 0:
        end = fragment.find("-->", start + 4)
        if end < 0:
            break  # no "-->" after this opener, so none after any later one either
        parts.append(fragment[pos:start])
        pos = end + 3
    parts.append(fragment[pos:])
    return "".join(parts)


def _inline_tag_gap(match: re.Match[str]) -> str:
    tag = match.group(0)
    return " " if tag[1:3].lower() == "br" and not tag[3:4].isalpha() else ""


def cap_title(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """`text` if it fits in `limit` characters, else cut and ended with "…", `limit` at most:
    at the last word boundary that fits when that keeps more than half of the limit, otherwise
    mid-word (a first word, or a URL, longer than the rest: "Breaking: xxx…", not "Breaking:…")."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _mark_blocks(root: etree._Element) -> None:
    """Newlines around block elements and a space after table cells, for `_squash` to keep."""
    # iter(tags) filters in C, so only block elements cost a Python step.
    for el in root.iter(_BLOCK_TAGS):
        el.tail = "\n" + el.tail if el.tail else "\n"
        el.text = "\n" + el.text if el.text else "\n"
    for el in root.iter(_CELL_TAGS):
        el.tail = " " + el.tail if el.tail else " "


# C0 controls but tab and newlines. A NUL or BEL in a title is never content, and XML (lxml's
# setters, the OPML export) and chat platforms refuse them; the whitespace ones become spaces.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_MAP = {c: (" " if chr(c).isspace() else None) for c in range(0x20) if c not in (9, 10, 13)}


def _strip_controls(text: str) -> str:
    return text.translate(_CONTROL_MAP) if _CONTROL_RE.search(text) else text


# What XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF), and lxml
# will not set as text: it refuses the whole document then.
_XML_ILLEGAL_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _XML_ILLEGAL_RE.sub("", text)


def _xml_safe(text: str) -> str:
    return xml_text(_strip_controls(text))


# C1 code points as the windows-1252 characters they were meant for. XML reads `&#146;` as
# U+0092, a control; old CMSs and Word pastes write it for an apostrophe, and HTML5 reads numeric
# references so ("Don&#146;t" is "Don’t"). The five that windows-1252 leaves undefined stay.
_C1_MAP = {
    code: char
    for code in range(0x80, 0xA0)
    if (char := bytes([code]).decode("cp1252", "replace")) != "\ufffd"
}
_C1_RE = re.compile("[\x80-\x9f]")

# What `_squash` changes or removes besides whitespace, found by one search (most texts have none).
_SQUASH_DROPS_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f{INVISIBLE_CLASS}]")


def _squash(text: str) -> str:
    if _SQUASH_DROPS_RE.search(text):
        if _C1_RE.search(text):
            # Before anything splits on whitespace: U+0085 is a line break to str.split().
            text = text.translate(_C1_MAP)
        # Invisible characters go at ingest, so stored text matches topics word for word.
        text = strip_invisible(_strip_controls(text))
    # str.split() is the fastest whitespace squasher in CPython (several x a regex sub).
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(filter(None, lines))


def to_utc(dt: datetime) -> datetime:
    """Aware UTC datetime; a naive one is taken to be UTC already (feeds rarely say otherwise).

    Raises OverflowError when the shift leaves years 1-9999 (9999-12-31T23:59-05:00)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 / RFC 3339 or RFC 822 date string to UTC, or None if it is neither.

    A date that cannot be shifted to UTC (year 9999 west of Greenwich, year 1 east of it) is no
    date either: one entry's absurd date must not cost the feed its other entries.
    """
    if not value:
        return None
    value = value.strip()
    try:
        return to_utc(datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")))
    except OverflowError:
        return None
    except ValueError:
        pass
    try:
        return to_utc(parsedate_to_datetime(rfc822_spelling(value)))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# A 12-hour clock ("3:00 PM", "02:02:33 p.m."), which RFC 822 parsers read as the morning.
_TWELVE_HOUR_RE = re.compile(r"\b(\d{1,2}):(\d\d)(:\d\d)?\s*([AaPp])\.?[Mm]\.?(?![A-Za-z])")
# GMT or UTC followed by an offset ("GMT-0500", "GMT+2", "UTC+05:30"): the offset is what counts,
# and an RFC 822 parser stops at the zone name.
_NAMED_OFFSET_RE = re.compile(r"\b(?:GMT|UTC?)\s*([+-])(\d{1,2})(?::?(\d\d))?\s*$")
# An offset with a colon after the time ("22:30:00 -08:00"), which RFC 822 parsers ignore.
_COLON_OFFSET_RE = re.compile(r"(\d\s*[+-]\d\d):(\d\d)\s*$")


def rfc822_spelling(value: str) -> str:
    """`value` with the clock and offset spelt the RFC 822 way, which feeds often do not: a
    12-hour clock as 24-hour, "GMT-0500" as "-0500", "-08:00" as "-0800". Anything else is
    returned as it is."""
    if _TWELVE_HOUR_RE.search(value):
        value = _TWELVE_HOUR_RE.sub(_twenty_four_hour, value)
    if "GMT" in value or "UT" in value:
        value = _NAMED_OFFSET_RE.sub(
            lambda m: f"{m.group(1)}{int(m.group(2)):02d}{m.group(3) or '00'}", value
        )
    return _COLON_OFFSET_RE.sub(r"\1\2", value)


def _twenty_four_hour(match: re.Match[str]) -> str:
    hour, minute, seconds, half = match.groups()
    hour_24 = int(hour) % 12 + (12 if half in "Pp" else 0)
    if int(hour) > 12:
        hour_24 = int(hour)  # "14:00 PM" says 14:00 twice over
    return f"{hour_24:02d}:{minute}{seconds or ''}"
