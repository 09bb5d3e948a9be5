"""Which outlet a feed belongs to, and the name its articles appear under: from the feed's URL,
its site link and its title, with no database.

An outlet is a site, not a feed: a paper's World, Business and Opinion feeds are one outlet when "N
sources" are counted (`outlet_key`), and its articles appear under the paper's name (`outlet_name`).
The key is the host of the feed's site link (the channel's <link>, or the feed's own URL until a
poll has seen one) without a leading www./feeds./rss. label, never cut past the site's registrable
domain (the public suffix list with its private section: "rss.github.io" is someone's blog, not
GitHub). The key is the host, not the registrable domain: the list names few of the platforms where
each subdomain is another publisher (Substack, WordPress.com, Tumblr, Ghost and Medium are not in
it), so cutting every host to its domain would count all newsletters of one platform as one outlet;
a paper's feeds on several hosts are one outlet by the site link they share. An aggregator feed is
one outlet like any other feed, keyed by its own site, never by the sites its items link to: an
item's link is the publisher's claim, and ten items of one aggregator are one feed's choice, not ten
independent reports (the one exception: feeds that share a placeholder or common site link while
their items are on distinct sites of their own, `bot.store.item_sites`). Platforms that host many publishers under paths of one host (GitHub, Medium,
Reddit, YouTube, FeedBurner, Bluesky, Telegram...) add the publisher's path to the key, as does an
account path on any host (mastodon.social/@name, a tilde server's ~name); a feed on a bare address
(127.0.0.1, localhost) has no site, and its name stands for its outlet, as before.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Sequence
from urllib.parse import parse_qs, urlsplit

from bot.domains import registrable_domain
from bot.redact import hidden_in_text
from bot.textutil import fold

# Leading host labels that name a feed server of the site, not another site.
_FEED_LABELS = ("www", "feeds", "feed", "rss", "rss2", "atom", "m")
# Hosts where the first path segments name the publisher: (host, segments in the key).
_PATH_TENANTS = {
    "github.com": 1,
    "gitlab.com": 1,
    "codeberg.org": 1,
    "medium.com": 1,
    "substack.com": 1,
    "x.com": 1,
    "twitter.com": 1,
    "feedburner.com": 1,
    "feedproxy.google.com": 1,
    "reddit.com": 2,
    "old.reddit.com": 2,
    "youtube.com": 2,
    "bsky.app": 2,  # bsky.app/profile/<handle>
    "t.me": 1,  # t.me/<channel>, and its web preview t.me/s/<channel> (`_ALIAS_PREFIXES`)
}
# Other spellings of one host, and path prefixes that name the same publisher as the path after
# them: a Telegram channel's preview page (t.me/s/x) is the channel (t.me/x); a Medium feed
# (medium.com/feed/@x) is the account (medium.com/@x).
_HOST_ALIASES = {"old.reddit.com": "reddit.com", "telegram.me": "t.me"}
_ALIAS_PREFIXES = {"t.me": "s", "medium.com": "feed"}
# An account on any host: a path that starts with @name (Mastodon and the fediverse, Medium,
# YouTube) or ~name (tilde servers, SourceHut) names its publisher, whatever the host. A feed's
# suffix is cut: mastodon.social/@x.rss is the account mastodon.social/@x links to.
_ACCOUNT_PREFIXES = ("@", "~")
_FEED_SUFFIX_RE = re.compile(r"\.(?:rss|atom|xml|json)$")
# A YouTube feed names its channel or playlist in the query: (parameter, path in the key).
_YOUTUBE_QUERIES = (
    ("channel_id", "channel"),
    ("playlist_id", "playlist"),
    ("list", "playlist"),
    ("user", "user"),
)
# The separators between a site's name and a section in a feed title: "Omega Times - World",
# "X > World News", "X: World", "X | Section", "World | X".
# Host labels that name no site in particular.
_GENERIC_LABELS = frozenset(
    {"com", "org", "net", "edu", "gov", "info", "news", "blog", "blogs", "online", "media", "web"}
)
# Host labels of platforms where each subdomain is another publisher.
_PLATFORM_LABELS = frozenset(
    {"wordpress", "blogspot", "substack", "tumblr", "ghost", "medium", "wixsite", "squarespace"}
)
_SECTION_RE = re.compile(r"\s+(?:[-\u2013\u2014|>\u00bb\u203a/]|::)\s+|:\s+")
# A separator or a "feed"/"RSS" word ending a title belongs to no name: "Rest of World -",
# "TheWeek feed".
_TITLE_TAIL_RE = re.compile(
    r"(?:\s*(?:[-\u2013\u2014|>\u00bb\u203a/:]|::)|\s+(?:rss|atom|feeds?))+\s*$", re.IGNORECASE
)
# A feed's word after the site's name in the piece kept ("NPR Topics: World" is NPR's): never
# "News", which is in many outlets' own names.
_PIECE_TAIL_RE = re.compile(r"\s+(?:topics?|headlines|latest|updates)$", re.IGNORECASE)
# Words that make a feed's title without naming anyone: "Top Stories", "Latest News - World",
# a search page's "News Search Records Found 1000". A title of only these (and numbers, and the
# site's own name) says less than the site's host does, and two sites' "Top Stories" would read
# as one outlet.
_GENERIC_TITLE_WORDS = frozenset(
    """
    top stories story news latest breaking world home headlines headline feed feeds rss atom
    search records record found results all and more the of in on from for front page main
    section sections international national local politics crime tech technology business
    sport sports science health entertainment opinion updates update articles today edition
    """.split()
)
_NAME_WORDS = 4  # a title piece longer than this that names the site is a description
# A name that is a domain ("CBSNews.com", "Boston.com", "stuff.co.nz"): the part before its suffix.
_DOMAIN_NAME_RE = re.compile(r"([A-Za-z][A-Za-z0-9]*)\.(?:com|net|org|co\.uk|com\.au|co\.nz)")
# Where an acronym ends and a capitalised word begins: "CBS|News", "NY|Times".
_ACRONYM_END_RE = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")


def outlet_key(url: str | None, site_url: str | None = None) -> str | None:
    """Which outlet a feed at `url` whose site link is `site_url` belongs to; None when neither
    names a site (see the module doc). Feeds with one key are one outlet."""
    return _site_key(site_url) or _site_key(url)


def site_key(url: str | None) -> str | None:
    """The outlet one link names, as `outlet_key` keys a site link: an item's link, say. Not
    cached: every item has a link of its own, and they would push the feeds' few out."""
    return _site_key.__wrapped__(url)


