"""SQLite storage, one module per noun: feeds, articles, stories, channels (with topics,
subscriptions and mutes), deliveries (the outbox), alerts (plain notices), digest_runs (the last
digest each channel got), retention (pruning old stories) and tombstones (what is kept of
pruned articles), plus database (open, migrations, transactions), durable (fsync'd
commits) and sync (config file -> database). Functions take a `sqlite_utils.Database` and return
plain rows or dataclasses, in the flat style of sqlite-utils itself."""

from bot.store.database import open_database, transaction

__all__ = ["open_database", "transaction"]
