"""docs/vocabulary.md: generated, current, complete, and its first example really is valid."""

from __future__ import annotations

import re

import pytest
from vocab_support import REPO, term_definitions

from stafett.cli import main
from stafett.vocabulary import SCHEMES, docs
from stafett.vocabulary.jsonld import CONTEXT_URL, load_json

DOCS = REPO / "docs" / "vocabulary.md"


def documented_keys(text: str) -> set[str]:
    """Keys in the first column of the JSON-keys table."""
    section = text.split("## JSON keys", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE))


def test_committed_docs_are_current(capsys):
    assert main(["vocab", "docs", "--check"]) == 0, "run `stafett vocab docs` and commit docs/vocabulary.md"


def test_check_fails_on_a_stale_file(tmp_path, capsys):
    out = tmp_path / "vocabulary.md"
    assert main(["vocab", "docs", "--out", str(out)]) == 0
    assert main(["vocab", "docs", "--check", "--out", str(out)]) == 0
    out.write_text(out.read_text("utf-8").replace("| `need` |", "| `needs` |"), "utf-8")
    assert main(["vocab", "docs", "--check", "--out", str(out)]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["vocab", "docs", "--check", "--out", str(tmp_path / "absent.md")]) == 1


def test_every_context_key_is_documented():
    missing = set(term_definitions()) - documented_keys(DOCS.read_text("utf-8"))
    assert not missing, f"context keys missing from docs/vocabulary.md: {sorted(missing)}"


def test_every_code_of_every_project_scheme_is_documented():
    from stafett.vocabulary import PROJECT_SCHEMES, concept_quads

    text = DOCS.read_text("utf-8")
    codes = {q.object.value for q in concept_quads() if q.predicate.value.endswith("#notation")}
    assert len(codes) > 50 and all(f"| `{code}` |" in text for code in codes)
    assert all(f"`{scheme}`" in text for scheme in PROJECT_SCHEMES.values())


def test_a_key_without_meaning_stops_generation():
    with pytest.raises(ValueError, match="STANDARD_KEYS"):
        docs.key_meaning("brandNewKey", "http://purl.org/dc/terms/abstract", {})


def test_first_case_example_is_valid_and_uses_only_context_keys():
    from stafett.shapes import validate_document

    raw = docs.MINIMAL_CASE.encode()
    data = load_json(raw)
    assert data["@context"] == CONTEXT_URL
    keys = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            keys |= {k for k in value if not k.startswith("@")}
            stack.extend(
                v
                for k, v in value.items()
                if k not in ("title", "summary", "need", "outcome", "lessonsLearned", "keyword", "name")
            )
        elif isinstance(value, list):
            stack.extend(value)
    assert keys <= set(term_definitions())
    _, report = validate_document(raw, "application/ld+json")
    problems = [f for f in report.findings if f.severity in ("Violation", "Warning")]
    assert report.conforms and not problems, problems
    assert set(SCHEMES) & keys  # the example shows codes, not just text


def test_check_notices_a_missing_html_page(tmp_path):
    out = tmp_path / "vocabulary.md"
    assert main(["vocab", "docs", "--out", str(out)]) == 0
    out.with_suffix(".html").unlink()
    assert main(["vocab", "docs", "--check", "--out", str(out)]) == 1


def test_html_page_has_every_key_and_scheme_anchor():
    page = (REPO / "docs" / "vocabulary.html").read_text("utf-8")
    assert all(f"<td><code>{key}</code></td>" in page for key in term_definitions())
    assert all(f'id="codes-{key.lower()}"' in page for key in SCHEMES)


def test_html_rendering_escapes_everything_it_does_not_know():
    from stafett.vocabulary.docs_html import render_html

    page = render_html(
        '# T <a id="x"></a>\n\nHi <script>alert(1)</script> `<b>` *<i>*\n\n'
        "| a | b |\n|---|---|\n| <img src=x> | [l](#codes-x) |\n"
    )
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert '<h1 id="x">T</h1>' in page and '<a href="#codes-x">l</a>' in page


def test_every_registry_bookkeeping_term_is_documented():
    from stafett.vocabulary import STF, registry_ontology_quads

    text = DOCS.read_text("utf-8")
    section = text.split("## Registry bookkeeping terms", 1)[1]
    terms = {q.subject.value for q in registry_ontology_quads() if q.subject.value.startswith(STF)}
    assert len(terms) > 20
    missing = sorted(t for t in terms if f"| `stf:{t[len(STF) :]}` |" not in section)
    assert not missing, f"registry terms missing from docs/vocabulary.md: {missing}"
