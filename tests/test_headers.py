"""The one Accept reader: RFC 9110 section 12.5.1 precedence, q=0 exclusions and the tie rule."""

import pytest

from stafett.headers import best_media_type, quality_of

CASE = ("application/ld+json", "text/turtle", "application/n-triples", "text/html", "application/json")
TIES = ("text/turtle", "application/n-triples", "application/ld+json", "text/html", "application/json")
RDFLIB = (
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trix, application/trig"
)


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/ld+json;q=0, */*", "text/turtle"),  # the specific q=0 beats the wildcard
        ("application/ld+json;q=0, application/*", "application/n-triples"),
        ("text/*;q=0, */*", "application/ld+json"),
        ("*/*;q=0, text/html", "text/html"),
        ("application/ld+json;q=0", None),
        ("text/turtle;q=0, text/*;q=0.9", "text/html"),
        ("*/*;q=0", None),
    ],
)
def test_the_most_specific_range_decides_a_types_quality(accept, expected):
    assert best_media_type(accept, CASE, TIES) == expected


@pytest.mark.parametrize(
    "accept, expected",
    [
        (RDFLIB, "text/turtle"),  # everything at q=1: the self-contained format, not compact JSON-LD
        ("application/ld+json, text/turtle", "text/turtle"),
        ("application/ld+json, application/json", "application/ld+json"),  # pyld's loader
        ("application/ld+json, application/json;q=0.9, */*;q=0.1", "application/ld+json"),
        ("*/*", "application/ld+json"),  # a bare wildcard gets the server's first format
        ("", "application/ld+json"),
        (None, "application/ld+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle;q=0.5, */*;q=0.9", "application/ld+json"),  # higher q wins over being named
        ("text/*", "text/turtle"),
        ("TEXT/Turtle ; Q=0.4, application/n-triples;q=0.3", "text/turtle"),
        ("image/png", None),
    ],
)
def test_higher_q_then_named_then_the_servers_order(accept, expected):
    assert best_media_type(accept, CASE, TIES) == expected


def test_without_a_tie_order_the_offered_order_decides():
    assert best_media_type("application/ld+json, text/turtle", CASE) == "application/ld+json"


def test_quality_and_specificity_of_one_type():
    assert quality_of("text/turtle", "text/*;q=0.3, text/turtle;q=0.7, */*") == (0.7, 2)
    assert quality_of("text/turtle", "text/*;q=0.3, */*") == (0.3, 1)
    assert quality_of("text/turtle", "application/json") == (0.0, -1)
    assert quality_of("text/turtle", "text/turtle;q=bad") == (0.0, 2)  # malformed q excludes
    assert quality_of("text/turtle", "text/turtle;q=7") == (1.0, 2)  # q is at most 1


def test_long_headers_are_read_the_same_way():
    long = ", ".join(f"x-test/type-{i}" for i in range(200)) + ", application/ld+json;q=0, */*;q=0.2"
    assert len(long) > 1024
    assert best_media_type(long, CASE, TIES) == "text/turtle"
