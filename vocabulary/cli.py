"""`stafett vocab docs [--check]`: (re)generate docs/vocabulary.md or check that it is current."""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    vocab = subparsers.add_parser("vocab", help="the shared vocabulary (ontology, concept schemes)")
    commands = vocab.add_subparsers(dest="vocab_command", metavar="COMMAND")
    docs = commands.add_parser("docs", help="generate docs/vocabulary.md and .html from the vocabulary files")
    docs.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file is missing or stale (for CI)"
    )
    docs.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the Markdown goes (default: docs/vocabulary.md in the repository)",
    )
    docs.set_defaults(handler=run_docs)
    vocab.set_defaults(handler=lambda args: vocab.print_help() or 2)


def run_docs(args) -> int:
    from stafett.vocabulary import docs

    path = args.out or docs.DOCS_PATH
    if args.check:
        outdated = docs.stale(path)
        if not outdated:
            print(f"{path} (and .html) are up to date")
            return 0
        names = ", ".join(str(p) for p in outdated)
        print(f"{names}: stale or missing; run `stafett vocab docs` and commit the result", file=sys.stderr)
        return 1
    for written in docs.write(path):
        print(f"wrote {written}")
    return 0
