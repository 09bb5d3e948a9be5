"""newsdigest: a self-hosted news-digest bot for Slack and Discord."""

__version__ = "0.1.0"
USER_AGENT = f"newsdigest/{__version__} (+https://github.com/newsdigest/newsdigest; self-hosted feed reader)"
