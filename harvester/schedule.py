"""Harvesting on each source's interval inside the serving process (one background thread).

The sources file is checked on every tick (one stat call) and reloaded when it changed, or when
`stafett registry serve` got SIGHUP, so an approved registration or a hand-added source is
harvested without a restart. Harvests run one at a time on the registry's own store, so the
SPARQL endpoint in the same process never opens the store a second time (layout-notes.md: no
second process on the store).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from stafett.harvester.registry import Registry

log = logging.getLogger("stafett.harvester")


class Scheduler:
    def __init__(self, registry: Registry, tick: float = 1.0) -> None:
        self.registry = registry
        self.tick = tick
        self.stop_event = threading.Event()
        self.next_due = {s.name: 0.0 for s in registry.sources}  # harvest everything at start-up
        self.thread = threading.Thread(target=self.loop, name="stafett-harvest", daemon=True)

    def start(self) -> Scheduler:
        self.thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self.ask_to_stop()
        self.join(timeout)

    def ask_to_stop(self) -> None:
        """No further harvest starts, and the one in progress is cancelled (`Registry.cancel_harvests`)."""
        self.stop_event.set()
        self.registry.cancel_harvests()

    def join(self, timeout: float = 30.0) -> None:
        self.thread.join(timeout)

    def interval(self, name: str) -> int:
        source = self.registry.source(name)
        return (
            source.interval if source and source.interval else None
        ) or self.registry.settings.default_interval

    def follow_sources_file(self) -> None:
        """A source added to the sources file is harvested at once; a removed one no more."""
        changed = self.registry.reload_if_changed()
        if changed is None:
            return
        added, removed = changed
        for name in removed:
            self.next_due.pop(name, None)
        for name in added:
            self.next_due[name] = 0.0

    def loop(self) -> None:
        while not self.stop_event.is_set():
            self.follow_sources_file()
            now = time.monotonic()
            for name, due in list(self.next_due.items()):
                if due <= now and not self.stop_event.is_set():
                    self.run_one(name)
                    self.next_due[name] = time.monotonic() + self.interval(name)
            self.stop_event.wait(self.tick)

    def run_one(self, name: str) -> None:
        try:
            [report] = self.registry.harvest(name)
            log.info(
                "harvested %s: %s accepted, %s quarantined, %s refused, %s deleted%s",
                name,
                report["accepted"],
                report["quarantined"],
                report["refused"],
                report["deleted"],
                " (stale)" if report["stale"] else "",
            )
        except asyncio.CancelledError:  # the command is stopping (ask_to_stop)
            log.info("harvest of %s stopped: the registry is shutting down", name)
        except Exception:  # one bad run must not stop the schedule; it is in the run's report
            log.exception("harvest of %s failed", name)
