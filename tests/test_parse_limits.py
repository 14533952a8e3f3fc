"""The bracket-depth guard in front of the Turtle/TriG parser: never under-counts, skips flat formats."""

import time

import pytest

from stafett.problems import Problem
from stafett.vocabulary.jsonld import Limits, parse_document

LIMITS = Limits(max_bytes=10_000_000, max_depth=8)  # refuses more than 32 nested brackets
DEEP = 200  # well over the limit, far below what crashes the parser
EX = "@prefix ex: <https://ex.example/> .\n"


def nested(depth: int) -> bytes:
    """`ex:s ex:p [ ex:p [ ... 1 ] ] .`: `depth` blank nodes, one inside the other."""
    return (EX + "ex:s ex:p " + "[ ex:p " * depth + "1" + " ]" * depth + " .\n").encode()


def refused(raw: bytes, media_type: str = "text/turtle") -> Problem:
    with pytest.raises(Problem) as err:
        parse_document(raw, media_type, limits=LIMITS)
    return err.value


def test_deep_turtle_is_refused_and_shallow_turtle_parses():
    assert refused(nested(DEEP)).status == 413
    assert len(parse_document(nested(5), "text/turtle", limits=LIMITS)) == 6


@pytest.mark.parametrize(
    "filler",
    [
        '"' + ")" * 40 + '"',  # a short string full of closers
        "'" + "]" * 40 + "'",
        '"""' + ")]\n" * 40 + '"""',  # a long string, across lines
        "'''" + "])" * 40 + "'''",
        '"\\" ))))"',  # an escaped quote must not end the string early
        "<https://ex.example/a))))))))>",  # an IRI full of closers
    ],
)
def test_closers_inside_strings_and_iris_do_not_cancel_real_nesting(filler):
    raw = (EX + "ex:s ex:p " + " ex:p [ ".join([""] + [f"ex:q {filler} ;"] * DEEP)).encode()
    raw += b"ex:o 1" + b" ]" * DEEP + b" .\n"
    assert refused(raw).status == 413


def test_closers_in_comments_and_escapes_do_not_cancel_real_nesting():
    comment = "# ))))))))))))))))))))))))))))))))))))))))))\n"
    raw = (EX + "ex:s ex:p " + f"ex:p [ {comment}" * DEEP + "ex:o 1" + " ]" * DEEP + " .\n").encode()
    assert refused(raw).status == 413
    escaped = EX + "ex:s ex:p " + "ex:p [ ex:q ex:a\\#b ;" * DEEP + "ex:o 1" + " ]" * DEEP + " .\n"
    assert refused(escaped.encode()).status == 413  # `\#` in a name starts no comment


def test_unterminated_string_cannot_hide_nesting():
    raw = (EX + 'ex:s ex:p "open ' + "[ " * DEEP + "\n").encode()
    assert refused(raw).status == 413


def test_brackets_inside_strings_and_iris_do_not_count():
    literal = '"' + "[(" * 100 + '"'
    raw = EX + f"ex:s ex:p {literal} ; ex:q <https://ex.example/((((((((((((((((((((((((((((((((((((((> .\n"
    raw += "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"
    quads = parse_document(raw.encode(), "text/turtle", limits=LIMITS)
    assert quads[0].object.value == "[(" * 100


def test_deep_trig_is_refused():
    raw = nested(DEEP).replace(b"ex:s ex:p ", b"ex:g { ex:s ex:p ", 1).replace(b" .\n", b" . }\n")
    assert refused(raw, "application/trig").status == 413


# These two guard against a scan or parse that grows badly with the page, not against a slow
# machine: they count this process's CPU seconds (0.27 s for the Turtle page here), because a CI
# machine under load took 7.2 wall seconds for it.
CPU_NOT_WALL = "the scan took more than 2 CPU seconds: is it quadratic again?"


def test_flat_formats_are_not_scanned_and_parse_fast():
    line = '<https://ex.example/s> <https://ex.example/p> "(((((([[[[[[" <https://ex.example/g> .\n'
    raw = (line * 20_000).encode()
    started = time.process_time()
    quads = parse_document(raw, "application/n-quads", limits=LIMITS)
    assert len(quads) == 20_000
    assert time.process_time() - started < 2.0, CPU_NOT_WALL


def test_the_scan_is_fast_on_a_large_turtle_page():
    member = 'ex:c{i} ex:p [ ex:q "a (note)" ; ex:r ( ex:a ex:b ) ] .\n'
    raw = (EX + "".join(member.format(i=i) for i in range(20_000))).encode()
    started = time.process_time()
    assert len(parse_document(raw, "text/turtle", limits=LIMITS)) > 20_000
    assert time.process_time() - started < 2.0, CPU_NOT_WALL
