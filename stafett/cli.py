"""The one `stafett` command. Each package registers its own sub-commands.

Sub-command modules keep heavy imports inside their handlers so `stafett --help` stays fast.
A handler returns the process exit status. A `Problem` escaping a handler is printed as one
clear line per finding (never a traceback) and exits 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from stafett.problems import Problem

# (module, what it adds) in the order of the data's path: author -> node -> harvest -> demo.
COMMAND_MODULES = (
    "stafett.shapes.cli",  # validate
    "stafett.vocabulary.cli",  # vocab docs
    "stafett.node.cli",  # node init|serve|token|import|export
    "stafett.harvester.cli",  # harvest run, registry serve
    "stafett.harvester.verify_cli",  # verify FILE|URL (a case's signature)
    "stafett.demo",  # demo
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stafett", description="Stafett: a federated registry of Nordic innovation-procurement cases."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue  # that part of the project is not built yet
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except Problem as problem:
        print(f"stafett: {problem.title}: {problem.detail}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
