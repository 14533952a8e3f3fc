"""Measuring helpers: result rows, timers, percentiles, memory, disk, and what machine this is."""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from stafett.heap import peak_resident_bytes as peak_rss_of  # noqa: F401 - the bench reads RSS
from stafett.heap import resident_bytes as rss_bytes  # as the code does

PACKAGES = (
    "pyoxigraph",
    "pyshacl",
    "pyshacl-turbo",
    "rdflib",
    "PyLD",
    "orjson",
    "httpx",
    "uvicorn",
    "starlette",
)


@dataclass
class Row:
    """One line of the table. `ours`/`naive` are None when that side was not measured."""

    section: str
    name: str
    unit: str
    ours: float | None = None
    naive: float | None = None
    higher_is_better: bool = True
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """How many times better ours is than naive (>1 means ours wins)."""
        if not self.ours or not self.naive:
            return None
        return self.ours / self.naive if self.higher_is_better else self.naive / self.ours

    def as_dict(self) -> dict:
        return asdict(self) | {"ratio": self.ratio}


class Stopwatch:
    """Accumulates time spent in named stages."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.spent[stage] = self.spent.get(stage, 0.0) + seconds


class RssSampler:
    """Samples this process's RSS on a thread (every `every` s) and keeps the largest per phase.

    ru_maxrss says how high RSS went, not when; the phases ("first", "again", ...) say which part
    of a run it was, and child processes are not counted (the harvester's parser worker is
    measured apart, see `peak_rss_of`)."""

    def __init__(self, every: float = 0.2) -> None:
        import threading

        self.every, self.phase, self.peaks = every, "start", {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), rss_bytes())

    def stop(self) -> dict[str, int]:
        self._stop.set()
        self._thread.join()
        return dict(self.peaks)


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, str]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": memory_total(),
        "load average at start": " ".join(f"{x:.2f}" for x in load),
        "python": platform.python_version(),
        "SHACL engine (STAFETT_SHACL_ENGINE)": os.environ.get("STAFETT_SHACL_ENGINE", "turbo (default)"),
    }
    info.update({name: version_of(name) for name in PACKAGES})
    return info
