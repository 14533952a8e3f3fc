"""One error shape for every Stafett component: RFC 9457 problem details with findings.

A `Problem` is raised anywhere input is refused (bad JSON, unknown context, validation
violations, auth). The CLI prints it as one clear line per finding; HTTP servers answer
`application/problem+json` with the same fields. Messages name the input and the fix.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://w3id.org/stafett/problems/"


@dataclass(frozen=True)
class Finding:
    """One thing wrong with one piece of input (a SHACL result, a parse error, a limit)."""

    severity: str  # "Violation" | "Warning" | "Info"
    message: str  # already translated into the requested language
    focus_node: str | None = None  # IRI of the resource the finding is about
    path: str | None = None  # property IRI (sh:resultPath)
    field: str | None = None  # the JSON key a publisher wrote (short name from the context)
    value: str | None = None  # offending value, when there is one
    rule: str | None = None  # the shape or check that produced it
    source: str | None = None  # file name, URL or record id the finding comes from

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Problem(Exception):
    """A refusal with an HTTP status, a stable type slug, a user-safe title and findings."""

    status: int
    slug: str  # e.g. "validation-failed", "unreadable-input", "too-large"
    title: str
    detail: str = ""
    findings: list[Finding] = field(default_factory=list)
    instance: str | None = None
    # HTTP headers that belong to this refusal (Retry-After, Allow, WWW-Authenticate); the one
    # HTTP edge (stafett/web.py) sends them, the CLI ignores them. Never part of the body.
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.detail or self.title)

    @property
    def type_uri(self) -> str:
        return PROBLEM_TYPE_BASE + self.slug

    def fields(self) -> tuple:
        """What crosses a process boundary: an exception with required fields does not unpickle,
        this tuple does, and `Problem(*problem.fields())` is the same Problem again."""
        return (self.status, self.slug, self.title, self.detail, self.findings, self.instance, self.headers)

    def as_dict(self) -> dict:
        body = {"type": self.type_uri, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if self.instance:
            body["instance"] = self.instance
        if self.findings:
            body["findings"] = [f.as_dict() for f in self.findings]
        return body


def refusal(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    rule: str,
    source: str | None = None,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Problem:
    """A refusal by one check: its single finding repeats the detail and names the check (`rule`)."""
    finding = Finding("Violation", detail, field=field, rule=rule, source=source)
    return Problem(status, slug, title, detail, [finding], headers=dict(headers or {}))


def unreadable(detail: str, *, source: str | None = None) -> Problem:
    """Input that cannot be parsed at all (CLI exit status 2, HTTP 400)."""
    return refusal(
        400, "unreadable-input", "The input could not be read", detail, rule="parse", source=source
    )


def not_json_ld(detail: str, *, source: str | None = None) -> Problem:
    """JSON that parses but that JSON-LD cannot read (a number in a language map, say): the
    syntax is right and the content is not, so HTTP 422 rather than 400; the CLI treats it as
    unreadable (exit status 2)."""
    return refusal(
        422, "invalid-json-ld", "The JSON is not valid JSON-LD", detail, rule="parse", source=source
    )


def too_large(detail: str, *, source: str | None = None) -> Problem:
    """Input over a size, depth or count limit (HTTP 413)."""
    return refusal(413, "too-large", "The input is over a limit", detail, rule="limits", source=source)
