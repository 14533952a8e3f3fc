"""Placeholder: the node's read side (feed) is being written. `routes()` is the seam node/app.py uses."""


def routes(settings, store) -> list:
    return []
