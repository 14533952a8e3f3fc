"""`stafett node import`: JSON-LD, Turtle/N-Triples, CSV and XLSX files or folders, idempotently.

Spreadsheets go through node/spreadsheet.py (the same preview and import the browser upload
uses), so the command reports every finding of a sheet in one round, by row and template column.
Every case found becomes one entry with a stable key: the sheet's `key` column, else the last
path segment of the case's `id` (after `--rebase`), else its title. Each entry goes through
the same publishing flow as the HTTP API; a case whose content is unchanged gets no new
version and no feed change, so importing the same file twice changes nothing. `dry_run`
validates and reports what would happen without writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyoxigraph as ox

from stafett import texts
from stafett.node import publish
from stafett.node.normalise import rebase_iri
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.problems import Finding, Problem
from stafett.vocabulary.jsonld import CONTEXT_URL, SUFFIX_MEDIA_TYPES, Limits, load_json
from stafett.vocabulary.terms import RDF_TYPE, STF_CASE

SHEET_SUFFIXES = (".csv", ".xlsx", ".tsv", ".txt")
IMPORT_SUFFIXES = (*SUFFIX_MEDIA_TYPES, ".csv", ".xlsx")
SEVERITY_WORDS = {"Violation": "severity_violation", "Warning": "severity_warning", "Info": "severity_info"}
STATE_KEY = "stafettState"  # in export files; not a context term, so JSON-LD ignores it
DELETED_KEY = "stafettDeleted"
EXPORT_KEY = "stafettExport"


@dataclass
class Entry:
    source: str
    triples: list[ox.Triple] | None
    key: str | None = None
    state: str | None = None
    problem: Problem | None = None


@dataclass
class ImportItem:
    source: str
    slug: str | None
    action: str  # created, updated, published, unpublished, unchanged, deleted, would-*, skipped, failed
    findings: list[Finding] = field(default_factory=list)
    detail: str = ""

    def line(self, lang: str = "en") -> str:
        action = self.action if lang == "en" else word(f"action_{self.action}", lang)
        text = f"{self.source}: {action}" + (f" {self.slug}" if self.slug else "")
        warnings = sum(1 for f in self.findings if f.severity != "Violation")
        text += f" ({warnings} warning(s))" if warnings and lang == "en" else ""
        text += f" - {self.detail}" if self.detail and (lang == "en" or not self.findings) else ""
        for f in self.findings:
            where = f" [{f.field}]" if f.field else ""
            severity = (
                f.severity if lang == "en" else word(SEVERITY_WORDS.get(f.severity, "severity_info"), lang)
            )
            text += f"\n    {severity}{where}: {f.message}"
        return text


@dataclass
class ImportReport:
    items: list[ImportItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how each sheet was read (encoding, separator)

    @property
    def ok(self) -> bool:
        return not any(i.action == "failed" for i in self.items)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.action] = counts.get(item.action, 0) + 1
        return dict(sorted(counts.items()))

    def text(self, lang: str = "en") -> str:
        if lang == "en":
            summary = ", ".join(f"{n} {action}" for action, n in self.counts().items()) or "nothing found"
            return "\n".join([*self.notes, *(i.line() for i in self.items), f"import: {summary}"])
        counts = ", ".join(f"{n} {word('action_' + a, lang)}" for a, n in self.counts().items())
        summary = word("summary", lang).format(counts=counts or word("nothing_found", lang))
        return "\n".join([*self.notes, *(i.line(lang) for i in self.items), summary])


def word(key: str, lang: str) -> str:
    return texts.word("sheets", key, lang)


def import_paths(
    store: NodeStore,
    settings: NodeSettings,
    paths: Iterable[Path | str],
    *,
    rebases: Iterable[tuple[str, str]] = (),
    state: str | None = None,
    dry_run: bool = False,
    only_own: bool = False,
    lang: str = "en",
) -> ImportReport:
    """Import every case under `paths`. `state` overrides the per-case state (default published)."""
    rebases = list(rebases)
    report = ImportReport()
    for path in expand_paths(paths):
        if path.suffix.lower() in SHEET_SUFFIXES:
            import_sheet(store, settings, path, report, state=state, dry_run=dry_run, lang=lang)
            continue
        try:
            entries, deleted = read_file(path, settings, rebases)
        except Problem as problem:
            report.items.append(ImportItem(str(path), None, "failed", problem.findings, problem.detail))
            continue
        for entry in entries:
            report.items.append(
                import_entry(
                    store, settings, entry, state=state, dry_run=dry_run, only_own=only_own, lang=lang
                )
            )
        for iri in deleted:
            report.items.append(delete_entry(store, settings, str(path), rebase_iri(iri, rebases), dry_run))
    return report


def import_sheet(
    store, settings, path: Path, report: ImportReport, *, state, dry_run: bool, lang: str
) -> None:
    """A CSV or XLSX file: every finding in one round (node/spreadsheet.py), then its valid rows."""
    from stafett.node import spreadsheet

    sheet = spreadsheet.preview(path.read_bytes(), str(path), lang, settings, store)
    report.notes += [f"{path}: {f.message}" for f in sheet.findings if f.severity == "Info"]
    done = spreadsheet.import_rows(
        sheet, store, settings, as_drafts=state == "draft", dry_run=dry_run, state=state
    )
    report.items += done.items


def import_document(
    store: NodeStore, settings: NodeSettings, document: dict, source: str, *, state: str, lang: str = "en"
) -> ImportReport:
    """Import one new case document that is not in a file (a draft made from a notice). It never
    replaces a case: the publisher may have completed and published the one made the last time."""
    entry = document_entry(document, source, settings, rebases=[], state=state)
    if entry.problem is None:
        slug = entry_slug(entry, settings)
        current = store.get_case(settings.case_iri(slug))
        if current is not None and current.state != "deleted":
            detail = (
                f"the node has a {current.state} case {slug!r} already; edit that one, "
                "or delete it and run this again"
            )
            return ImportReport([ImportItem(source, slug, "failed", detail=detail)])
    item = import_entry(store, settings, entry, state=state, dry_run=False, only_own=False, lang=lang)
    return ImportReport([item])


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in IMPORT_SUFFIXES)
        elif path.exists():
            yield path
        else:
            raise Problem(400, "not-found", "No such file", f"{path} does not exist")


def read_file(path: Path, settings: NodeSettings, rebases) -> tuple[list[Entry], list[str]]:
    """The cases in one file, and (for export files) the IRIs of deleted cases."""
    raw = path.read_bytes()
    source = str(path)
    media_type = SUFFIX_MEDIA_TYPES.get(path.suffix)
    if media_type is None:
        raise Problem(
            415,
            "unsupported-media-type",
            "Unsupported file type",
            f"{source}: import reads {', '.join(IMPORT_SUFFIXES)} files",
        )
    if media_type == "application/ld+json":
        return json_entries(raw, source, settings, rebases)
    triples = publish.parse(raw, media_type, settings, source=source, rebases=rebases)
    return split_cases(triples, source), []


def json_entries(raw: bytes, source: str, settings: NodeSettings, rebases) -> tuple[list[Entry], list[str]]:
    # An export file holds many cases, so the whole-file caps are wider; each case is then
    # checked against the normal per-case limits when it is parsed on its own.
    file_limits = Limits(
        max_bytes=settings.max_body_bytes * 200, max_depth=settings.max_depth + 2, max_nodes=5_000_000
    )
    data = load_json(raw, file_limits, source)
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        context = data.get("@context", CONTEXT_URL)
        documents = [{"@context": context, **d} for d in data["@graph"] if isinstance(d, dict)]
        deleted = [i for i in data.get(DELETED_KEY, []) if isinstance(i, str)]
    else:
        documents, deleted = (data if isinstance(data, list) else [data]), []
    entries = []
    for n, document in enumerate(documents, start=1):
        label = source if len(documents) == 1 else f"{source} #{n}"
        entries.append(document_entry(document, label, settings, rebases))
    return entries, deleted


def document_entry(
    document, label: str, settings: NodeSettings, rebases, key: str | None = None, state: str | None = None
) -> Entry:
    if isinstance(document, dict):
        state = document.pop(STATE_KEY, None) or state
    try:
        triples = publish.parse(
            orjson.dumps(document), "application/ld+json", settings, source=label, rebases=rebases
        )
    except Problem as problem:
        return Entry(label, None, problem=problem)
    return Entry(label, triples, key, state)


def split_cases(triples: list[ox.Triple], source: str) -> list[Entry]:
    """One entry per Case subject, with everything reachable from it (other cases excluded)."""
    roots = sorted({t.subject for t in triples if t.predicate == RDF_TYPE and t.object == STF_CASE}, key=str)
    if len(roots) <= 1:
        return [Entry(source, triples)]
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    entries = []
    for n, root in enumerate(roots, start=1):
        seen, stack, picked = {root}, [root], []
        while stack:
            for t in by_subject.get(stack.pop(), ()):
                picked.append(t)
                if t.object in by_subject and t.object not in seen and t.object not in roots:
                    seen.add(t.object)
                    stack.append(t.object)
        entries.append(Entry(f"{source} #{n}", picked))
    return entries


def entry_slug(entry: Entry, settings: NodeSettings) -> str:
    if entry.key:
        return publish.slugify(entry.key)
    iri = publish.case_subject_iri(entry.triples)
    return (publish.key_slug(iri, settings) if iri else None) or publish.title_slug(entry.triples, settings)


def import_entry(
    store: NodeStore,
    settings: NodeSettings,
    entry: Entry,
    *,
    state: str | None,
    dry_run: bool,
    only_own: bool,
    lang: str,
) -> ImportItem:
    if entry.problem:
        return ImportItem(entry.source, None, "failed", entry.problem.findings, entry.problem.detail)
    iri = publish.case_subject_iri(entry.triples)
    if only_own and iri and not iri.startswith(settings.base_url):
        return ImportItem(entry.source, None, "skipped", detail=f"{iri} is not under {settings.base_url}")
    slug = entry_slug(entry, settings)
    state = state or entry.state or "published"
    try:
        prepared = publish.prepare(entry.triples, settings, slug, source=entry.source, lang=lang)
        if dry_run:
            return dry_run_item(store, settings, entry, prepared, state, lang)
        outcome = publish.commit(store, settings, prepared, state=state, lang=lang, source=entry.source)
    except Problem as problem:
        return ImportItem(entry.source, slug, "failed", problem.findings, problem.detail)
    return ImportItem(entry.source, slug, action_of(outcome.result), without_node_set(outcome.findings))


def without_node_set(findings: list[Finding]) -> list[Finding]:
    """Export files carry the node-set fields on purpose; do not warn about each of them."""
    return [f for f in findings if f.rule != "node-set"]


def action_of(result) -> str:
    if not result.changed:
        return "unchanged"
    kind = result.change.kind if result.change else None
    if kind == "Delete":
        return "unpublished"
    if result.record.version == 1:
        return "created"
    return "published" if kind == "Create" else "updated"


def dry_run_item(store, settings, entry: Entry, prepared, state: str, lang: str) -> ImportItem:
    current = store.get_case(prepared.case_iri)
    version = current.version + 1 if current else 1
    findings = publish.validate(prepared, settings, lang=lang, version=version, source=entry.source)
    if current is None:
        action = "would-create"
    elif current.state == state and store.content_hash_of(prepared.case_iri) == prepared.content_hash:
        action = "unchanged"
    else:
        action = "would-update"
    return ImportItem(entry.source, prepared.slug, action, without_node_set(findings))


def delete_entry(store, settings, source: str, iri: str, dry_run: bool) -> ImportItem:
    slug = settings.slug_of(iri)
    current = store.get_case(iri)
    if current is None or current.state == "deleted":
        return ImportItem(source, slug, "unchanged", detail="deleted")
    if dry_run:
        return ImportItem(source, slug, "would-delete")
    publish.delete(store, settings, iri)
    return ImportItem(source, slug, "deleted")