@functools.lru_cache(maxsize=4096)
def _site_key(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or "." not in host or host.endswith(".localhost"):
        return None
    try:
        ipaddress.ip_address(host)
        return None  # an address names a machine, which may serve any number of sites
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) > 2 and labels[0] in _FEED_LABELS:
        # Only here is the list needed (loading it costs ~0.1 s); a host that is a public suffix
        # itself has nothing to cut.
        site = registrable_domain(host, private=True)
        keep = site.count(".") + 1 if site else len(labels)
        while len(labels) > keep and labels[0] in _FEED_LABELS:
            labels = labels[1:]
    host = ".".join(labels)
    host = _HOST_ALIASES.get(host, host)
    segments = [s for s in parts.path.lower().split("/") if s]
    if len(segments) > 1 and segments[0] == _ALIAS_PREFIXES.get(host):
        segments = segments[1:]
    if segments and segments[0].startswith(_ACCOUNT_PREFIXES) and len(segments[0]) > 1:
        return f"{host}/{_FEED_SUFFIX_RE.sub('', segments[0])}"
    if host == "youtube.com" and segments in (["feeds", "videos.xml"], ["playlist"]):
        # The feed youtube.com/feeds/videos.xml?channel_id=X is the channel youtube.com/channel/X
        # it links to; ?playlist_id=X, the playlist youtube.com/playlist?list=X.
        query = parse_qs(parts.query)
        for param, path in _YOUTUBE_QUERIES:
            if query.get(param):
                return f"{host}/{path}/{query[param][0].lower()}"
    tenant = _PATH_TENANTS.get(host)
    if tenant:
        return "/".join([host, *segments[:tenant]])
    return host


def _without_tail(title: str) -> str:
    """`title` without its trailing separators and "feed" words (`_TITLE_TAIL_RE`), read 200
    characters at a time from the end: searched from every position, a run of " - - - ..." was
    quadratic. A tail that fills the stretch read may go on before it, so it is read again."""
    while True:
        start = max(0, len(title) - 200)
        tail = _TITLE_TAIL_RE.search(title, start)
        if tail is None:
            return title
        title = title[: tail.start()]
        if tail.start() > start or start == 0:
            return title


def outlet_name(
    name: str | None,
    title: str | None,
    url: str,
    site_url: str | None = None,
    others: Sequence[str] = (),
) -> str:
    """`_outlet_name`, with any address in it hidden as in chat (`bot.redact`): a card's footer,
    /story and the LLM writer's input show it to anyone, and a configured name or a title may be
    a feed's address with its key (an OPML reader exports the address as an outline's title)."""
    return hidden_in_text(_outlet_name(name, title, url, site_url, others))


