"""Every `stafett` command and every one of its long options is documented (Datasette's rule).

The test walks the real argparse tree, so a new command or flag without docs fails CI.
"""

import argparse
import pathlib

import pytest

from stafett.cli import build_parser

REPO = pathlib.Path(__file__).resolve().parents[1]
DOCS = "\n".join(p.read_text("utf-8") for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()):
    """Yield (command words, parser) for every leaf and branch below `parser`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*words, name), sub
                yield from commands(sub, (*words, name))


ALL = list(commands(build_parser()))


def test_the_tree_is_not_empty():
    names = {" ".join(words) for words, _ in ALL}
    assert {"validate", "node init", "node serve", "harvest run", "registry serve", "demo"} <= names


@pytest.mark.parametrize("words", [w for w, _ in ALL], ids=lambda w: " ".join(w))
def test_command_is_documented(words):
    assert f"stafett {' '.join(words)}" in DOCS, f"`stafett {' '.join(words)}` is not in README.md or docs/"


OPTIONS = sorted(
    {
        (" ".join(words), opt)
        for words, sub in ALL
        for action in sub._actions
        for opt in action.option_strings
        if opt.startswith("--") and opt != "--help"
    }
)


@pytest.mark.parametrize(("command", "option"), OPTIONS, ids=lambda v: v)
def test_option_is_documented(command, option):
    assert option in DOCS, f"`stafett {command} {option}` is not documented in README.md or docs/"
