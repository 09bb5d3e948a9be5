"""The entries of a feed document as expat reads them, for `entry_cap`'s choice of the newest.

Each entry's bytes (its own start and end tags), its date as the parser ranks it
(`entry_when`), and its id as the parser reads it (an Atom entry's <id>; an RSS item's atom:id,
else its <guid>, else its rdf:about): an id a cut entry shares with a kept one is read by the
parser as no id (`entries.shared_ids`) only when the cut entry is seen too.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

from bot.ingest.entry_dates import Budget
from bot.ingest.entry_when import DateChild, entry_when, fill_runs, needs_fill, wanted

__all__ = ["ENTRY_START", "Scan", "Unsure"]

_ATOM_NAMESPACES = frozenset(
    {"http://www.w3.org/2005/Atom", "https://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"}
)
_RDF_ROOT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_RSS_1_ITEM = "http://purl.org/rss/1.0/}item"
_RDF_ABOUT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
# The atom:id an RSS item may carry, in the namespace fastfeedparser reads it in there.
_RSS_ATOM_ID = "http://www.w3.org/2005/Atom}id"
# Every element `entry_fields` takes for an entry, wherever it is, by expat's name.
_ENTRY_NAMES = frozenset({"item", _RSS_1_ITEM, "http://my.netscape.com/rdf/simple/0.9/}item",
                          "http://www.w3.org/2005/Atom}entry", "http://purl.org/atom/ns#}entry"})  # fmt: skip
# Deeper than libxml2 reads without its huge-tree option: the parser may see less.
_MAX_DEPTH = 200
# An empty-element tag as a well-formed document writes it.
_EMPTY_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/>""")
ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")


class Unsure(Exception):
    """The scan cannot tell that it chooses what the parser would."""


