"""Placeholder: the node's read side (catalogue) is being written. `routes()` is the seam node/app.py uses."""


def routes(settings, store) -> list:
    return []