def _outlet_name(
    name: str | None,
    title: str | None,
    url: str,
    site_url: str | None = None,
    others: Sequence[str] = (),
) -> str:
    """The name a feed's articles appear under: its configured name, always; else its title, cut
    to the site's name when the title adds a section ("Omega Times - World" on omegatimes.example
    is "Omega Times"; "World | Omega Times" too); else its host.

    The part kept must name the site, its letters matching a label of the site's host: a title
    such as "Latest News - Site A" must not become "Latest News", which another site's feed
    may be called too. A title that names no one ("Top Stories", "Latest News - World") gives
    the site's host instead, for the same reason, or the site's name where it is among those words
    ("Omega News Search Records Found 1000" is "Omega"); one that names no site but is a name ("BBC
    News - Home" on bbci.co.uk) is kept whole. A feed with no site (a bare address) keeps its
    whole title.

    Before the host, the feed's `others` (`bot.ingest.parsed_feed.ParsedFeed.other_names`: its
    description, its editor's name) are asked, the first that names the site in a few words:
    ABC Australia's "Top Stories" feed is "ABC News" by its editor, not "abc.net.au". A name
    written as a domain whose capitals mark an acronym ("CBSNews.com") goes by its words ("CBS
    News"); "Boston.com" or "WSJ.com" mark none, and stay as the site writes them."""
    if name:
        return name
    title = _without_tail(" ".join((title or "").split()))
    key = outlet_key(url, site_url)
    labels = _site_labels(key)
    if not title:
        return _other_name(others, labels) or urlsplit(url).hostname or url
    pieces = [p.strip() for p in _SECTION_RE.split(title)]
    if len(pieces) > 1:
        for piece in (pieces[0], pieces[-1]):
            if _names_site(piece, labels):
                trimmed = _PIECE_TAIL_RE.sub("", piece)
                return _as_words(trimmed if _names_site(trimmed, labels) else piece)
    elif _names_site(title, labels) and len(title.split()) <= _NAME_WORDS:
        return _as_words(title)
    if key and _generic_title(title, labels):
        return _other_name(others, labels) or _site_words(title, labels) or key
    return title


def _other_name(others: Sequence[str], labels: list[str]) -> str | None:
    """The first of a feed's other names that names its site in a few words, as `_as_words`.

    Stricter than a title: a description or an editor is free text, so a whole label of the
    site must be in its letters ("News" is within cbsnews but names no one), it must not be
    made of generic words only, and a blogging platform's label names no publisher on it
    ("Just another WordPress site" on example.wordpress.com)."""
    labels = _publisher_labels(labels)
    for other in others:
        other = _without_tail(" ".join(other.split()))
        if (
            other
            and len(other.split()) <= _NAME_WORDS
            and _names_site(other, labels, whole_label=True)
            and not _generic_title(other, [])
        ):
            return _as_words(other)
    return None


def _publisher_labels(labels: list[str]) -> list[str]:
    """A site's labels without a hosting platform's under a publisher's (wordpress of
    example.wordpress.com); the platform's own site keeps it."""
    if len(labels) < 2:
        return labels
    return [label for label in labels if label not in _PLATFORM_LABELS]


def _as_words(name: str) -> str:
    """A name written as a domain with an acronym run into a word ("CBSNews.com", "NYTimes.com")
    as those words ("CBS News"): the site's own capitals say where its words part, where a
    lower-case host ("cbsnews") says nothing. Any other name is kept as written."""
    match = _DOMAIN_NAME_RE.fullmatch(name)
    if match is None:
        return name
    words = _ACRONYM_END_RE.sub(" ", match.group(1))
    return words if words != match.group(1) else name


def _names_site(piece: str, labels: list[str], *, whole_label: bool = False) -> bool:
    """Whether a title piece's letters match a label of the site's host ("NYT" of nytimes);
    with `whole_label`, only a label within the piece's letters counts."""
    letters = "".join(ch for ch in fold(piece) if ch.isalnum())
    return len(letters) >= 2 and any(
        label in letters or (not whole_label and len(letters) >= 3 and letters in label)
        for label in labels
    )


def _generic_title(title: str, labels: list[str]) -> bool:
    """Whether a title is made of words that name no one (see `_GENERIC_TITLE_WORDS`)."""
    words = re.findall(r"\w+", fold(title))
    return bool(words) and all(
        w in _GENERIC_TITLE_WORDS or w.isdigit() or w in labels for w in words
    )


def _site_words(title: str, labels: list[str]) -> str:
    """The words of a generic title that are the site's name, as the title writes them: "Omega"
    of "Omega News Search Records Found 1000" on omega.example. A search page titled so names
    its site once among the generic words, which read better as the site's own name than as
    its host does."""
    found: list[str] = []
    seen: set[str] = set()
    for word in title.split():
        letters = "".join(ch for ch in fold(word) if ch.isalnum())
        # A generic word ("World" of world.omega.example) names no site, and a name said twice
        # ("Omega ... For Omega") is one name.
        if letters in labels and letters not in _GENERIC_TITLE_WORDS and letters not in seen:
            seen.add(letters)
            found.append(word)
    return " ".join(found)


def _site_labels(key: str | None) -> list[str]:
    """The host labels of an outlet key that may name the site ("omegatimes" of
    omegatimes.example; not "com", "co", "news")."""
    if not key:
        return []
    host = key.split("/", 1)[0]
    return [
        label.replace("-", "")
        for label in host.split(".")[:-1]
        if len(label) >= 3 and label not in _GENERIC_LABELS
    ]
