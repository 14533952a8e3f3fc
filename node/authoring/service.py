"""Drafts to cases: save anything, publish through node/publish.py, review, unpublish, conflicts.

Publishing a draft is exactly the API's write: the typed document is parsed as JSON-LD, prepared
and committed by node/publish.py, so the shapes, the node-set fields and the node's signature
apply as for `POST /cases`. A refusal comes back as findings (all of them, in the reader's
language) and the draft stays as typed; a case edited meanwhile by someone else comes back as a
`Conflict` holding both versions (the stored case's ETag is the draft's If-Match).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson

from stafett.node import publish
from stafett.node.authoring.drafts import Draft, Drafts
from stafett.node.messages import best_language
from stafett.node.people import Person
from stafett.node.settings import NodeSettings
from stafett.node.store import CaseRecord, NodeStore
from stafett.problems import Finding, Problem

NODE_SET = ("id", "publisher", "issued", "modified", "version", "proof")  # never part of a draft
LINK_KEYS = ("scaledUpFrom", "adoptedFrom", "adoptedBy", "relatedCase")
ORGANISATION_PATHS = (
    ("buyer",),
    ("solution", "supplier"),
    ("funding", "funder"),
    ("participant", "organization"),
)
SIMILAR = 0.6  # difflib ratio of two folded titles above which the form says "similar"


@dataclass
class Published:
    record: CaseRecord
    findings: list[Finding]  # warnings and infos


@dataclass
class Refused:
    findings: list[Finding]  # every finding, violations first
    detail: str = ""


@dataclass
class Conflict:
    theirs: CaseRecord | Draft  # what is stored now (someone else's version)
    mine: dict  # the document this person typed (kept in the draft)


@dataclass
class Similar:
    slug: str
    title: str
    state: str


@dataclass
class Authoring:
    settings: NodeSettings
    store: NodeStore
    drafts: Drafts
    _case_exists: int = field(default=20, repr=False)

    # -- drafts --------------------------------------------------------------------------
    def save(self, draft: Draft | None, document: dict, who: Person, rev: int | None) -> Draft:
        """Keep what was typed (nothing is checked but the draft's own revision)."""
        document = self.expand_links(document)
        if draft is None:
            saved = self.drafts.create(document, who.name)
        else:
            state = "draft" if draft.state == "sent-back" else draft.state
            saved = self.drafts.save(
                draft.id,
                document,
                who.name,
                rev if rev is not None else draft.rev,
                state=state,
                comment=draft.comment,
            )
        self.drafts.record(who.name, "saved", draft=saved.id, slug=saved.slug, title=self.title(document))
        return saved

    def edit(self, slug: str, who: Person) -> Draft:
        """The draft of a stored case (its open draft if there is one), starting from its ETag."""
        existing = self.drafts.for_slug(slug)
        if existing is not None:
            return existing
        record = self.store.get_by_slug(slug)
        if record is None or record.state == "deleted":
            raise Problem(404, "not-found", "No such case", f"there is no live case {slug!r}")
        document = {k: v for k, v in record.document.items() if k not in NODE_SET}
        return self.drafts.create(document, who.name, slug=slug, base_etag=record.etag)

    def submit(self, draft: Draft, who: Person) -> Draft:
        saved = self.drafts.save(draft.id, draft.document, who.name, draft.rev, state="submitted")
        self.drafts.record(
            who.name, "submitted", draft=draft.id, slug=draft.slug, title=self.title(draft.document)
        )
        return saved

    def send_back(self, draft: Draft, who: Person, comment: str) -> Draft:
        saved = self.drafts.save(
            draft.id,
            draft.document,
            draft.author,
            draft.rev,
            state="sent-back",
            comment=comment.strip()[:2000],
        )
        self.drafts.record(
            who.name,
            "sent-back",
            draft=draft.id,
            slug=draft.slug,
            title=self.title(draft.document),
            detail=comment.strip()[:2000],
        )
        return saved

    def discard(self, draft: Draft, who: Person) -> None:
        self.drafts.remove(draft.id)
        self.drafts.record(
            who.name, "discarded", draft=draft.id, slug=draft.slug, title=self.title(draft.document)
        )

    # -- publishing ----------------------------------------------------------------------
    def publish(self, draft: Draft, who: Person, lang: str) -> Published | Refused | Conflict:
        raw = orjson.dumps(draft.document)
        try:
            triples = publish.parse(raw, "application/ld+json", self.settings)
            outcome = self._commit(draft, triples, lang)
        except Problem as problem:
            if problem.status == 412:
                theirs = self.store.get_by_slug(draft.slug or "")
                if theirs is not None:
                    return Conflict(theirs, draft.document)
            findings = sorted(problem.findings, key=lambda f: f.severity != "Violation")
            return Refused(findings, problem.detail)
        record = outcome.result.record
        self.drafts.remove(draft.id)
        self.drafts.record(
            who.name, "published", draft=draft.id, slug=record.slug, title=self.title(draft.document)
        )
        return Published(record, outcome.findings)

    def _commit(self, draft: Draft, triples, lang: str):
        if draft.slug is not None:  # an edit: the stored case's ETag when the draft began is If-Match
            prepared = publish.prepare(triples, self.settings, draft.slug, lang=lang)
            return publish.commit(
                self.store,
                self.settings,
                prepared,
                lang=lang,
                if_match=draft.base_etag or "*",
                must_exist=True,
            )
        base = publish.title_slug(triples, self.settings)
        for _ in range(self._case_exists):  # as the API's create: another writer may take the slug
            slug = publish.free_slug(self.store, base)
            prepared = publish.prepare(triples, self.settings, slug, lang=lang)
            try:
                return publish.commit(self.store, self.settings, prepared, lang=lang, create_only=True)
            except Problem as problem:
                if problem.slug != "case-exists":
                    raise
        raise Problem(409, "case-exists", "Could not find a free case address", f"try again ({base})")

    def keep_mine(self, draft: Draft) -> None:
        """After a conflict the person saw both versions and publishes theirs over the current one."""
        current = self.store.get_by_slug(draft.slug or "")
        self.drafts.rebase(draft.id, current.etag if current else None)

    def unpublish(self, slug: str, who: Person) -> CaseRecord | None:
        record = self.store.get_by_slug(slug)
        if record is None or record.state == "deleted":
            return None
        result = publish.delete(self.store, self.settings, record.iri, if_match=record.etag)
        if result is None:
            return None
        self.drafts.record(who.name, "unpublished", slug=slug, title=self.title(record.document))
        return result.record

    # -- what the form offers --------------------------------------------------------------
    def title(self, document: dict, lang: str | None = None) -> str:
        found = document.get("title")
        titles: dict = found if isinstance(found, dict) else {}
        chosen = best_language(titles, lang or self.settings.languages[0], self.settings.languages)
        return str(titles[chosen]) if chosen else ""

    def similar(self, document: dict, exclude: str | None) -> list[Similar]:
        """This node's cases (published or draft) whose title is like any title of `document`."""
        mine = [fold(t) for t in (document.get("title") or {}).values() if isinstance(t, str) and t.strip()]
        if not mine:
            return []
        found = []
        for record in self.store.list_cases(("published", "draft")):
            if record.slug == exclude:
                continue
            titles = [t for t in (record.document.get("title") or {}).values() if isinstance(t, str)]
            if any(
                difflib.SequenceMatcher(None, a, fold(b)).ratio() >= SIMILAR for a in mine for b in titles
            ):
                found.append(Similar(record.slug, self.title(record.document), record.state))
        return found[:10]

    def organisations(self) -> list[str]:
        """Names of buyers, suppliers, funders and participants already used on this node."""
        names: set[str] = set()
        for record in self.store.list_cases(("published", "draft")):
            for path in ORGANISATION_PATHS:
                for org in walk(record.document, path):
                    names.update(v for v in (org.get("name") or {}).values() if isinstance(v, str))
        return sorted(names, key=str.casefold)

    def case_titles(self) -> dict[str, str]:
        """Case IRI -> title, for every case of this node (links resolve to these)."""
        return {r.iri: self.title(r.document) for r in self.store.list_cases(("published",))}

    def expand_links(self, document: dict) -> dict:
        """A case link written as this node's short name (`snow-clearing`) becomes its address."""
        out = dict(document)
        for key in LINK_KEYS:
            values = out.get(key)
            if isinstance(values, list):
                out[key] = [self._link(v) for v in values]
        return out

    def _link(self, value):
        if isinstance(value, str) and "://" not in value and publish.SLUG.match(value.strip().lower()):
            if self.store.get_by_slug(value.strip().lower()) is not None:
                return self.settings.case_iri(value.strip().lower())
        return value


def fold(text: str) -> str:
    return " ".join(publish.slugify(text).split("-"))


def walk(document, path: tuple[str, ...]) -> Iterable[dict]:
    values = document.get(path[0]) if isinstance(document, dict) else None
    for value in values if isinstance(values, list) else [values]:
        if isinstance(value, dict):
            yield from ([value] if len(path) == 1 else walk(value, path[1:]))
