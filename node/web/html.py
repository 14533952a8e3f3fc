"""Rendering for people: case documents, lists, the catalogue and the API page as HTML (no HTTP).

Safety rules (see threat notes): Jinja autoescape is always on; a value becomes a link only if
its scheme is http, https, mailto or tel (`javascript:` and friends stay plain text); JSON-LD is
embedded with Jinja's `|tojson`, which escapes `<`, `>` and `&` so `</script>` cannot break out.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import jinja2
import orjson
import pyoxigraph as ox

from stafett import feed_html, texts, vocabulary
from stafett.apidoc import page_rows
from stafett.node.messages import best_language
from stafett.vocabulary.notices import notice_display
from stafett.vocabulary.terms import SKOS, term

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_FIELDS = frozenset(
    {"url", "email", "phone", "scaledUpFrom", "adoptedFrom", "adoptedBy", "relatedCase", "id"}
)
FIELD_ORDER = (  # names first, so nested objects (buyer, solution, ...) read naturally
    "name",
    "fullName",
    "title",
    "summary",
    "need",
    "status",
    "innovationApproach",
    "sector",
    "country",
    "language",
    "cpv",
    "keyword",
    "buyer",
    "participant",
    "partOf",
    "procedure",
    "solution",
    "milestone",
    "startDate",
    "endDate",
    "cost",
    "funding",
    "outcome",
    "effect",
    "lessonsLearned",
    "risks",
    "riskSharing",
    "openForAdoption",
    "openForPartners",
    "adoptionRoute",
    "adoptionNote",
    "scaledUpFrom",
    "adoptedFrom",
    "adoptedBy",
    "relatedCase",
    "document",
    "contact",
    "orgNumber",
    "legalType",
    "procedureType",
    "jointProcurement",
    "supplier",
    "amount",
    "currency",
    "funder",
    "programme",
    "documentType",
    "publisher",
    "issued",
    "modified",
    "version",
)
_STRINGS = orjson.loads(resources.files("stafett.node.web").joinpath("templates/strings.json").read_bytes())
UI_STRINGS: dict[str, dict[str, str]] = _STRINGS["ui"]
FIELD_LABELS: dict[str, dict[str, str]] = _STRINGS["fields"]
HIDDEN = frozenset({"@context", "id", "type"})
SKOS_PREF_LABEL = term(SKOS, "prefLabel")


def text(key: str, lang: str) -> str:
    row = UI_STRINGS.get(key) or FIELD_LABELS.get(key)
    return row.get(lang) or row["en"] if row else key


# -- values ---------------------------------------------------------------------------------
def safe_href(value) -> str | None:
    """The value as a link target if its scheme is allowed, else None (rendered as text)."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    return value.strip()


@cache
def concept_labels() -> dict[str, dict[str, str]]:
    """skos:prefLabel of every concept the vocabulary ships (Stafett schemes, EU tables, CPV).

    Parsed once, on the first page that needs a label (about half a second, mostly CPV).
    """
    labels: dict[str, dict[str, str]] = {}
    for t in (*vocabulary.concept_quads(), *vocabulary.reference_quads()):
        if t.predicate == SKOS_PREF_LABEL and isinstance(t.object, ox.Literal):
            labels.setdefault(t.subject.value, {})[t.object.language or "en"] = t.object.value
    return labels


def concept_label(key: str, code: str, lang: str, fallback) -> str:
    names = concept_labels().get(vocabulary.concept_iri(key, code), {})
    chosen = best_language(names, lang, fallback)
    if not chosen:
        return code.replace("-", " ") if key in vocabulary.PROJECT_SCHEMES else code
    return f"{code} {names[chosen]}" if key == "cpv" else names[chosen]


def is_language_map(value) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(
            isinstance(k, str)
            and not k.startswith("@")
            and 2 <= len(k) <= 12
            and k.replace("-", "").isalnum()
            and (isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v)))
            for k, v in value.items()
        )
        and not any(k in FIELD_LABELS for k in value)
    )


def item(key: str, value, ctx) -> dict:
    """One displayable value: {"text", "href"?, "lang"?} or {"rows"} for a nested object."""
    lang, fallback = ctx
    if isinstance(value, bool):
        return {"text": text("yes" if value else "no", lang)}
    if is_language_map(value):
        chosen = best_language(value, lang, fallback)
        shown = value[chosen]
        return {"text": ", ".join(shown) if isinstance(shown, list) else shown, "lang": chosen}
    if key == "noticeIdentifier" and isinstance(value, dict):  # one link per official notice
        shown = notice_display(value)
        href = safe_href(shown.get("href"))
        return {"text": shown["text"], "href": href} if href else {"text": shown["text"]}
    if isinstance(value, dict) and "@value" in value:  # 1.1: a year or year-month date (value object)
        return {"text": str(value["@value"])}
    if isinstance(value, dict):
        return {"rows": rows(value, ctx)}
    if key in vocabulary.SCHEMES and isinstance(value, str):
        return {"text": concept_label(key, value, lang, fallback)}
    shown = str(value)
    if key in LINK_FIELDS:
        href = safe_href(shown)
        if href:
            return {"text": shown.removeprefix("mailto:").removeprefix("tel:"), "href": href}
    return {"text": shown}


