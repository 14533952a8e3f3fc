"""The answers `stafett node init` asks for, each checked the moment it is given.

On a terminal a wrong answer is said at once and the question asked again, so nobody starts over
after the fifth question. Without a terminal (flags only) every wrong or missing flag is named
in one message. The country may be written as its code or its name in any of the seven languages
("Sverige", "Suomi", "Ísland", "Danmark", "Norja"); the organisation's name may be a bare name
(it is then the name in the first publishing language) or `sv=...;en=...`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stafett.node.settings import LANGUAGE_TAG, parse_org_name
from stafett.problems import Problem

BASE_URL = re.compile(r"^https?://[^/\s]+/(\S*/)?$")


class WrongAnswer(ValueError):
    """The answer cannot be used; the message says why and what to write."""


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    default: str | None
    optional: bool = False


QUESTIONS = (
    Question("base_url", "Public base URL", "http://127.0.0.1:8100/"),
    Question("country", "Country (a name such as Sverige or Suomi, or a code such as SWE)", "SWE"),
    Question("languages", "Publishing languages", "sv,en"),
    Question(
        "org_name", "Organisation name, e.g. Växjö kommun (or sv=Växjö kommun;en=Växjö Municipality)", None
    ),
    Question("org_number", "Organisation number (leave empty if you do not know it)", "", optional=True),
)


def check_base_url(text: str, answers: dict) -> str:
    url = text.strip()
    if BASE_URL.match(url):
        return url
    if BASE_URL.match(url + "/"):
        return url + "/"  # the one slip everybody makes
    raise WrongAnswer(f"{text!r} is not an http(s) address such as https://cases.lillby.se/")


def check_country(text: str, answers: dict) -> str:
    from stafett.node.sheet_codes import lookup_code

    found = lookup_code("country", text.strip(), "en")
    if found.code is None or not re.fullmatch(r"[A-Z]{3}", found.code):
        raise WrongAnswer(f"{text!r} is not a country; write its name (Sverige, Norge, Suomi) or code (SWE)")
    return found.code


def check_languages(text: str, answers: dict) -> tuple[str, ...]:
    tags = tuple(t.strip().lower() for t in text.replace(";", ",").split(",") if t.strip())
    wrong = [t for t in tags if not LANGUAGE_TAG.match(t)]
    if not tags or wrong:
        raise WrongAnswer(f"{text!r} is not a list of language tags such as sv,en")
    return tags


def check_org_name(text: str, answers: dict) -> dict[str, str]:
    text = text.strip()
    if not text:
        raise WrongAnswer("the organisation needs a name")
    if "=" not in text:
        languages = answers.get("languages") or ("en",)
        return {languages[0]: text}
    try:
        return parse_org_name(text)
    except Problem:
        raise WrongAnswer(
            f"{text!r}: write a name, or pairs like sv=Växjö kommun;en=Växjö Municipality"
        ) from None


def check_org_number(text: str, answers: dict) -> str | None:
    from stafett.shapes.orgnumbers import is_valid, register_name

    number = text.strip()
    if not number:
        return None
    country = answers.get("country", "")
    if not is_valid(number, country):
        raise WrongAnswer(
            f"{number!r} is not a valid {register_name(country)} (format or check digit); copy it from "
            "the national register, or leave it out (empty)"
        )
    return number


CHECKS: dict[str, Callable[[str, dict], object]] = {
    "base_url": check_base_url,
    "country": check_country,
    "languages": check_languages,
    "org_name": check_org_name,
    "org_number": check_org_number,
}


def gather(
    given: dict[str, str | None], ask: Callable[[str], str] | None, tell: Callable[[str], None]
) -> dict:
    """Checked answers. `ask` prompts on a terminal (None: no terminal, flags only)."""
    answers: dict = {}
    wrong: list[str] = []
    for question in QUESTIONS:
        flag = "--" + question.key.replace("_", "-")
        raw = given.get(question.key)
        while True:
            if raw is None and ask is None:
                if question.optional:
                    answers[question.key] = None
                else:
                    wrong.append(f"{flag} is required (no terminal to ask on)")
                break
            if raw is None:
                shown = f" [{question.default}]" if question.default else ""
                raw = ask(f"{question.text}{shown}: ").strip() or (question.default or "")
            try:
                answers[question.key] = CHECKS[question.key](raw, answers)
                break
            except WrongAnswer as error:
                if ask is None:
                    wrong.append(f"{flag}: {error}")
                    break
                tell(f"  {error}; try again")
                raw = None
    if wrong:
        raise SystemExit("stafett node init: " + "; ".join(wrong))
    return answers
