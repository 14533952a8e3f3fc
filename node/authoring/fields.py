"""The case form's fields, generated from shapes/spec.py, and the two ways across a form.

`case_fields(spec)` walks the spec's `CASE` and `NODES` tables in their order, so a property added
to the spec appears in the form with its cardinality, kind, limits and code scheme, and no
template names a field. A field's form name is its path: `title@sv` (a text in Swedish),
`buyer.0.name@sv`, `sector` (several values), `cost.0.amount`. `document_from_form` turns the
posted values into the case's JSON-LD (the API's JSON), keeping every typed character (a value
that is not yet valid stays as typed and the shapes say why); `form_from_document` goes back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType

from stafett.digits import ascii_digits
from stafett.node.sheet_values import parse_number_text
from stafett.shapes import spec as default_spec
from stafett.vocabulary.jsonld import CONTEXT_URL

NODE_SET = frozenset({"issued", "modified", "version", "publisher"})  # the node writes these
LANGUAGE_KINDS = frozenset({"lang", "keywords"})
MAX_SHOWN = 20  # instances of one nested object a form shows at most (the spec may allow more)


@dataclass(frozen=True)
class FormField:
    key: str  # the JSON key
    kind: str  # spec.Field.kind
    presence: str | None  # Violation (required), Warning (recommended), Info, None
    max_count: int | None
    max_length: int | None
    scheme: str | None
    children: tuple[FormField, ...] = ()  # for kind == "node"
    codes_base: str | None = None  # the IRI a code is appended to (the spec's scheme_base), if any
    one_of: tuple[str, ...] = ()  # the other keys of a required "one of these" group (spec.ONE_OF)

    @property
    def many(self) -> bool:
        return self.max_count is None or self.max_count > 1


def case_fields(spec: ModuleType = default_spec) -> tuple[FormField, ...]:
    return tuple(_field(f, spec, (), "Case") for f in spec.CASE if f.key not in NODE_SET)


def _field(f, spec: ModuleType, seen: tuple[str, ...], owner: str) -> FormField:
    children: tuple[FormField, ...] = ()
    if f.kind == "node" and f.node not in seen:  # the spec has no cycles today; stay finite if it gets one
        children = tuple(_field(c, spec, (*seen, f.node), f.node) for c in spec.NODES[f.node])
    base = spec.CPV_BASE if f.kind == "cpv" else (spec.scheme_base(f.scheme) if f.scheme else None)
    groups = getattr(spec, "ONE_OF", {}).get(owner, ())
    one_of = next((g.keys for g in groups if g.severity == "Violation" and f.key in g.keys), ())
    others = tuple(k for k in one_of if k != f.key)
    return FormField(f.key, f.kind, f.presence, f.max_count, f.max_length, f.scheme, children, base, others)


# -- form -> document ------------------------------------------------------------------------
Form = Mapping[str, Sequence[str]]  # name -> every value posted under it (a multi-dict)


def document_from_form(form: Form, fields: Sequence[FormField], languages: Sequence[str], lang: str) -> dict:
    """The case as JSON-LD from the posted form; empty fields are left out, nothing else is."""
    document: dict = {"@context": CONTEXT_URL, "type": "Case"}
    document.update(_object(form, fields, "", languages, lang))
    return document


def _object(form: Form, fields: Sequence[FormField], prefix: str, languages, lang: str) -> dict:
    out = {}
    for f in fields:
        value = _value(form, f, prefix + f.key, languages, lang)
        if value not in (None, [], {}, ""):
            out[f.key] = value
    return out


def _values(form: Form, name: str) -> list[str]:
    return [v.strip() for v in form.get(name, ()) if v is not None and v.strip()]


def _value(form: Form, f: FormField, name: str, languages, lang: str):
    if f.kind in LANGUAGE_KINDS:
        texts = {tag: _values(form, f"{name}@{tag}") for tag in _tags(form, name, languages)}
        if f.kind == "keywords":
            return {
                t: [w.strip() for v in vs for w in v.split(",") if w.strip()] for t, vs in texts.items() if vs
            }
        return {t: vs[0] for t, vs in texts.items() if vs}
    if f.kind == "node":
        items = [
            _object(form, f.children, f"{name}.{i}.", languages, lang) for i in range(_count(form, name))
        ]
        items = [item for item in items if item]
        return items if f.many else (items[0] if items else None)
    values = [_scalar(f, v, lang) for v in _split(form, f, name)]
    return values if f.many else (values[0] if values else None)


def _split(form: Form, f: FormField, name: str) -> list[str]:
    """Several values of one field: checked boxes, or one per line of a text area."""
    return [line.strip() for v in _values(form, name) for line in v.splitlines() if line.strip()]


def _tags(form: Form, name: str, languages) -> list[str]:
    """The node's languages, and any other language a value was posted in (nothing is dropped)."""
    posted = [k.split("@", 1)[1] for k in form if k.startswith(name + "@")]
    return list(dict.fromkeys([*languages, *posted]))


def _count(form: Form, name: str) -> int:
    """How many instances of a nested object the form posted (`buyer.0.`, `buyer.1.`, ...)."""
    prefix = name + "."
    indexes = {k[len(prefix) :].split(".", 1)[0] for k in form if k.startswith(prefix)}
    return max((int(i) + 1 for i in indexes if ascii_digits(i) and int(i) < MAX_SHOWN * 5), default=0)


def _scalar(f: FormField, text: str, lang: str):
    if f.kind == "amount":
        number, _ = parse_number_text(text.replace(" ", "").replace("\u00a0", ""), lang)
        if number is None:
            return text  # kept as typed; the shapes say what is wrong with it
        return number  # a string: the context types amount as xsd:decimal (a JSON float would be a double)
    if f.kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if f.kind == "email" and "@" in text and not text.startswith("mailto:"):
        return "mailto:" + text
    if f.kind == "phone" and not text.startswith("tel:"):
        return "tel:" + text.replace(" ", "")
    return text


# -- document -> form ------------------------------------------------------------------------
def form_from_document(document: Mapping, fields: Sequence[FormField]) -> dict[str, list[str]]:
    """The form's values for a stored case or draft (the inverse of `document_from_form`)."""
    form: dict[str, list[str]] = {}
    _fill(form, document, fields, "")
    return form


def _fill(form: dict, document: Mapping, fields: Sequence[FormField], prefix: str) -> None:
    for f in fields:
        value = document.get(f.key)
        if value is None:
            continue
        name = prefix + f.key
        if f.kind in LANGUAGE_KINDS and isinstance(value, Mapping):
            for tag, text in value.items():
                form[f"{name}@{tag}"] = [", ".join(text) if isinstance(text, list) else str(text)]
        elif f.kind == "node":
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(x for x in items if isinstance(x, Mapping)):
                _fill(form, item, f.children, f"{name}.{i}.")
        else:
            items = value if isinstance(value, list) else [value]
            shown = [_shown(f, v) for v in items]
            form[name] = ["\n".join(shown)] if f.kind == "url" and f.many else shown


def _shown(f: FormField, value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping) and "@value" in value:  # a year or year-month date
        return str(value["@value"])
    text = str(value)
    if f.kind == "cpv":
        return text.rsplit("/", 1)[-1]
    return text.removeprefix("mailto:").removeprefix("tel:") if f.kind in ("email", "phone") else text


def instances(form: Mapping, name: str) -> int:
    """Instances of a nested object in the form's values (the form adds one empty to fill in)."""
    return _count(form, name)