def rows(document: dict, ctx) -> list[dict]:
    """Labelled rows of a (nested) case object in a fixed, readable order."""
    lang, _ = ctx
    order = {k: i for i, k in enumerate(FIELD_ORDER)}
    keys = sorted((k for k in document if k not in HIDDEN), key=lambda k: (order.get(k, 999), k))
    out = []
    for key in keys:
        value = document[key]
        values = value if isinstance(value, list) else [value]
        values = [item(key, v, ctx) for v in values if v is not None]
        if values:
            out.append({"key": key, "label": text(key, lang), "values": values})
    return out


# -- rendering ------------------------------------------------------------------------------
@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        # The shared partials (the API page's operations) live with the stafett package.
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("stafett.node.web", "templates"),
                jinja2.PackageLoader("stafett", "templates"),
            ]
        ),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["safe_href"] = safe_href
    return env


def render(template: str, **values) -> str:
    lang = values["lang"]
    return environment().get_template(template).render(t=lambda key: text(key, lang), **values)


def organisation(settings, lang: str) -> str:
    chosen = best_language(settings.org_name, lang, settings.languages)
    return settings.org_name[chosen]


def render_case(document: dict, lang: str, settings, accept_language: str | None = None) -> str:
    ctx = (accept_language or lang, tuple(settings.languages))
    titles = document.get("title") or {}
    chosen = best_language(titles, ctx[0], ctx[1])
    return render(
        "case.html",
        lang=lang,
        document=document,
        case_iri=document.get("id", ""),
        title=titles[chosen] if chosen else document.get("id", ""),
        title_lang=chosen,
        rows=rows({k: v for k, v in document.items() if k != "title"}, ctx),
        org=organisation(settings, lang),
        base_url=settings.base_url,
    )


def render_gone(iri: str, deleted: str, lang: str, settings) -> str:
    return render(
        "gone.html",
        lang=lang,
        case_iri=iri,
        deleted=deleted,
        org=organisation(settings, lang),
        base_url=settings.base_url,
    )


def render_list(document: dict, lang: str, settings, page: int, accept_language: str | None = None) -> str:
    fallback = tuple(settings.languages)
    entries = []
    for member in document["hydra:member"]:
        titles = member.get("title") or {}
        chosen = best_language(titles, accept_language or lang, fallback)
        entries.append(
            {
                "href": safe_href(member["@id"]),
                "iri": member["@id"],
                "lang": chosen,
                "title": titles[chosen] if chosen else member["@id"],
                "modified": member["modified"],
            }
        )
    view = document["hydra:view"]
    return render(
        "cases.html",
        lang=lang,
        entries=entries,
        total=document["hydra:totalItems"],
        page=page,
        next=(view.get("hydra:next") or {}).get("@id"),
        previous=(view.get("hydra:previous") or {}).get("@id"),
        org=organisation(settings, lang),
        base_url=settings.base_url,
    )


def render_catalogue(
    document: dict,
    lang: str,
    settings,
    accept_language: str | None = None,
    *,
    cases: list[dict] | None = None,
    signed_in: bool = False,
    w: dict[str, str] | None = None,
) -> str:
    fallback = tuple(settings.languages)
    names = settings.org_name
    description = {k: v for k, v in (document.get("description") or {}).items()}
    chosen = best_language(description, accept_language or lang, fallback)
    return render(
        "catalogue.html",
        lang=lang,
        document=document,
        org=organisation(settings, lang),
        org_lang=best_language(names, lang, fallback),
        description=description[chosen] if chosen else "",
        base_url=settings.base_url,
        org_number=settings.org_number,
        country=settings.country,
        languages=settings.languages,
        contact=contact_href(settings.contact_email),
        cases=cases or [],
        signed_in=signed_in,
        w=w or texts.words("authoring", lang),
    )


def contact_href(email: str | None) -> str | None:
    if not email:
        return None
    return email if email.startswith("mailto:") else f"mailto:{email}"


def render_feed(root: list, page: list | None, url: str, lang: str, settings) -> str:
    """The change feed for people: the root's pages, or one page's changes with titles in `lang`."""
    pages = feed_html.pages_of(root)
    previous, current, following = feed_html.neighbours(pages, url) if page is not None else (None,) * 3
    return render(
        "feed.html",
        lang=lang,
        w=texts.words("exports", lang),
        pages=pages,
        current=current,
        previous=previous,
        following=following,
        members=feed_html.members_of(page, lang) if page is not None else [],
        readable=feed_html.readable_time,
        root_url=f"{settings.base_url}feed",
        org=organisation(settings, lang),
        base_url=settings.base_url,
    )


def render_api(document: dict, lang: str, settings) -> str:
    """The API page: the operations of the node's OpenAPI description, for people."""
    return render(
        "api.html",
        lang=lang,
        rows=page_rows(document),
        openapi_url=f"{settings.base_url}openapi.json",
        org=organisation(settings, lang),
        base_url=settings.base_url,
    )
