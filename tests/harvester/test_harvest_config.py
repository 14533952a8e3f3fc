"""Sources file and settings: clear refusals that name the key and the fix; the CLI end to end."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc, harvest_command, member, wait_for

from stafett.harvester.fetch import Fetched
from stafett.harvester.parse import PageParser
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import load_sources, parse_sources
from stafett.problems import Problem


def test_sources_file_round_trip(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[sources.vaxjo]\nurl = "https://vaxjo.example/"\nnamespaces = ["https://vaxjo.example/"]\n'
        'interval = 600\n\n[sources.se]\nurl = "https://se.example/"\naggregator = true\n'
        'relay = ["https://vaxjo.example/"]\n'
    )
    vaxjo, se = load_sources(path)
    assert vaxjo.owns("https://vaxjo.example/case/1") == "https://vaxjo.example/"
    assert vaxjo.may_relay("https://other.example/case/1") is None and vaxjo.interval == 600
    assert se.may_relay("https://vaxjo.example/case/1") and se.owns("https://vaxjo.example/case/1") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sources": {"Bad Name": {"url": "https://x/", "namespaces": ["https://x/"]}}}, "lower-case"),
        ({"sources": {"a": {"namespaces": ["https://x/"]}}}, "needs url"),
        ({"sources": {"a": {"url": "file:///etc/passwd", "namespaces": ["https://x/"]}}}, "must be http(s)"),
        ({"sources": {"a": {"url": "https://x/"}}}, "needs namespaces"),
        ({"sources": {"a": {"url": "https://x/", "namespaces": ["x"]}}}, "http(s) IRI prefix"),
        (
            {"sources": {"a": {"url": "https://x/", "namespaces": ["https://x/"], "aggregator": "yes"}}},
            "true or false",
        ),
    ],
)
def test_bad_sources_are_refused_with_the_fix(data, message):
    with pytest.raises(Problem) as err:
        parse_sources(data)
    assert message in err.value.detail


def test_settings_from_environment_name_the_variable():
    settings = RegistrySettings.from_env(
        {
            "STAFETT_REGISTRY_ALLOW_LOOPBACK": "true",
            "STAFETT_REGISTRY_MAX_PAGES": "7",
            "STAFETT_REGISTRY_BASE_URL": "http://r",
        }
    )
    assert settings.allow_loopback and settings.max_pages == 7 and settings.base_url == "http://r/"
    with pytest.raises(Problem) as err:
        RegistrySettings.from_env({"STAFETT_REGISTRY_MAX_PAGES": "many"})
    assert "STAFETT_REGISTRY_MAX_PAGES expects int" in err.value.detail
    with pytest.raises(Problem) as err:
        RegistrySettings(store="external")
    assert "external_query_url" in err.value.detail


def test_cli_harvest_run_reports_per_source(tmp_path):
    node = FeedServer()
    try:
        node.publish("Create", case_doc(node.base, "c0"))
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[sources.n]\nurl = "{node.base}"\nnamespaces = ["{node.base}"]\n')
        command = harvest_command(tmp_path / "r", sources)
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "n: ok, 1 new members, 1 accepted" in done.stdout
        refused = subprocess.run(
            harvest_command(tmp_path / "r", sources, allow_loopback=False),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode == 1 and "non-public address" in refused.stderr
    finally:
        node.stop()


def test_parser_in_a_worker_process_returns_the_same_quads_and_survives_a_crash(tmp_path):
    node = FeedServer()
    try:
        node.publish("Create", case_doc(node.base, "c0"))
        body = ox.serialize(member(node.stream, node.events[0]), format=ox.RdfFormat.TRIG)
        fetched = Fetched(
            node.base + "feed/page/0", 200, httpx.Headers({"content-type": "application/trig"}), body
        )
        isolated = PageParser(RegistrySettings(data_dir=tmp_path, parser_isolation="always"))
        inline = PageParser(RegistrySettings(data_dir=tmp_path, parser_isolation="never"))
        try:
            assert ox.Dataset(isolated.quads(fetched, "n")) == ox.Dataset(inline.quads(fetched, "n"))
            deep = Fetched(
                fetched.url,
                200,
                httpx.Headers({"content-type": "application/ld+json"}),
                b"[" * 3000 + b"]" * 3000,
            )
            with pytest.raises(Problem) as err:
                isolated.quads(deep, "n")
            assert err.value.status == 413
            [pid] = isolated.worker.pids()
            os.kill(pid, signal.SIGKILL)  # what a parser segfault looks like from outside
            wait_for(lambda: not Path(f"/proc/{pid}").exists(), 5, "the killed worker to be reaped")
            with pytest.raises(Problem) as err:
                isolated.quads(fetched, "n")
            assert "crashed" in err.value.detail
            assert ox.Dataset(isolated.quads(fetched, "n")) == ox.Dataset(inline.quads(fetched, "n"))
        finally:
            isolated.close()
    finally:
        node.stop()


def test_cli_names_missing_sources_and_a_busy_store(tmp_path):
    base = [sys.executable, "-m", "stafett", "harvest", "run", "--data-dir", str(tmp_path / "r")]
    done = subprocess.run(base, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "pass --sources FILE" in done.stderr and "Traceback" not in done.stderr
    from stafett.harvester.registry import Registry

    holder = Registry(RegistrySettings(data_dir=tmp_path / "r"), sources=[])
    try:
        with pytest.raises(Problem) as err:
            Registry(RegistrySettings(data_dir=tmp_path / "r"), sources=[])
        assert err.value.slug == "store-busy"
    finally:
        holder.close()
    Registry(RegistrySettings(data_dir=tmp_path / "r"), sources=[]).close()  # close() released the store


def test_trusted_proxies_are_read_from_the_environment_and_checked():
    settings = RegistrySettings.from_env({"STAFETT_REGISTRY_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16"})
    assert settings.trusted_proxies == "10.0.0.5, 10.1.0.0/16"
    assert RegistrySettings().trusted_proxies == ""  # off by default
    with pytest.raises(Problem) as err:
        RegistrySettings(trusted_proxies="proxy.example")
    assert "trusted_proxies" in err.value.detail and "proxy.example" in err.value.detail
