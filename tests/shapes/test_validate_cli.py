"""`stafett validate` as a publisher runs it: real subprocesses, exit codes, languages, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from shapes_support import INVALID_DIR, REPO, minimal_case

from stafett.cli import main
from stafett.shapes.messages import LANGUAGES, say

TURTLE_CASE = """@prefix stf: <https://w3id.org/stafett/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://test.stafett.example/case/ttl> a stf:Case ;
    dct:title "Ärende i Turtle"@sv ;
    dct:description "Ett ärende skrivet i Turtle."@sv ;
    <http://www.w3.org/ns/adms#status> <https://w3id.org/stafett/concept/case-status/pilot> ;
    dct:spatial <http://publications.europa.eu/resource/authority/country/SWE> ;
    dct:language <http://publications.europa.eu/resource/authority/language/SWE> ;
    stf:buyer [ <http://xmlns.com/foaf/0.1/name> "Kommunen"@sv ] .
"""


def stafett(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stafett", "validate", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_valid_turtle_file_exits_0_and_says_so(tmp_path):
    path = tmp_path / "case.ttl"
    path.write_text(TURTLE_CASE, "utf-8")
    done = stafett(str(path), "--lang", "fi")
    assert done.returncode == 0, done.stdout.decode()
    out = done.stdout.decode()
    assert "https://test.stafett.example/case/ttl" in out
    assert say("Warning", "fi") in out  # warnings are shown but do not fail


def test_violation_exits_1_with_a_report_in_swedish():
    done = stafett(str(INVALID_DIR / "missing-title.jsonld"), "--lang", "sv")
    assert done.returncode == 1
    out = done.stdout.decode()
    assert f"{say('Violation', 'sv')}: title:" in out
    assert say("file", "sv") in out and "saknas" in out
    assert "Traceback" not in done.stderr.decode()


def test_folder_json_output_for_machines():
    done = stafett(str(INVALID_DIR), "--format", "json")
    assert done.returncode == 2  # the folder holds unreadable documents too
    body = json.loads(done.stdout)
    files = {f["file"].rsplit("/", 1)[-1]: f for f in body["files"]}
    assert len(files) == len(list(INVALID_DIR.glob("*.jsonld")))
    assert not any(name.endswith(".expected.json") for name in files)
    assert files["not-json.jsonld"]["readable"] is False
    assert files["not-json.jsonld"]["problem"]["status"] == 400
    assert files["missing-buyer.jsonld"]["conforms"] is False
    assert body["summary"]["unreadable"] == 3


def test_stdin_with_media_type():
    ok = stafett("-", "--media-type", "text/turtle", "--format", "json", stdin=TURTLE_CASE.encode())
    assert ok.returncode == 0 and json.loads(ok.stdout)["files"][0]["file"] == "<stdin>"
    broken = stafett("-", stdin=b'{"@context": ')
    assert broken.returncode == 2
    assert "Traceback" not in broken.stderr.decode() + broken.stdout.decode()


@pytest.mark.parametrize("name", ["not-json", "unknown-context", "deep-nesting"])
def test_unreadable_input_is_one_clear_line(name, capsys):
    assert main(["validate", str(INVALID_DIR / f"{name}.jsonld")]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(str(INVALID_DIR / name)) and say("unreadable", "en") in out[0]


def test_huge_file_is_refused_without_reading_it_all(tmp_path, capsys):
    path = tmp_path / "huge.jsonld"
    path.write_bytes(b'{"title": "' + b"x" * 2_000_000 + b'"}')
    assert main(["validate", str(path)]) == 2
    assert "limit" in capsys.readouterr().out


def test_missing_file_and_empty_folder_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.jsonld")]) == 2
    assert main(["validate", str(tmp_path)]) == 2
    assert say("no_files", "en") in capsys.readouterr().err


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_its_own_report(lang, tmp_path, capsys):
    path = tmp_path / "case.jsonld"
    path.write_text(json.dumps(minimal_case(title=None)), "utf-8")
    assert main(["validate", str(path), "--lang", lang]) == 1
    out = capsys.readouterr().out
    assert say("required", lang, key="title") in out
    # 6 warnings: need outcome lessonsLearned innovationApproach sector contact; 6 tips
    assert say("summary", lang, files=1, violations=1, warnings=6, infos=6) in out
