"""A least-recently-used map bounded by the total cost of its entries (one per entry by default).

Used by the node's rendered case bodies (bounded by count) and the SPARQL endpoint's kept
answers (bounded by bytes). Not thread-safe: a caller sharing one across threads holds a lock.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LRU:
    def __init__(self, limit: int, cost: Callable[[Any], int] = lambda _value: 1) -> None:
        self.limit, self.cost = limit, cost
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.total = 0  # the summed cost of what is kept; never above `limit` after a put

    def get(self, key: Hashable) -> Any | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Hashable, value: Any) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.total -= self.cost(old)
        self._entries[key] = value
        self.total += self.cost(value)
        while self.total > self.limit:
            _, dropped = self._entries.popitem(last=False)
            self.total -= self.cost(dropped)

    def clear(self) -> None:
        self._entries.clear()
        self.total = 0
