"""Every sentence exists in all seven languages, in the catalogue and in every shape."""

from __future__ import annotations

import rdflib
from shapes_support import SH

from stafett.shapes.messages import CATALOGUE, LANGUAGES, chain, say


def test_catalogue_has_every_language_for_every_sentence():
    missing = [(key, lang) for key, texts in CATALOGUE.items() for lang in LANGUAGES if not texts.get(lang)]
    assert missing == []


def test_every_shape_with_constraints_has_a_message_in_all_seven_languages(shapes_graph):
    shapes = set(shapes_graph.subjects(rdflib.RDF.type, SH.PropertyShape))
    shapes |= set(shapes_graph.subjects(rdflib.RDF.type, SH.SPARQLConstraint))
    shapes |= {s for s in shapes_graph.subjects(SH["or"], None)}
    assert len(shapes) > 100
    incomplete = {}
    for shape in shapes:
        langs = {m.language for m in shapes_graph.objects(shape, SH.message)}
        if langs != set(LANGUAGES):
            incomplete[str(shape)] = sorted(set(LANGUAGES) - langs)
    assert incomplete == {}


def test_nynorsk_falls_back_to_bokmal_then_english():
    assert chain("nn") == ("nn", "nb", "en")
    assert chain("de") == ("de", "en")
    assert say("ok", "de") == say("ok", "en")
    assert say("ok", "nn") != say("ok", "en")
