"""The `stafett node` commands as a user runs them, and the settings they read."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import time

import httpx
import pytest
from writer_support import EXAMPLES, case

from stafett.node.settings import ENV_PREFIX, SETTING_DOCS, NodeSettings, load_settings
from stafett.problems import Problem
from stafett.serving import bind, url_of

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "node.md"


def stafett(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "stafett", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def free_base_url() -> str:
    sock = bind()
    url = url_of(sock)
    sock.close()
    return url


def init(data_dir: pathlib.Path, base: str) -> str:
    result = stafett(
        "node",
        "init",
        "--data-dir",
        str(data_dir),
        "--base-url",
        base,
        "--org-name",
        "sv=Växjö kommun;en=Växjö Municipality",
        "--org-number",
        "212000-0688",
        "--country",
        "SWE",
        "--languages",
        "sv,en",
    )
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("stf_")
    return token


def test_init_then_serve_answers_within_seconds(tmp_path):
    base = free_base_url()
    started = time.monotonic()
    token = init(tmp_path / "node", base)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stafett",
            "node",
            "serve",
            "--data-dir",
            str(tmp_path / "node"),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            assert time.monotonic() - started < 15, "init + serve took too long"
            assert process.poll() is None
            try:
                response = httpx.post(
                    base + "cases", json=case(), timeout=10, headers={"Authorization": f"Bearer {token}"}
                )
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert response.status_code == 201, response.text
        assert response.json()["id"].startswith(base)
        assert time.monotonic() - started < 15
    finally:
        process.kill()
        process.wait(10)


def test_init_refuses_to_overwrite_and_needs_values_without_a_terminal(tmp_path):
    init(tmp_path / "node", "http://127.0.0.1:9/")
    again = stafett(
        "node",
        "init",
        "--data-dir",
        str(tmp_path / "node"),
        "--base-url",
        "http://127.0.0.1:9/",
        "--org-name",
        "sv=X",
        "--country",
        "SWE",
        "--languages",
        "sv",
        check=False,
    )
    assert again.returncode != 0 and "--force" in again.stderr
    missing = stafett("node", "init", "--data-dir", str(tmp_path / "other"), check=False)
    assert missing.returncode != 0 and "--base-url" in missing.stderr
    assert "Traceback" not in missing.stderr + again.stderr


def test_token_commands(tmp_path):
    data_dir = str(tmp_path / "node")
    init(tmp_path / "node", "http://127.0.0.1:9/")
    token = stafett("node", "token", "add", "bot", "--data-dir", data_dir).stdout.strip()
    assert token.startswith("stf_")
    listing = stafett("node", "token", "list", "--data-dir", data_dir).stdout
    assert "editor" in listing and "bot" in listing and token not in listing
    stafett("node", "token", "revoke", "bot", "--data-dir", data_dir)
    assert "revoked" in stafett("node", "token", "list", "--data-dir", data_dir).stdout
    missing = stafett("node", "token", "revoke", "nobody", "--data-dir", data_dir, check=False)
    assert missing.returncode == 1


def test_import_and_export_commands(tmp_path):
    data_dir = str(tmp_path / "node")
    init(tmp_path / "node", "http://127.0.0.1:9/")
    files = [str(p) for p in sorted(EXAMPLES.glob("vaxjo-*.jsonld"))]
    rebase = "https://vaxjo.stafett.example/=http://127.0.0.1:9/"
    dry = stafett("node", "import", "--data-dir", data_dir, "--dry-run", "--rebase", rebase, *files)
    assert "would-create" in dry.stdout
    first = stafett("node", "import", "--data-dir", data_dir, "--rebase", rebase, *files)
    assert f"{len(files)} created" in first.stdout
    second = stafett("node", "import", "--data-dir", data_dir, "--rebase", rebase, *files)
    assert f"{len(files)} unchanged" in second.stdout
    out = tmp_path / "export.json"
    stafett("node", "export", "--data-dir", data_dir, "--out", str(out))
    assert out.read_bytes().count(b'"stafettState": "published"') == len(files)
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    failed = stafett("node", "import", "--data-dir", data_dir, str(bad), check=False)
    assert failed.returncode == 1 and "failed" in failed.stdout


def test_settings_precedence_file_then_env_then_flags(tmp_path):
    (tmp_path / "node.toml").write_text(
        'base_url = "http://127.0.0.1:9/"\norg_name = {sv = "Växjö kommun"}\norg_number = "1"\n'
        'country = "SWE"\nlanguages = ["sv"]\npage_size = 10\nport = 8200\n',
        "utf-8",
    )
    from_file = load_settings(tmp_path, environ={})
    assert from_file.page_size == 10 and from_file.port == 8200 and from_file.languages == ("sv",)
    env = {ENV_PREFIX + "PAGE_SIZE": "20", ENV_PREFIX + "LANGUAGES": "sv,en"}
    from_env = load_settings(tmp_path, environ=env)
    assert from_env.page_size == 20 and from_env.languages == ("sv", "en")
    from_flags = load_settings(tmp_path, {"page_size": 30, "port": None}, environ=env)
    assert from_flags.page_size == 30 and from_flags.port == 8200


def test_bad_settings_name_the_key(tmp_path):
    with pytest.raises(Problem) as err:
        NodeSettings("ftp://x", tmp_path, {"sv": "X"}, "1", "SWE", ("sv",))
    assert "base_url" in err.value.detail
    with pytest.raises(Problem) as err:
        load_settings(tmp_path, environ={ENV_PREFIX + "PAGE_SIZE": "many"})
    assert "page_size" in err.value.detail
    with pytest.raises(Problem) as err:
        load_settings(tmp_path / "empty", environ={})
    assert "base_url" in err.value.detail and "stafett node init" in err.value.detail


def test_every_setting_is_documented():
    text = DOCS.read_text("utf-8")
    missing = [name for name in SETTING_DOCS if f"`{name}`" not in text]
    assert not missing, f"docs/node.md does not document {missing}"
    assert set(SETTING_DOCS) == {f for f in NodeSettings.__dataclass_fields__}


def test_init_checks_a_given_org_number_and_does_without_one(tmp_path):
    """1.1: the number is optional; when given it must pass its register's check digit, so no
    placeholder ends up on every public case page."""
    common = (
        "--base-url",
        "http://127.0.0.1:9/",
        "--org-name",
        "sv=X",
        "--country",
        "SWE",
        "--languages",
        "sv",
    )
    bad = stafett(
        "node",
        "init",
        "--data-dir",
        str(tmp_path / "bad"),
        *common,
        "--org-number",
        "212000-0000",
        check=False,
    )
    assert bad.returncode != 0 and "organisationsnummer" in bad.stderr and "leave it out" in bad.stderr
    assert not (tmp_path / "bad" / "node.toml").exists() and "Traceback" not in bad.stderr
    stafett("node", "init", "--data-dir", str(tmp_path / "none"), *common)
    assert "org_number =" not in (tmp_path / "none" / "node.toml").read_text("utf-8")
    assert load_settings(tmp_path / "none").org_number is None
