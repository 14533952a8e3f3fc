"""The skip gate fails a run on every skip or xfail that tests/allowed-skips.toml does not list."""

from __future__ import annotations

import pytest
import skip_gate

TESTS = """
import pytest

def test_plain():
    assert True

def test_skips():
    pytest.skip("no printer attached")

@pytest.mark.xfail(strict=True, reason="upstream bug 7")
def test_known_bug():
    assert False

def test_was_skipped_once():
    assert True
"""
CONFTEST = """
import skip_gate

def pytest_configure(config):
    skip_gate.install(config, config.rootpath / "allowed.toml")
"""


def entry(test: str, reason: str = "reviewed reason") -> str:
    return f'[[allow]]\nid = "test_gated.py::{test}"\nreason = "{reason}"\n'


@pytest.fixture
def gated(pytester: pytest.Pytester):
    """A tiny suite with one skip and one xfail, judged against the allowed list it is given."""
    pytester.makepyfile(test_gated=TESTS, conftest=CONFTEST)

    def run(allowed: str, *args: str) -> pytest.RunResult:
        pytester.path.joinpath("allowed.toml").write_text(allowed, "utf-8")
        return pytester.runpytest_inprocess("-p", "no:cacheprovider", *args)

    return run


def test_listed_skip_and_xfail_pass(gated):
    result = gated(entry("test_skips") + entry("test_known_bug"))
    result.assert_outcomes(passed=2, skipped=1, xfailed=1)
    assert result.ret == pytest.ExitCode.OK
    assert "skip gate" not in result.stdout.str()


def test_unlisted_skip_fails_the_run_and_is_named(gated):
    result = gated(entry("test_known_bug"))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["*skip gate*", "test_gated.py::test_skips: skipped: no printer attached, and it is not*"]
    )


def test_unlisted_xfail_fails_the_run(gated):
    result = gated(entry("test_skips"))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["test_gated.py::test_known_bug: xfailed: upstream bug 7, and it is not*"])


def test_listed_test_that_now_passes_fails_the_run(gated):
    result = gated(entry("test_skips") + entry("test_known_bug") + entry("test_was_skipped_once", "old"))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["test_gated.py::test_was_skipped_once: listed (old) but it ran*"])


def test_listed_tests_that_did_not_run_are_not_judged(gated):
    result = gated(
        entry("test_skips") + entry("test_known_bug") + entry("test_was_skipped_once"),
        "-k",
        "not test_was_skipped_once",
    )
    assert result.ret == pytest.ExitCode.OK


def test_an_entry_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "allowed.toml"
    path.write_text('[[allow]]\nid = "test_gated.py::test_skips"\nreason = " "\n', "utf-8")
    with pytest.raises(pytest.UsageError, match="entry 1 needs an `id` and a `reason`"):
        skip_gate.load_allowed(path)


def test_the_reviewed_file_lists_only_known_tests_with_reasons():
    allowed = skip_gate.load_allowed(skip_gate.ALLOWED)
    assert allowed, "tests/allowed-skips.toml lists nothing: the uniqueLang-002 xfails belong there"
    assert all(test_id.startswith("tests/") and "::" in test_id for test_id in allowed)
