"""Getting cards into chat channels: the adapter protocol every platform implements, and the
outbox that makes delivery effectively-once."""
