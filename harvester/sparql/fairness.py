"""Fair turns at the query workers: round robin over clients, a bounded share each.

Without it the workers went to whoever asked first, so one client sending heavy queries held
every worker and made everybody else wait (with a 3 s limit, two heavy queries from one client
kept another waiting 2.4 s). Here each client may have at most `per_client` queries running; a
client's further queries wait in its own queue, and each freed worker goes to the next client in
turn that has one waiting. How many queries a client may have inside at all is `Admission`'s
business (pool.py); this class only decides whose query runs next.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter, deque
from contextlib import asynccontextmanager

from stafett.harvester.sparql.pool import limit_problem


class FairTurns:
    def __init__(self, permits: int, per_client: int) -> None:
        self.free = max(1, permits)
        self.per_client = max(1, per_client)
        self.running: Counter[str] = Counter()
        self._waiting: dict[str, deque] = {}  # client -> (loop, future); dict order is the rotation
        self._lock = threading.Lock()

    @asynccontextmanager
    async def turn(self, client: str, timeout: float):
        """Wait (at most `timeout` s) for this client's turn at a worker, and hold it inside."""
        await self._acquire(client, timeout)
        try:
            yield
        finally:
            self.release(client)

    async def _acquire(self, client: str, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self.free > 0 and self.running[client] < self.per_client:
                self._grant_now(client)
                return
            future = loop.create_future()
            self._waiting.setdefault(client, deque()).append((loop, future))
        try:
            await asyncio.wait_for(future, timeout)
        except (TimeoutError, asyncio.CancelledError) as err:
            self._forget(client, future)
            if isinstance(err, asyncio.CancelledError):
                raise
            raise limit_problem(
                503,
                "queue-timeout",
                "The query waited too long",
                f"No worker was free for this client within {timeout:g} s. Try again later.",
            ) from None

    def release(self, client: str) -> None:
        with self._lock:
            self.running[client] -= 1
            if self.running[client] <= 0:
                del self.running[client]
            self.free += 1
            self._dispatch()

    def _grant_now(self, client: str) -> None:
        self.free -= 1
        self.running[client] += 1

    def _dispatch(self) -> None:
        """Hand free workers to waiting clients in rotation (the lock is held)."""
        while self.free > 0:
            client = next(
                (c for c, queue in self._waiting.items() if queue and self.running[c] < self.per_client), None
            )
            if client is None:
                return
            queue = self._waiting.pop(client)
            loop, future = queue.popleft()
            if queue:
                self._waiting[client] = queue  # the rest wait at the back of the rotation
            self._grant_now(client)
            loop.call_soon_threadsafe(self._deliver, client, future)

    def _deliver(self, client: str, future: asyncio.Future) -> None:
        if future.done():  # the waiter gave up meanwhile: pass the turn on
            self.release(client)
        else:
            future.set_result(True)

    def _forget(self, client: str, future: asyncio.Future) -> None:
        if future.done() and not future.cancelled():  # granted just as the waiter was cancelled
            self.release(client)
            return
        with self._lock:
            queue = self._waiting.get(client)
            if queue is None:
                return
            for item in list(queue):
                if item[1] is future:
                    queue.remove(item)
            if not queue:
                del self._waiting[client]
