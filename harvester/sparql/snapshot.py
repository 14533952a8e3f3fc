"""Read-only snapshots of the registry's store for the query workers.

Opening a pyoxigraph store read-only while another process writes it is undefined behaviour, so
workers never open the live store. After each harvest commit a snapshot is made with
`Store.backup()` (a RocksDB checkpoint: hard links, cheap) into a new directory, and the current
path is swapped under a lock. Old snapshots are deleted once no worker has them open.
An in-memory store cannot be backed up; it is copied quad by quad into an on-disk store instead.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger(__name__)


class Snapshots:
    """The current snapshot directory of one store, refreshed on demand."""

    def __init__(
        self, store: ox.Store, root: Path | None = None, in_use: Callable[[], set[Path]] = set
    ) -> None:
        self._store = store
        self._owns_root = root is None
        self._root = Path(tempfile.mkdtemp(prefix="stafett-sparql-")) if root is None else Path(root)
        self._root.mkdir(parents=True, exist_ok=True)
        for stale in self._root.glob("snapshot-*"):  # left by an earlier run of the server
            shutil.rmtree(stale, ignore_errors=True)
        self._lock = threading.Lock()
        self._generation = 0
        self._token = secrets.token_hex(4)  # versions stay unique across restarts (HTTP validators)
        self._current: Path | None = None
        self.in_use = in_use  # set by the service: snapshots workers still have open

    @property
    def current(self) -> Path:
        if self._current is None:
            self.refresh()
        return self._current

    @property
    def version(self) -> str:
        """Names the current snapshot: changes with every refresh, never repeats across restarts."""
        return f"{self._token}-{self._generation}"

    def lease(self, holder) -> Path:
        """The current snapshot, recorded on `holder.snapshot` under the same lock `collect()`
        takes, so a snapshot cannot be deleted between being chosen and being opened."""
        with self._lock:
            holder.snapshot = self._current
            return self._current

    def refresh(self) -> Path:
        """Make a new snapshot and make it current (call after each commit)."""
        with self._lock:
            self._generation += 1
            target = self._root / f"snapshot-{self._generation:06d}"
            _copy_store(self._store, target)
            self._current = target
        self.collect()
        return target

    def collect(self) -> None:
        """Delete snapshots that are neither current nor open in a worker."""
        with self._lock:
            keep = {self._current, *self.in_use()}
            for path in self._root.glob("snapshot-*"):
                if path not in keep:
                    shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        if self._owns_root:
            shutil.rmtree(self._root, ignore_errors=True)


def _copy_store(store: ox.Store, target: Path) -> None:
    try:
        store.flush()
        store.backup(str(target))
        return
    except (OSError, ValueError, RuntimeError) as err:  # an in-memory store has nothing to back up
        log.debug("backup not possible (%s); copying quads instead", err)
    shutil.rmtree(target, ignore_errors=True)
    copy = ox.Store(str(target))
    copy.bulk_extend(store)
    copy.flush()
    del copy  # closes the RocksDB instance so workers can open it read-only
