"""newsdigest: a self-hosted news-digest bot for Slack and Discord."""

__version__ = "0.1.0"
# Honest and stable, so feed publishers can recognise (and rate-limit) us in their logs. There is
# no project homepage to point at, so a contact is the operator's to add (`polling.contact`).
USER_AGENT = f"newsdigest/{__version__} (self-hosted news digest bot; feed reader)"


def user_agent(contact: str | None = None) -> str:
    """The User-Agent, with the operator's contact (an email or URL) for a publisher who needs to
    reach whoever runs this instance, in the usual `(+contact)` form."""
    return f"{USER_AGENT} (+{contact})" if contact else USER_AGENT
