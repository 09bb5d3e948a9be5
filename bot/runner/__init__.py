"""The long-running bot (`newsdigest run`): scheduler, jobs, health endpoint and platform hooks.
Start at `bot.runner.service`."""
