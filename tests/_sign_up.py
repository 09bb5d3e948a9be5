"""What a /follow or /digest says after its reply when it signed the channel up (a channel with
no row before it): written out, so a test fails if the words change, not only if they go."""

SIGNED_UP = "\nThis channel now gets a digest daily at 09:00 UTC; /watchlist schedule changes when."
# Discord runs /watchlist schedule only with its `when:` option filled.
SIGNED_UP_DISCORD = (
    "\nThis channel now gets a digest daily at 09:00 UTC; "
    "/watchlist schedule when:<days and time> changes when."
)
