"""Partial dates outside the calendar Python can compute with are not compared, never a crash
(schemathesis once sent the node a gYear "0000" and got a 500)."""

from datetime import date

import pyoxigraph as ox

from stafett.shapes.findings import date_span

XSD = "http://www.w3.org/2001/XMLSchema#"


def literal(value: str, kind: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))


def test_years_outside_the_calendar_have_no_span():
    assert date_span(literal("0000", "gYear")) is None
    assert date_span(literal("0000-05", "gYearMonth")) is None
    assert date_span(literal("2021", "gYear")) == (date(2021, 1, 1), date(2021, 12, 31))
    assert date_span(literal("2021-12", "gYearMonth")) == (date(2021, 12, 1), date(2021, 12, 31))
