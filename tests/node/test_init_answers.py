"""`stafett node init` checks each answer as it is given and asks again (issue 14, item 8): the
newcomer who typed "Lillby kommun" and "Sverige" is never sent back to the first question."""

from __future__ import annotations

import os
import pathlib
import pty
import subprocess
import sys
import tomllib

import pytest

from stafett.node.init_answers import gather


def scripted(answers: list[str]):
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return answers.pop(0)

    return ask, asked


@pytest.mark.parametrize(
    ("written", "code"),
    [("Sverige", "SWE"), ("Suomi", "FIN"), ("Finland", "FIN"), ("Ísland", "ISL"), ("Danmark", "DNK"),
     ("Norge", "NOR"), ("Noreg", "NOR"), ("Noregur", "NOR"), ("nor", "NOR"), ("Islanti", "ISL")],
)  # fmt: skip
def test_a_country_is_accepted_by_its_name_in_the_seven_languages(written, code):
    ask, _ = scripted(["http://127.0.0.1:9/", written, "sv", "Lillby kommun", ""])
    assert gather({}, ask, print)["country"] == code


def test_a_wrong_answer_is_said_at_once_and_asked_again():
    told: list[str] = []
    ask, asked = scripted(
        [
            "127.0.0.1:9",
            "http://127.0.0.1:9",
            "Narnia",
            "Sverige",
            "sv,en",
            "Lillby kommun",
            "212000-0000",
            "",
        ]
    )
    answers = gather({}, ask, told.append)
    assert answers["base_url"] == "http://127.0.0.1:9/"  # the missing slash is added, not refused
    assert answers["country"] == "SWE" and answers["languages"] == ("sv", "en")
    assert answers["org_name"] == {"sv": "Lillby kommun"} and answers["org_number"] is None
    assert len(asked) == 8 and len(told) == 3
    assert "Narnia" in told[1] and "try again" in told[1] and "organisationsnummer" in told[2]
    assert asked[3].startswith("Country")  # asked again right after the wrong country, not at the end


def test_without_a_terminal_every_wrong_flag_is_named_in_one_message():
    with pytest.raises(SystemExit) as refused:
        gather({"base_url": "nowhere", "country": "Narnia", "languages": "sv", "org_name": "X"}, None, print)
    assert "--base-url" in str(refused.value) and "--country" in str(refused.value)


def test_init_on_a_real_terminal_asks_again_and_creates_the_node(tmp_path):
    leader, follower = pty.openpty()
    answers = "http://127.0.0.1:9/\nNarnia\nSverige\nsv,en\nLillby kommun\n\n"
    process = subprocess.Popen(
        [sys.executable, "-m", "stafett", "node", "init", "--data-dir", str(tmp_path / "node")],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(follower)
    os.write(leader, answers.encode())
    out, err = process.communicate(timeout=120)
    os.close(leader)
    assert process.returncode == 0, err
    assert "'Narnia' is not a country" in err and "try again" in err
    settings = tomllib.loads(pathlib.Path(tmp_path / "node" / "node.toml").read_text("utf-8"))
    text = str(settings)
    assert "SWE" in text and "Lillby kommun" in text
    assert "editor token" in out
