"""The core, top to bottom: fetch -> parse -> store (poll.py) -> cluster (clustering.py; the
backlog's passes, cluster_passes.py; the warm-up, warm_up.py; the stories' rows kept in step,
story_upkeep.py) -> summarise and render cards (cards.py) -> pick what a channel gets
(digest.py)."""
