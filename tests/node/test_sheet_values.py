"""Numbers, dates and yes/no as Nordic spreadsheet programs write them, in each of the seven languages."""

from __future__ import annotations

import pytest

from stafett.node.sheet_values import CellError, read_boolean, read_date, read_number

NBSP, THIN = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("written", "lang", "number"),
    [
        ("1 234,50", "sv", "1234.5"),
        (f"1{NBSP}234{NBSP}567,25", "fi", "1234567.25"),
        (f"1{THIN}234,5", "nn", "1234.5"),
        ("1.234,50", "da", "1234.5"),
        ("1.234,50", "is", "1234.5"),
        ("1.234.567", "nb", "1234567"),
        ("1.234", "da", "1234"),  # a thousand in Danish, Norwegian and Icelandic
        ("1.234", "sv", "1.234"),  # one point two in Swedish and Finnish, as Excel writes it there
        ("1,234.50", "en", "1234.5"),
        ("1,5", "en", "1.5"),
        ("350000", "sv", "350000"),
        ("-12,5", "fi", "-12.5"),
        ("\u22123,5", "sv", "-3.5"),
    ],
)
def test_numbers(written, lang, number):
    assert read_number(written, lang)[0] == number


@pytest.mark.parametrize(
    ("written", "lang"), [("tolv", "sv"), ("1,2,3", "sv"), ("1.2.3", "fi"), ("12 kr", "sv")]
)
def test_not_numbers_are_refused_in_the_readers_language(written, lang):
    with pytest.raises(CellError) as refused:
        read_number(written, lang)
    assert written in refused.value.message and ("inget tal" in refused.value.message or lang != "sv")


def test_an_ambiguous_number_says_how_it_was_read():
    number, notes = read_number("1.234", "nb")
    assert number == "1234" and notes and "1234" in notes[0].message


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024-03-01", "2024-03-01"),
        ("2024-03", "2024-03"),
        ("2024", "2024"),
        ("1.3.2024", "2024-03-01"),
        ("01.03.2024", "2024-03-01"),
        ("1/3/2024", "2024-03-01"),
        ("01-03-2024", "2024-03-01"),
        ("2024/3/1", "2024-03-01"),
        ("2024-03-01 00:00:00", "2024-03-01"),
        ("2024-03-01T00:00", "2024-03-01"),
    ],
)
def test_dates(written, iso):
    assert read_date(written, "da")[0] == iso


def test_a_day_first_date_says_how_it_was_read():
    date, notes = read_date("3/1/2024", "en")
    assert date == "2024-01-03" and "2024-01-03" in notes[0].message  # never silently month-first


@pytest.mark.parametrize("written", ["31.2.2024", "2024-13", "mars 2024", "3/31/2024", "2024-03-01 12:30"])
def test_impossible_or_unreadable_dates_are_refused(written):
    with pytest.raises(CellError):
        read_date(written, "fi")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        *(
            (w, True)
            for w in ("ja", "Ja", "kyllä", "já", "yes", "true", "1", "SANT", "SAND", "SANN", "TOSI", "SATT")
        ),
        *(
            (w, False)
            for w in ("nej", "nei", "ei", "no", "false", "0", "FALSKT", "FALSK", "USANN", "EPÄTOSI", "ÓSATT")
        ),
    ],
)
def test_yes_and_no_in_seven_languages_and_excels_true_and_false(written, value):
    assert read_boolean(written, "sv")[0] is value


def test_a_boolean_that_is_neither_names_the_words_to_use():
    with pytest.raises(CellError) as refused:
        read_boolean("kanske", "is")
    assert "já" in refused.value.message and "nei" in refused.value.message