class Scan:
    """The entries of one document as (start, end, timestamp or None), in document order, and
    their ids (`ids`, "" for none)."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True
        self.budget = Budget()
        self.spans: list[tuple[int, int, float | None]] = []
        self.ids: list[str] = []
        self.id_name = _RSS_ATOM_ID  # the entry child an id is read from before any other
        self.about: str | None = None  # the entry's rdf:about
        self.depth = 0
        self.kind = ""  # "rss", "atom" or "rdf", once the root is read
        self.atom_ns: str | None = None  # an Atom document's namespace
        self.channel_depth = 0  # an RSS document's channel's depth, while inside it
        self.channel_seen = False
        self.entry_depth = 0  # the depth of the entry being read; 0 outside any
        self.entry_start = 0
        self.started = 0  # entries begun, the one the document may stop inside too
        self.entry_elements = 0  # elements anywhere that `entry_fields` takes for entries
        self.fill_ran = False  # whether `entry_fields` reads the document's odd dates again
        # Entries whose dates `entry_fields` may read again, by their index in `spans`.
        self.odd: dict[int, tuple[list[DateChild], dict[str, str]]] = {}
        # The entry's direct children a date may be read from, in order.
        self.children: list[DateChild] = []
        self.wanted: dict[str, bool] = {}  # `entry_when.wanted` by name, asked once each
        self.child = ""  # the direct child being read, "" when none (or of no date)
        self.reading = False  # whether text now is still the parser's reading of its text
        self.open = False  # whether it is still `entry_fields`' reading of it
        self.text: list[str] = []
        self.full: list[str] = []  # its text but for comments and instructions

    def entries(self) -> list[tuple[int, int, float | None]]:
        parser = self.parser
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        # The parser keeps a declared entity's reference as a node (it does not resolve them),
        # which ends an element's text there; expat would read on. Such documents are rare.
        parser.EntityDeclHandler = self._entity
        parser.SkippedEntityHandler = self._skipped
        # Not final: a document the fetch's size cap cut off is a well-formed one so far, and
        # the entries before the cut are found; the parser leaves the one it stops inside out
        # (`shape.cut_entry_starts`), and that one's bytes are kept as they are.
        parser.Parse(self.body, False)
        if self.odd:
            self._fill()
        return self.spans

    def _fill(self) -> None:
        """The entries whose dates `entry_fields` reads again, dated as it leaves them."""
        runs = fill_runs(self.body, same_count=self.entry_elements == self.started)
        if runs is None:
            raise Unsure("whether misread dates are read again depends on the entries")
        self.fill_ran = runs
        if not runs:
            return  # dated as the parser reads them, when they were read
        for index, (children, odd) in self.odd.items():
            start, end, _when = self.spans[index]
            when = entry_when(children, self.atom_ns, self.budget, odd, rdf=self.kind == "rdf")
            self.spans[index] = (start, end, when)

    def _start(self, name: str, attributes: Any) -> None:
        self.depth += 1
        depth = self.depth
        if depth > _MAX_DEPTH:
            raise Unsure("nested too deeply")
        if name in _ENTRY_NAMES:
            self.entry_elements += 1
        if self.entry_depth:
            # Either reading of a child's text stops at its first child element.
            self.reading = self.open = False
            if depth == self.entry_depth + 1:
                dates = self.wanted.get(name)
                if dates is None:
                    dates = wanted(name, self.atom_ns) or name == self.id_name
                    self.wanted[name] = dates
                self.child = name if dates else ""
                self.reading = self.open = dates
                self.text = []
                self.full = []
                if dates:
                    # Text is read only here: most of a document's is no date's.
                    self._listen(True)
            elif name in _ENTRY_NAMES:
                raise Unsure("an entry inside an entry")
            return
        if depth == 1:
            self._root(name)
        elif self.kind == "rss" and depth == 2 and name == "channel" and not self.channel_seen:
            # The parser reads the items of the root's first <channel>.
            self.channel_seen = True
            self.channel_depth = 2
        elif self._is_entry(name, depth):
            start = self.parser.CurrentByteIndex
            if not ENTRY_START.match(self.body, start):
                raise Unsure("an entry that is no start tag in the bytes")  # from an entity
            self.started += 1
            self.entry_depth = depth
            self.entry_start = start
            self.children = []
            self.about = attributes.get(_RDF_ABOUT)

    def _root(self, name: str) -> None:
        namespace, _, local = name.rpartition("}")
        if name == "rss":
            self.kind = "rss"
        elif local == "feed" and namespace in _ATOM_NAMESPACES:
            self.kind = "atom"
            self.atom_ns = namespace
            self.id_name = f"{namespace}}}id"
        elif name == _RDF_ROOT:
            self.kind = "rdf"
        else:
            raise Unsure("not RSS 2.0, Atom or RSS 1.0")

    def _is_entry(self, name: str, depth: int) -> bool:
        if self.kind == "rss":
            return name == "item" and self.channel_depth > 0 and depth == self.channel_depth + 1
        if self.kind == "atom":
            return name == f"{self.atom_ns}}}entry"
        return name == _RSS_1_ITEM

    def _end(self, _name: str) -> None:
        depth = self.depth
        self.depth -= 1
        if depth == self.channel_depth:
            self.channel_depth = 0
        if not self.entry_depth or depth > self.entry_depth + 1:
            return
        if depth == self.entry_depth + 1:
            if self.child:
                self._listen(False)
                text = "".join(self.text) or None
                self.children.append(DateChild(self.child, text, "".join(self.full)))
            self.child = ""
            self.reading = self.open = False
            return
        self.entry_depth = 0
        # Expat reports the end of an empty-element tag just past it, of an end tag at its "<".
        body, pos = self.body, self.parser.CurrentByteIndex
        if body[pos - 2 : pos] == b"/>" and (tag := _EMPTY_TAG.match(body, self.entry_start)):
            end = tag.end()
            if end != pos:
                raise Unsure("an empty entry's tag that is not where expat read it")
        elif body.startswith(b"</", pos) and (end := body.find(b">", pos) + 1) > 0:
            pass
        else:
            raise Unsure("an entry's end that is no tag in the bytes")
        children = self.children
        odd = needs_fill(children) if children else {}
        if odd:
            # Dated when the document is read: whether they are read again depends on it all.
            self.odd[len(self.spans)] = (children, odd)
        when = entry_when(children, self.atom_ns, self.budget, {}, rdf=self.kind == "rdf")
        self.spans.append((self.entry_start, end, when))
        self.ids.append(self._entry_id(children))

    def _entry_id(self, children: list[DateChild]) -> str:
        """The entry's id as fastfeedparser reads it: in Atom, the first <id> with text; in RSS,
        the first atom:id with text, else the first child named guid (any namespace or case),
        else rdf:about; in RSS 1.0, the first atom:id's text, else the first unprefixed <guid>'s,
        else rdf:about."""
        if self.kind == "rdf":
            first: dict[str, str] = {}
            for child in children:
                first.setdefault(child.name, (child.text or "").strip())
            return first.get(self.id_name) or first.get("guid") or (self.about or "").strip()
        ids = (child.text for child in children if child.name == self.id_name)
        found = next((text for text in ids if text), None)
        if found is None and self.kind != "atom":
            guid = next((c for c in children if c.name.rpartition("}")[2].lower() == "guid"), None)
            found = (guid.text if guid else None) or self.about
        return (found or "").strip()

    def _listen(self, on: bool) -> None:
        parser = self.parser
        parser.CharacterDataHandler = self._chars if on else None
        # The parser's reading of an element's text stops at a comment or instruction too.
        parser.CommentHandler = self._stop_reading if on else None
        parser.ProcessingInstructionHandler = self._stop_reading_pi if on else None

    def _chars(self, data: str) -> None:
        if self.open and self.depth == self.entry_depth + 1:
            self.full.append(data)
            if self.reading:
                self.text.append(data)

    def _stop_reading(self, _data: str) -> None:
        if self.depth == self.entry_depth + 1:
            self.reading = False

    def _stop_reading_pi(self, _target: str, _data: str) -> None:
        self._stop_reading(_data)

    def _entity(self, _name: str, is_parameter: int, *_declaration: Any) -> None:
        if not is_parameter:
            raise Unsure("a general entity declared")

    def _skipped(self, _name: str, _is_parameter: int) -> None:
        raise Unsure("an entity not declared here")
