"""The query page for people: `/query` (HTML form, example queries, seven languages) and its script.

Example queries are shipped with the endpoint's package (`harvester/sparql/examples/*.rq`, copies
of the repository's `examples/queries/`, kept equal by a test) so an installed registry has them without the
repository. The page is plain HTML; a small script renders SELECT results as a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from stafett.harvester import sparql
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.harvester.web.text import API_TEXT, LANGUAGE_NAMES, TEXT, pick_language
from stafett.languages import SUPPORTED
from stafett.vocabulary.terms import DCT, STF

HERE = Path(__file__).parent
EXAMPLES_DIR = Path(sparql.__file__).parent / "examples"
DEFAULT_QUERY = f"""PREFIX stafett: <{STF}>
PREFIX dct: <{DCT}>
SELECT ?case ?title WHERE {{
  ?case a stafett:Case ; dct:title ?title .
}} LIMIT 20
"""
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


# "# Title (en): ..." / "# Titel (sv): ..." header lines of the example files.
TITLE_LINE = re.compile(r"^#\s*\w+\s*\(([a-z]{2})\)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class Example:
    name: str
    titles: dict[str, str]
    text: str

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("en") or self.name.replace("-", " ")


def load_examples(directory: Path = EXAMPLES_DIR) -> list[Example]:
    """Each `.rq` file, with its titles by language from its header comments."""
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        titles = {m[1]: m[2] for line in text.splitlines() if (m := TITLE_LINE.match(line))}
        examples.append(Example(path.stem, titles, text))
    return examples


def routes(settings: SparqlSettings, examples_dir: Path = EXAMPLES_DIR) -> list[Route]:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    template = env.get_template("query.html")
    examples = load_examples(examples_dir)
    script = (HERE / "static" / "query.js").read_bytes()

    def page(request: Request) -> Response:
        lang = pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))
        chosen = next((e for e in examples if e.name == request.query_params.get("example")), None)
        t = TEXT[lang]
        html = template.render(
            lang=lang,
            t=t,
            languages=[(code, LANGUAGE_NAMES[code]) for code in SUPPORTED],
            examples=[(e.name, e.title(lang)) for e in examples],
            example_name=chosen.name if chosen else "",
            query=chosen.text if chosen else (examples[0].text if examples else DEFAULT_QUERY),
            limits=t["limits"].format(timeout=f"{settings.timeout_seconds:g}", rows=settings.max_rows),
            endpoint=str(request.url_for("sparql_endpoint")),
            endpoint_path="/sparql",
            script_url="/query.js",
            api_url="/api",
            api_label=API_TEXT[lang]["api_title"],
        )
        return HTMLResponse(
            html,
            headers={"Content-Security-Policy": CSP, "Content-Language": lang, "Vary": "Accept-Language"},
        )

    def query_script(request: Request) -> Response:
        return Response(
            script,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300"},
        )

    return [Route("/query", page, methods=["GET"]), Route("/query.js", query_script, methods=["GET"])]
