"""`stafett validate PATH...`: check case documents before publishing them.

Exit status: 0 no violations (warnings and tips are shown but do not fail), 1 violations,
2 input that cannot be read (not JSON, unknown context, too deep, too large, missing file).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from stafett.problems import Finding, Problem, unreadable
from stafett.shapes.messages import LANGUAGES, say

SUFFIXES = (".jsonld", ".json", ".ttl", ".nt")
EXPECTATION_SUFFIX = ".expected.json"  # the findings files beside tests/shapes/invalid/*.jsonld


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check case documents against the Stafett shapes",
        description="Check case documents (JSON-LD, Turtle, N-Triples; files, folders or - for stdin). "
        "Exit 0 when no violations, 1 with violations, 2 when input cannot be read.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder (recursive) or - for stdin")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report (default en)")
    parser.add_argument("--format", choices=("text", "json"), default="text", dest="output_format")
    parser.add_argument(
        "--media-type", default="application/ld+json", help="what stdin holds (default application/ld+json)"
    )
    parser.set_defaults(handler=run)


@dataclass
class Outcome:
    """What became of one input: its findings, or why it could not be read."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    problem: Problem | None = None

    @property
    def violations(self) -> int:
        return sum(f.severity == "Violation" for f in self.findings)

    def as_dict(self) -> dict:
        body = {
            "file": self.source,
            "readable": self.problem is None,
            "conforms": self.problem is None and not self.violations,
            "cases": self.cases,
            "findings": [f.as_dict() for f in self.findings],
        }
        if self.problem:
            body["problem"] = self.problem.as_dict()
        return body


def collect(paths: list[str]) -> list[str]:
    """Files to check, in a stable order; `-` stays `-`; missing paths are kept (reported later)."""
    found = []
    for name in paths:
        path = Path(name)
        if name != "-" and path.is_dir():
            found += sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and p.suffix in SUFFIXES and not p.name.endswith(EXPECTATION_SUFFIX)
            )
        else:
            found.append(name)
    return found


def read_input(name: str, limit: int) -> bytes:
    if name == "-":
        raw = sys.stdin.buffer.read(limit + 1)
    else:
        try:
            with open(name, "rb") as handle:
                raw = handle.read(limit + 1)  # never more than the limit into memory
        except OSError as err:
            raise unreadable(f"cannot open {name}: {err.strerror}", source=name) from None
    return raw


def check(name: str, lang: str, media_type: str) -> Outcome:
    from stafett.shapes.findings import case_nodes
    from stafett.shapes.validate import validate_document
    from stafett.vocabulary.jsonld import DEFAULT_LIMITS, SUFFIX_MEDIA_TYPES

    source = "<stdin>" if name == "-" else name
    try:
        if name != "-":
            by_suffix = SUFFIX_MEDIA_TYPES.get(Path(name).suffix.lower())
            if by_suffix is None:
                raise unreadable(
                    f"{name}: unknown file type; use one of " + ", ".join(SUFFIXES), source=source
                )
            media_type = by_suffix
        raw = read_input(name, DEFAULT_LIMITS.max_bytes)
        quads, report = validate_document(raw, media_type, lang=lang, source=source)
    except Problem as problem:
        return Outcome(source, problem=problem)
    return Outcome(source, report.findings, case_nodes(quads))


def describe_case(node: str | None) -> str:
    return node if node and not node.startswith("_:") and "://" in node else "—"


def text_report(outcomes: list[Outcome], lang: str) -> str:
    lines = []
    for outcome in outcomes:
        if outcome.problem:
            lines.append(f"{outcome.source}: {say('unreadable', lang)}: {outcome.problem.detail}")
            continue
        cases = ", ".join(describe_case(c) for c in outcome.cases) or "—"
        lines.append(f"{say('file', lang)} {outcome.source} — {say('case', lang)} {cases}")
        if not outcome.findings:
            lines.append(f"  {say('ok', lang)}")
        for finding in outcome.findings:
            where = f"{finding.field}: " if finding.field else ""
            value = f" [{say('value', lang)}: {shorten(finding.value)}]" if finding.value else ""
            lines.append(f"  {say(finding.severity, lang)}: {where}{finding.message}{value}")
    totals = summary(outcomes)
    lines.append(say("summary", lang, **totals))
    return "\n".join(lines)


def shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def summary(outcomes: list[Outcome]) -> dict[str, int]:
    every = [f for o in outcomes for f in o.findings]
    return {
        "files": len(outcomes),
        "unreadable": sum(o.problem is not None for o in outcomes),
        "violations": sum(f.severity == "Violation" for f in every),
        "warnings": sum(f.severity == "Warning" for f in every),
        "infos": sum(f.severity == "Info" for f in every),
    }


def exit_status(outcomes: list[Outcome]) -> int:
    if any(o.problem for o in outcomes):
        return 2
    return 1 if any(o.violations for o in outcomes) else 0


def run(args: argparse.Namespace) -> int:
    names = collect(args.paths)
    if not names:
        print(f"stafett validate: {say('no_files', args.lang)}", file=sys.stderr)
        return 2
    outcomes = [check(name, args.lang, args.media_type) for name in names]
    if args.output_format == "json":
        body = {
            "files": [o.as_dict() for o in outcomes],
            "summary": summary(outcomes),
            "exitStatus": exit_status(outcomes),
        }
        print(json.dumps(body, ensure_ascii=False, indent=1))
    else:
        print(text_report(outcomes, args.lang))
    return exit_status(outcomes)
