"""SQLite storage, one module per noun: feeds, articles, stories, channels (with topics and
subscriptions) and deliveries. Functions take a `sqlite_utils.Database` and return plain rows or
dataclasses, in the flat style of sqlite-utils itself."""

from bot.store.database import open_database, transaction

__all__ = ["open_database", "transaction"]
