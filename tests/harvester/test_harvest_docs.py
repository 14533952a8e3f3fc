"""Every registry setting and route is documented in docs/harvester.md."""

from dataclasses import fields
from pathlib import Path

from stafett.harvester.api import catalogue, feed, openapi, reports, search
from stafett.harvester.registry import Registry
from stafett.harvester.settings import ENV_PREFIX, RegistrySettings
from stafett.harvester.web import api_page, case_page, search_page

DOC = (Path(__file__).resolve().parents[2] / "docs" / "harvester.md").read_text("utf-8")


def test_every_setting_is_documented_with_its_environment_variable():
    missing = [
        f.name
        for f in fields(RegistrySettings)
        if f.name != "extra" and not (f"| {f.name} " in DOC or f" {f.name} /" in DOC or f"/ {f.name} " in DOC)
    ]
    assert not missing, f"document these settings in docs/harvester.md: {missing}"
    for f in fields(RegistrySettings):
        if f.name not in ("extra",):
            assert ENV_PREFIX + f.name.upper() in DOC, f.name


def test_every_route_is_documented(tmp_path):
    registry = Registry(RegistrySettings(data_dir=tmp_path), sources=[])
    try:
        document = openapi.openapi_document(registry.settings.base_url, "R")
        routes = [
            *catalogue.routes(registry),
            *feed.routes(registry),
            *reports.routes(registry),
            *search.routes(registry),
            *search_page.routes(registry),
            *case_page.routes(registry),
            *openapi.routes(document),
            *api_page.routes(document, "R"),
        ]
        paths = [route.path.replace("{k:int}", "{k}") for route in routes]
    finally:
        registry.close()
    missing = [p for p in paths if f"`{p}`" not in DOC]
    assert not missing, f"document these routes in docs/harvester.md: {missing}"
