"""The skip gate: a run fails when a test skips or xfails without an entry in tests/allowed-skips.toml.

A skipped test proves nothing, so every skip and xfail must be listed, by test id with its reason, in
one reviewed file. The gate also fails when a listed test ran and did not skip or xfail (the entry is
stale and must go, so the file stays honest). Tests that did not run (deselected, `-x`, a subset of
the suite) are not judged.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ALLOWED = Path(__file__).resolve().parent / "allowed-skips.toml"


def load_allowed(path: Path) -> dict[str, str]:
    """Test id -> reason, from the `[[allow]]` entries (each needs an `id` and a non-empty `reason`)."""
    entries = tomllib.loads(path.read_text("utf-8")).get("allow", [])
    allowed = {}
    for number, entry in enumerate(entries, 1):
        test_id, reason = entry.get("id"), entry.get("reason")
        if not isinstance(test_id, str) or not isinstance(reason, str) or not reason.strip():
            raise pytest.UsageError(f"{path}: [[allow]] entry {number} needs an `id` and a `reason` string")
        allowed[test_id] = reason
    return allowed


@dataclass(eq=False)  # pluggy keeps plugins in sets: hash by identity
class SkipGate:
    """Collects what skipped, xfailed and ran; judges it against the allowed list at the end."""

    allowed: dict[str, str]
    source: Path
    skipped: dict[str, str] = field(default_factory=dict)  # test id -> what happened
    ran: set[str] = field(default_factory=set)
    offences: list[str] = field(default_factory=list)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.skipped:  # a module skipped as a whole (pytest.skip(allow_module_level=True))
            self.ran.add(report.nodeid)
            self.skipped[report.nodeid] = f"skipped at collection: {_reason(report)}"

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.ran.add(report.nodeid)
        if hasattr(report, "wasxfail"):
            kind = "xfailed" if report.skipped else "xpassed (remove its xfail marker)"
            self.skipped.setdefault(report.nodeid, f"{kind}: {report.wasxfail}")
        elif report.skipped:
            self.skipped.setdefault(report.nodeid, f"skipped: {_reason(report)}")

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        judged = (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED)
        if exitstatus not in judged:
            return  # interrupted or a usage error: the run says nothing about skips
        self.offences = [
            f"{test_id}: {what}, and it is not listed"
            for test_id, what in self.skipped.items()
            if test_id not in self.allowed or what.startswith("xpassed")
        ]
        self.offences += [
            f"{test_id}: listed ({reason}) but it ran and did not skip or xfail"
            for test_id, reason in self.allowed.items()
            if test_id in self.ran and test_id not in self.skipped
        ]
        if self.offences:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.offences:
            return
        terminalreporter.section("skip gate", sep="=", red=True, bold=True)
        for offence in self.offences:
            terminalreporter.line(offence, red=True)
        terminalreporter.line(f"Fix the test, or list it with its reason in {self.source.name} (reviewed).")


def _reason(report) -> str:
    """The text pytest.skip() was given (longrepr is (file, line, 'Skipped: reason') for skips)."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def install(config: pytest.Config, path: Path = ALLOWED) -> None:
    config.pluginmanager.register(SkipGate(load_allowed(path), path), "stafett-skip-gate")
