"""The parsed form of a topic query: terms, `source:` filters and the operators over them, each
able to say whether it matches a story and to describe itself the way `TopicQuery.describe`
shows it. `bot.topics.query` has the syntax and builds these."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bot.textutil import STOPWORDS
from bot.topics.inflect import inflections
from bot.topics.storydoc import CAPS_MARK, StoryDoc, contains_run, is_initialism, join_parts

_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT"})


def _forms(word: str) -> frozenset[str]:
    """The story tokens `word` matches: an initialism written in capitals that is also a common
    word ("US", "IT", "WHO") only its initialism ("US", "U.S."); any other word its inflections,
    each also in capitals. "NATO" or "GPU" is no pronoun to keep apart: it matches "Nato" (as
    British papers write it) and "GPUs" too."""
    if is_initialism(word):
        word = word.lower()
        if word in STOPWORDS:
            return frozenset((word + CAPS_MARK,))
    forms = inflections(word)
    return forms | {f + CAPS_MARK for f in forms if is_initialism(f.upper())}


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]

    @cached_property
    def forms(self) -> tuple[frozenset[str], ...]:
        return tuple(_forms(w) for w in self.words)

    def matches(self, doc: StoryDoc) -> bool:
        return doc.why((self.forms,)) is not None

    def describe(self) -> str:
        text = join_parts(self.words)
        # A word in capitals may be an operator's ("AND"): quoted, it stays a word.
        return f'"{text}"' if " " in text or text in _OPERATOR_WORDS else text


@dataclass(frozen=True)
class Source:
    words: tuple[str, ...]

    def matches(self, doc: StoryDoc) -> bool:
        return any(contains_run(outlet, self.words) for outlet in doc.source_tokens)

    def describe(self) -> str:
        text = join_parts(self.words)
        return f'source:"{text}"' if " " in text else f"source:{text}"


@dataclass(frozen=True)
class Not:
    child: Node

    def matches(self, doc: StoryDoc) -> bool:
        return not _central(self.child, doc)

    def describe(self) -> str:
        inner = self.child.describe()
        return f"NOT ({inner})" if isinstance(self.child, And | Or) else f"NOT {inner}"


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]

    def matches(self, doc: StoryDoc) -> bool:
        return all(c.matches(doc) for c in self.children)

    def describe(self) -> str:
        return " AND ".join(_wrap(c, Or) for c in self.children)


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]

    @cached_property
    def terms(self) -> tuple[Term, ...]:
        """The terms among the branches: weighed together, as one topic's words
        (`StoryDoc.why`)."""
        return tuple(c for c in self.children if isinstance(c, Term))

    @cached_property
    def others(self) -> tuple[Node, ...]:
        return tuple(c for c in self.children if not isinstance(c, Term))

    def matches(self, doc: StoryDoc) -> bool:
        if self.terms and doc.why(tuple(t.forms for t in self.terms)) is not None:
            return True
        return any(c.matches(doc) for c in self.others)

    def describe(self) -> str:
        # AND needs no parentheses under OR, but the explicit form is easier to read back.
        return " OR ".join(_wrap(c, And) for c in self.children)


Node = Term | Source | Not | And | Or


def _central(node: Node, doc: StoryDoc) -> bool:
    """Whether `node` holds for what the story is about: its headline, or more than half of its
    articles. A story grows by articles that each mention more; judged on the whole story, one
    passing mention ("Opposition lawmakers objected") would drop it from a channel that said
    `-opposition`, and `-source:tabloid` would drop every story a tabloid also covered."""
    head = doc.headline_doc
    if head is not None and node.matches(head):
        return True
    if not doc.members:
        return node.matches(doc)
    articles = doc.members
    needed = len(articles) // 2 + 1
    hits = 0
    for seen, article in enumerate(articles, start=1):
        hits += node.matches(article)
        if hits >= needed:
            return True
        if hits + len(articles) - seen < needed:
            return False
    return False


def reasons(node: Node, doc: StoryDoc) -> list[str] | None:
    """Why `node` matches the story, a line for each term or group of OR'd terms that made it
    ("vaccine: headline", "covid OR vaccine: leads of 2 outlets"), or None when it does not.
    Of an OR's branches, the first that holds speaks; a negation that holds adds nothing."""
    if isinstance(node, Term | Or):
        terms = (node,) if isinstance(node, Term) else node.terms
        if terms and (found := doc.why(tuple(t.forms for t in terms))) is not None:
            why, which = found
            return [f"{' OR '.join(terms[i].describe() for i in which)}: {why}"]
        if isinstance(node, Term):
            return None
        for child in node.others:
            if (lines := reasons(child, doc)) is not None:
                return lines
        return None
    if isinstance(node, Source):
        return [node.describe()] if node.matches(doc) else None
    if isinstance(node, Not):
        return [] if node.matches(doc) else None
    lines = []
    for child in node.children:
        if (more := reasons(child, doc)) is None:
            return None
        lines += more
    return lines


def _wrap(node: Node, group: type) -> str:
    return f"({node.describe()})" if isinstance(node, group) else node.describe()
