"""Topics: which stories a channel wants, written in a small query language (see `query`)."""

from bot.topics.query import QueryError, StoryDoc, TopicQuery

__all__ = ["QueryError", "StoryDoc", "TopicQuery"]
