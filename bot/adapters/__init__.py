"""Chat platform adapters: `console` here (and `console_chat`, the console typed into by
`newsdigest chat`), `slack/` and `discord/` as subpackages. Each implements
`bot.delivery.adapter.ChatAdapter`; see `bot.runner.platforms` for how the service starts them.
`connection_watch` follows Slack's Socket Mode and Discord's gateway connections for both."""
