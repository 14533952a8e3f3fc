"""Accept-Language is read one way by every component."""

from stafett.languages import pick, ranked_tags


def test_tags_are_ranked_by_q_then_position_and_q0_is_excluded():
    assert ranked_tags("da;q=0.5, sv, fi;q=0, en-GB;q=0.8, *") == ["sv", "en-gb", "da"]


def test_generic_norwegian_prefers_bokmal_then_nynorsk():
    assert pick("no") == "nb"
    assert pick("no", {"nn", "en"}) == "nn"


def test_regional_tags_fall_back_to_their_language():
    assert pick("sv-FI, fi;q=0.9") == "sv"


def test_explicit_request_wins_and_unknowns_fall_back_to_default():
    assert pick("fi", requested="is") == "is"
    assert pick("de, fr;q=0.5") == "en"
    assert pick("fi;q=0, de") == "en"


def test_weighted_values_rank_by_q_then_order_and_drop_unacceptable():
    from stafett.headers import weighted_values

    assert weighted_values("text/turtle;q=0.5, Application/LD+JSON, */*;q=0, text/html;q=bad") == [
        ("application/ld+json", 1.0),
        ("text/turtle", 0.5),
    ]
    assert weighted_values(None) == []
