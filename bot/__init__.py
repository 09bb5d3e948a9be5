"""newsdigest: a self-hosted news-digest bot for Slack and Discord."""

__version__ = "0.1.0"
# Honest and stable, so feed publishers can recognise (and rate-limit) us in their logs.
USER_AGENT = f"newsdigest/{__version__} (self-hosted news digest bot; feed reader)"
