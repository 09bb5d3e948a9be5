"""SQLite storage, one module per noun. Functions take a `sqlite_utils.Database` and return
plain rows or dataclasses, in the flat style of sqlite-utils itself.

- The file: `database` (open, WAL, busy timeout, transactions; a file SQLite cannot open says
  why when the file system can), `migrations` (numbered, append-only steps run under the write
  lock, so two processes starting together apply each once; step 1 is `schema_v1`, word for
  word, step 2 (the service's bookkeeping tables) `schema_v2`; `feed_migrations` holds the
  feeds' and tombstones' steps, `feed_ids` and `feed_spellings` the longer of them: ids never
  reused, stored URLs rewritten in their one spelling), `durable` (fsync'd commits for the
  outbox), `lock` (one `newsdigest run` per database), `readonly` (a database this user may only
  read), `backup` (`newsdigest backup`).
- The news: `feeds` (polling state, and the outlet a feed belongs to; `item_sites`: the site
  its items link to, its outlet when its site link is a placeholder or shared; `stale_counts`: the
  open stories an upgrade listed to have their counts put right), `articles` (stored,
  filed under stories, read back), `duplicates` (which entries are stored already: dedupe, and
  the keys articles are stored under), `tombstones` (what is kept of pruned articles),
  `stories` (members, merges, slug aliases), `story_names` (what became of an old slug: each
  merge and rename, recorded), `summaries` (a story's cached card words), `retention` (pruning
  old stories).
- The channels: `channels` (with topics, subscriptions and mutes), `sync` (config file ->
  database), `sync_report` (what a sync did, and the notes that tell the admin).
- The outbox: `deliveries` (story posts and thread updates), `queued_posts` (how each is
  queued: the new rows), `due_rows` (which are due now, and
  when the next one comes due), `card_refreshes` (edits of a posted card an update could not make,
  or made while its paced reply waits, rows of their own), `alerts` (plain notices), `stale` (the
  one stale rule for both), `quiet_holds` (posts held for quiet hours), `grown_posts` (sent posts
  whose story grew since, their thread's replies, what their card shows), `digest_runs` (the last
  digest each channel got), `digest_headings` (the digest heading last posted in each channel and
  the rows it counted, so its cards held back after it, a restart between, get no second one),
  `route_waits` (posts waiting out their route's outage, brought forward when its connection is
  back).
- The service: `service_state` (what `newsdigest run` keeps across restarts: the last prune;
  and the chat platforms it started, for `channels list` and `status`).
"""

from bot.store.database import open_database, transaction

__all__ = ["open_database", "transaction"]
