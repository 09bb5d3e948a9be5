"""Topics: which stories a channel wants, written in a small query language (see `query`).

`query` reads a query (tokens from `lexer`) into `expr`'s tree, matched against `storydoc` (a story's words, and where it says them) with
`inflect`'s plurals, each topic's answer for a story kept in `answers`; `lookup` resolves `/story <slug | prefix | words>` over `corpus`; `saved`
flags saved queries a typed one would refuse.
"""

from bot.topics.query import QueryError, StoryDoc, TopicQuery

__all__ = ["QueryError", "StoryDoc", "TopicQuery"]
