"""The long-running bot (`newsdigest run`): scheduler, jobs, health endpoint and platform hooks.
Start at `bot.runner.service`.

`service` wires the parts and `shutdown` stops them; `settings` reads the environment; `job_sync`
matches the digest jobs to the database; `jobs`,
`schedule`, `polling`, `digest_job` and `retention` are the scheduled work; `digests` decides
what each channel gets as outbox rows (scheduled digests, and instant posts after every poll),
`meanwhile` what changed while they were chosen off the loop (asked again as they are queued),
`update_planner` the thread updates to stories that grew (after every poll and every post),
`feed_alerts` the one notice about a disabled feed, `cards` builds the outbox's cards, `catch_up` makes up
at start for time spent down, `changes` applies settings changed in chat, `unmutes` catches a
channel up once on a story it unmutes; `platforms` and `starter` plug in and (re)start chat
platforms, and `platform_state` records which run (for `channels list` and `status`); `status`,
`health` and `listen` are `/healthz`; `console` is the terminal channel; `logs` the JSON log
lines.
"""
