"""The case form as a tree the templates draw, from node/authoring/fields.py (no HTTP).

Every widget follows from the field's kind and limits in shapes/spec.py: a fieldset per language
for texts (the reader's language first, a missing translation marked), checkboxes for a short code
list, a select for a longer one, labels from the vocabulary's SKOS schemes in the interface
language, a datalist of the organisations already used on the node for organisation names, and the
CPV picker's chosen codes and server-side search results as checkboxes (works without JavaScript).
Help texts are made from the same limits (required or not, how many values, how many characters).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from stafett import texts, vocabulary
from stafett.digits import ascii_digits
from stafett.node.authoring.fields import LANGUAGE_KINDS, MAX_SHOWN, FormField, instances
from stafett.node.messages import best_language
from stafett.node.web import html
from stafett.problems import Finding
from stafett.vocabulary.languages import TAG_TO_CODE

CHECKBOXES_UP_TO = 16  # a longer code list is a select
TEXT_AREA_KINDS = frozenset({"url"})
ORGANISATION_NAMES = re.compile(r"(^|\.)(buyer|supplier|funder|organization)\.\d+\.name$")
CPV_RESULTS = 25
CPV = vocabulary.SCHEMES["cpv"] + "/"


def w(key: str, lang: str, **values) -> str:
    return texts.word("authoring", key, lang).format(**values)


def field_label(name: str, lang: str) -> str:
    """The label of the field a form name ends in (`contact.1` -> Contact, `cost.0.amount` -> Amount)."""
    return html.text([part for part in name.split(".") if not part.isdigit()][-1], lang)


def element_id(name: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


@cache
def codes_of(base: str) -> tuple[str, ...]:
    """The codes of the scheme whose concepts are `<base><code>`, as the vocabulary ships them."""
    return tuple(
        sorted(
            i[len(base) :] for i in html.concept_labels() if i.startswith(base) and "/" not in i[len(base) :]
        )
    )


def label(base: str, code: str, lang: str, node_languages) -> str:
    """The concept's skos:prefLabel in the interface language (then the node's, then English)."""
    names = html.concept_labels().get(base + code, {})
    chosen = best_language(names, lang, tuple(node_languages))
    if not chosen:
        return code
    return f"{code} {names[chosen]}" if base == vocabulary.SCHEMES["cpv"] + "/" else names[chosen]


def language_name(tag: str, lang: str) -> str:
    code = TAG_TO_CODE.get(tag.split("-")[0])
    return label(vocabulary.SCHEMES["language"] + "/", code, lang, ()) if code else tag


def cpv_search(query: str, lang: str, limit: int = CPV_RESULTS) -> list[tuple[str, str]]:
    """(code, label) of CPV codes whose label in `lang` (or English) holds every word of `query`."""
    words = [x for x in query.casefold().split() if x]
    if not words:
        return []
    prefix = vocabulary.SCHEMES["cpv"] + "/"
    found = []
    for iri, names in html.concept_labels().items():
        if not iri.startswith(prefix):
            continue
        chosen = best_language(names, lang, ("en",))
        text = names[chosen] if chosen else ""
        if all(x in text.casefold() for x in words) or iri[len(prefix) :].startswith(query.strip()):
            found.append((iri[len(prefix) :], text))
    found.sort(key=lambda pair: (len(pair[1]), pair[0]))
    return found[:limit]


def findings_by_name(findings: Sequence[Finding], fields: Sequence[FormField]) -> dict[str, list[Finding]]:
    """Each finding at the form field it is about (`cost.amount` -> `cost.0.amount`); '' = the case."""
    out: dict[str, list[Finding]] = {}
    for finding in findings:
        out.setdefault(finding_name(finding, fields), []).append(finding)
    return out


ONE_OF_RULE = re.compile(r"#\w+-(?P<first>[A-Za-z]+)-or-")  # shapes#Case-summary-or-need


def finding_name(finding: Finding, fields: Sequence[FormField]) -> str:
    """The form name a finding belongs to, with the instance its focus names (`#contact-2` -> `contact.1`)."""
    instance = skolem_path(finding.value) or skolem_path(finding.focus_node)
    if finding.field:
        name = form_name(finding.field, fields)
        bare = ".".join(part for part in instance.split(".") if not part.isdigit())
        return instance if instance and bare == finding.field else name
    one_of = ONE_OF_RULE.search(finding.rule or "")
    if one_of:  # "give one of summary, need": the first of them
        prefix = skolem_path(finding.focus_node)
        name = f"{prefix}.{one_of['first']}" if prefix else one_of["first"]
        return name if field_at(name, fields) is not None else ""
    return ""


def skolem_path(iri: str | None) -> str:
    """`<case>#solution-1-supplier-2` -> `solution.0.supplier.1` (the node numbers objects from 1)."""
    if not iri or "#" not in iri:
        return ""
    parts = iri.split("#", 1)[1].split("-")
    if len(parts) % 2 or not all(ascii_digits(n) and int(n) > 0 for n in parts[1::2]):
        return ""
    return ".".join(f"{key}.{int(n) - 1}" for key, n in zip(parts[::2], parts[1::2], strict=True))


def form_name(path: str | None, fields: Sequence[FormField]) -> str:
    if not path:
        return ""
    name, level = [], fields
    for key in path.split("."):
        f = next((x for x in level if x.key == key), None)
        if f is None:
            return ""
        name.append(key)
        if f.kind == "node" and key != path.split(".")[-1]:
            name.append("0")
        level = f.children
    return ".".join(name)


def first_input(name: str, fields: Sequence[FormField], languages: Sequence[str]) -> str:
    """The id a finding's link jumps to: the field's first input."""
    f = field_at(name, fields)
    if f is None:
        return "main"
    if name.rsplit(".", 1)[-1].isdigit():  # one instance of a nested object: its fieldset
        return element_id(name)
    if f.kind in LANGUAGE_KINDS:
        return element_id(f"{name}@{languages[0]}")
    if f.kind == "node":
        return element_id(name + ".0")
    return element_id(name)


def field_at(name: str, fields: Sequence[FormField]) -> FormField | None:
    level, found = fields, None
    for part in name.split("."):
        if part.isdigit():
            continue
        found = next((x for x in level if x.key == part), None)
        if found is None:
            return None
        level = found.children
    return found


class FormBuilder:
    """Turns fields, the typed values and the findings into widgets for templates/authoring/form.html."""

    def __init__(
        self,
        lang: str,
        node_languages: Sequence[str],
        values: Mapping[str, Sequence[str]],
        findings: Mapping[str, list[Finding]],
        case_titles: Mapping[str, str],
        cpv_found: Sequence[tuple[str, str]] = (),
    ):
        self.lang = lang
        # the reader's language first, then the node's own; a text typed in another one stays
        extra = [k.split("@", 1)[1] for k in values if "@" in k]
        ordered = [lang] if lang in node_languages else []
        self.languages = list(dict.fromkeys([*ordered, *node_languages, *extra]))
        self.values, self.findings, self.case_titles = values, findings, case_titles
        self.cpv_found = cpv_found

    def widgets(self, fields: Sequence[FormField], prefix: str = "") -> list[dict]:
        return [self.widget(f, prefix + f.key) for f in fields]

    def widget(self, f: FormField, name: str) -> dict:
        base = {
            "name": name,
            "id": element_id(name),
            "label": html.text(f.key, self.lang),
            "help": self.help(f),
            "required": f.presence == "Violation",
            "errors": [x.message for x in self.findings.get(name, []) if x.severity == "Violation"],
            "warnings": [x.message for x in self.findings.get(name, []) if x.severity != "Violation"],
        }
        if f.kind in LANGUAGE_KINDS:
            return {
                **base,
                "widget": "languages",
                "long": (f.max_length or 0) > 300,
                "texts": self.language_inputs(f, name),
            }
        if f.kind == "node":
            count = instances(self.values, name)
            shown = min(count + 1, f.max_count or MAX_SHOWN, MAX_SHOWN) if f.many else 1
            return {
                **base,
                "widget": "group",
                "many": f.many,
                "items": [
                    {
                        "id": element_id(f"{name}.{i}"),
                        "n": i + 1,
                        "widgets": self.widgets(f.children, f"{name}.{i}."),
                        "errors": [x.message for x in self.findings.get(f"{name}.{i}", [])],
                    }
                    for i in range(max(shown, 1))
                ],
            }
        chosen = list(self.values.get(name, ()))
        if f.kind == "cpv":
            return {**base, "widget": "cpv", "options": self.cpv_options(chosen)}
        if f.kind in ("code", "municipality") and f.codes_base and codes_of(f.codes_base):
            codes = codes_of(f.codes_base)
            options = [
                {
                    "value": c,
                    "text": label(f.codes_base, c, self.lang, self.languages),
                    "checked": c in chosen,
                }
                for c in codes
            ]
            unknown = [c for c in chosen if c and c not in codes]  # typed earlier: kept and shown
            options += [{"value": c, "text": c, "checked": True} for c in unknown]
            if f.many and len(codes) <= CHECKBOXES_UP_TO:
                return {**base, "widget": "checkboxes", "options": options}
            return {**base, "widget": "select", "multiple": f.many, "options": options}
        if f.kind == "boolean":
            value = chosen[0] if chosen else ""
            return {**base, "widget": "boolean", "value": value}
        text = "\n".join(chosen)
        if f.kind in TEXT_AREA_KINDS and f.many:
            return {**base, "widget": "lines", "value": text, "resolved": self.resolved(chosen)}
        return {
            **base,
            "widget": "text",
            "value": text,
            "type": self.input_type(f),
            "datalist": "organisations" if ORGANISATION_NAMES.search(name) else None,
        }

    def language_inputs(self, f: FormField, name: str) -> list[dict]:
        filled = any(self.values.get(f"{name}@{t}") for t in self.languages)
        out = []
        for tag in self.languages:
            value = "".join(self.values.get(f"{name}@{tag}", ()))
            out.append(
                {
                    "name": f"{name}@{tag}",
                    "id": element_id(f"{name}@{tag}"),
                    "tag": tag,
                    "language": language_name(tag, self.lang),
                    "value": value,
                    "missing": filled and not value.strip(),
                    "datalist": "organisations" if ORGANISATION_NAMES.search(name) else None,
                }
            )
        return out

    def cpv_options(self, chosen: list[str]) -> list[dict]:
        options = [
            {"value": c, "text": label(CPV, c, self.lang, self.languages), "checked": True}
            for c in chosen
            if c
        ]
        options += [
            {"value": c, "text": f"{c} {t}", "checked": False} for c, t in self.cpv_found if c not in chosen
        ]
        return options

    def resolved(self, links: list[str]) -> list[dict]:
        out = []
        for line in (x.strip() for v in links for x in v.splitlines()):
            if line:
                out.append({"iri": line, "title": self.case_titles.get(line)})
        return out

    def input_type(self, f: FormField) -> str:
        return {"email": "email", "phone": "tel", "url": "url"}.get(f.kind, "text")

    def help(self, f: FormField) -> str:
        presence = {"Violation": "required", "Warning": "recommended"}.get(f.presence or "", "optional")
        parts = [w(presence, self.lang)]
        if f.one_of and f.presence != "Violation":  # required as one of a group (spec.ONE_OF)
            others = ", ".join(html.text(k, self.lang) for k in f.one_of)
            parts = [w("one_of_required", self.lang, others=others)]
        kind_help = {
            "date": "help_date",
            "amount": "help_amount",
            "url": "help_url",
            "email": "help_email",
            "phone": "help_phone",
            "keywords": "help_keywords",
            "cpv": "help_cpv",
        }.get(f.kind)
        if f.key in ("scaledUpFrom", "adoptedFrom", "adoptedBy", "relatedCase"):
            kind_help = "help_links"
        if kind_help:
            parts.append(w(kind_help, self.lang))
        if f.many and f.max_count and f.kind not in LANGUAGE_KINDS:
            parts.append(w("up_to", self.lang, n=f.max_count))
        if f.max_length and f.kind in LANGUAGE_KINDS:
            parts.append(w("max_chars", self.lang, n=f"{f.max_length:,}".replace(",", "\u00a0")))
        return " · ".join(parts)
