"""Getting cards into chat channels: the adapter protocol every platform implements, and the
outbox that makes delivery effectively-once.

`adapter` (the `ChatAdapter` protocol, its error tree, `delivery_route`), `outbox` (the drain loop:
which channels have rows to go out), `channel_drain` (one channel's drain, a task of its own: its
leftovers looked for, its rows in order and paced, its heading settled, its notices), `send` (one
row: claim, API call, mark sent or hand the failure on), `prepare` (a row's card, or why it no
longer goes out), `failures` (retry, check before resending, give up, wait out the route's
trouble, or a call's own that failed alone), `pauses` (a channel its platform refuses, paused
with the reason), `reconcile` (rows a crash left `sending`, checked before anything else is sent;
an update found landed gets the card edit its lost answer skipped, queued as a row), `card_edits`
(an edit of a card an update could not make, sent later through the adapter's `refresh_card`,
never the reply again), `outages` (per delivery route; `failures.retry_route` ends a route's
backoff when its connection is back), `rate_limits` (a call the platform rate limits, held on its
route until the Retry-After), `digest_heading` (the heading before a digest's cards, remembered in
`bot.store.digest_headings`; `digest_heading_settle` edits or deletes one whose cards did not all
show), `notices` (plain notices, at-least-once), `updates` (is a thread
update worth posting) and `update_pacing` (how soon after the last one: a gap that doubles while
the story keeps growing). The rows are queued by `bot.runner.digests` (digests and instant posts)
and `bot.runner.update_planner` (thread updates); the stale rule is `bot.store.stale`.
"""
