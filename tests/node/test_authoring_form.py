"""The case form is generated from shapes/spec.py: a property added to a copy of the spec appears
with its kind, cardinality and help, in order, without a template change; code labels come from the
SKOS schemes in the interface language; the CPV picker searches CPV labels on the server; the form
and the document go back and forth without losing a value."""

from __future__ import annotations

import types

from stafett.node.authoring.fields import case_fields, document_from_form, form_from_document
from stafett.node.web import html
from stafett.node.web.authoring_form import FormBuilder, cpv_search
from stafett.shapes import spec


def spec_with(*extra: spec.Field) -> types.ModuleType:
    copy = types.ModuleType("spec_copy")
    copy.__dict__.update({k: v for k, v in vars(spec).items() if not k.startswith("__")})
    copy.CASE = (*spec.CASE[:3], *extra, *spec.CASE[3:])  # type: ignore[attr-defined]
    return copy


def render(fields, lang="sv", values=None) -> str:
    builder = FormBuilder(lang, ("sv", "en"), values or {}, {}, {})
    return html.render(
        "authoring/form.html",
        lang=lang,
        w=__import__("stafett").texts.words("authoring", lang),
        sw={},
        person=None,
        csrf="t",
        review=False,
        org="Lillby kommun",
        base_url="http://n.example/",
        draft=None,
        widgets=builder.widgets(fields),
        findings=[],
        violations=0,
        outcome=None,
        organisations=["Lillby kommun"],
        cpv_query="",
        similar=[],
        may_publish=False,
        title="",
    )


def test_a_property_added_to_the_spec_appears_in_the_form():
    fields = case_fields(
        spec_with(
            spec.Field("pilotSite", "lang", "Warning", max_length=200),
            spec.Field("reviewedSector", "code", None, max_count=3, scheme="sector"),
        )
    )
    keys = [f.key for f in fields]
    assert keys[3:5] == ["pilotSite", "reviewedSector"]  # in the spec's order
    page = render(fields)
    assert 'name="pilotSite@sv"' in page and 'name="pilotSite@en"' in page  # a value per language
    assert "Rekommenderas" in page  # its presence in the spec, as help
    # a code field of a known scheme: its codes as checkboxes, labelled from the SKOS scheme
    assert 'name="reviewedSector" value="health-social-care"' in page
    assert html.concept_label("sector", "health-social-care", "sv", ()) in page
    assert 'name="pilotSite@sv"' not in render(case_fields())


def test_codes_are_labelled_from_the_schemes_in_the_interface_language():
    sv, fi = render(case_fields(), "sv"), render(case_fields(), "fi")
    assert 'value="health-social-care"' in sv
    assert html.concept_label("sector", "health-social-care", "sv", ()) in sv
    assert html.concept_label("sector", "health-social-care", "fi", ()) in fi
    assert html.concept_label("country", "SWE", "fi", ()) in fi  # a long list is a select
    assert "<legend>Titel</legend>" in sv or "Titel" in sv


def test_the_cpv_picker_searches_labels_on_the_server():
    found = cpv_search("bussar", "sv")
    assert found and all("buss" in label.lower() for _, label in found)
    assert cpv_search("34144900", "en")[0][0] == "34144900"
    builder = FormBuilder("sv", ("sv",), {"cpv": ["34144900"]}, {}, {}, found)
    [cpv] = [w for w in builder.widgets(case_fields()) if w["name"] == "cpv"]
    checked = [o["value"] for o in cpv["options"] if o["checked"]]
    assert checked == ["34144900"] and len(cpv["options"]) > 1


def test_organisations_used_before_are_offered_and_links_show_titles():
    fields = case_fields()
    values = {"relatedCase": ["http://n.example/case/a\nhttps://elsewhere.example/case/b"]}
    builder = FormBuilder("sv", ("sv",), values, {}, {"http://n.example/case/a": "Fall A"})
    widgets = {w["name"]: w for w in builder.widgets(fields)}
    assert widgets["relatedCase"]["resolved"] == [
        {"iri": "http://n.example/case/a", "title": "Fall A"},
        {"iri": "https://elsewhere.example/case/b", "title": None},
    ]
    page = render(fields)
    assert '<datalist id="organisations"><option value="Lillby kommun">' in page
    assert 'name="buyer.0.name@sv"' in page and 'list="organisations"' in page


def test_form_and_document_round_trip_without_losing_a_value():
    fields = case_fields()
    form = {
        "title@sv": ["Snöröjning"],
        "title@se": ["Muohtaláhttin"],  # a language the node does not list
        "keyword@sv": ["drönare, snö"],
        "sector": ["transport"],
        "openForAdoption": ["true"],
        "buyer.0.name@sv": ["Lillby kommun"],
        "buyer.1.name@sv": ["Storby kommun"],
        "cost.0.amount": ["12 000,50"],
        "contact.0.email": ["anna@lillby.example"],
        "startDate": ["2025-03"],
    }
    document = document_from_form(form, fields, ("sv", "en"), "sv")
    assert document["title"] == {"sv": "Snöröjning", "se": "Muohtaláhttin"}
    assert document["keyword"] == {"sv": ["drönare", "snö"]} and document["openForAdoption"] is True
    assert [b["name"]["sv"] for b in document["buyer"]] == ["Lillby kommun", "Storby kommun"]
    assert document["cost"] == {"amount": "12000.50"} or document["cost"]["amount"] in ("12000.5", "12000.50")
    assert document["contact"] == [{"email": "mailto:anna@lillby.example"}]
    back = form_from_document(document, fields)
    assert back["title@se"] == ["Muohtaláhttin"] and back["contact.0.email"] == ["anna@lillby.example"]
    assert document_from_form(back, fields, ("sv", "en"), "sv") == document


def test_a_missing_translation_is_marked_and_the_readers_language_comes_first():
    fields = case_fields()
    english_reader = FormBuilder("en", ("sv", "en"), {"title@sv": ["Snöröjning"]}, {}, {})
    [title] = [w for w in english_reader.widgets(fields) if w["name"] == "title"]
    assert [t["tag"] for t in title["texts"]] == ["en", "sv"]
    assert [t["missing"] for t in title["texts"]] == [True, False]
    page = render(fields, "sv", {"title@sv": ["Snöröjning"]})
    assert "Översättning saknas" in page and 'aria-describedby="f-title_en-missing"' in page
    assert "Översättning saknas" not in render(fields, "sv")  # nothing typed: nothing is missing


def test_a_field_required_as_one_of_a_group_says_so():
    builder = FormBuilder("sv", ("sv",), {}, {}, {})
    widgets = {w["name"]: w for w in builder.widgets(case_fields())}
    assert widgets["summary"]["help"].startswith("Krävs, annars " + html.text("need", "sv"))
    assert widgets["need"]["help"].startswith("Krävs, annars " + html.text("summary", "sv"))
    contact = widgets["contact"]["items"][0]["widgets"]
    assert next(w for w in contact if w["name"] == "contact.0.email")["help"].startswith("Krävs, annars")
