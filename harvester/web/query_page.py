"""The query page for people: `/query` (HTML form, example queries, seven languages) and its script.

Example queries are shipped with the endpoint's package (`harvester/sparql/examples/*.rq`, copies
of the repository's `examples/queries/`, kept equal by a test) so an installed registry has them without the
repository. The page is plain HTML: a query in the URL (`/query?query=...`) is run through the
endpoint's own service and its results rendered on the server, every IRI a link with its label in
the reader's language (query_results.py), so it works without JavaScript. Another format than the
table is a 303 to /sparql with the same query. The script only saves the reload: it fetches the
same page and swaps its results in. Words: stafett/interface/registry.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from stafett import languages, texts
from stafett.harvester import sparql
from stafett.harvester.sparql.service import SparqlService
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.harvester.web import query_results
from stafett.languages import ENDONYMS, SUPPORTED
from stafett.vocabulary.terms import DCT, STF

HERE = Path(__file__).parent
EXAMPLES_DIR = Path(sparql.__file__).parent / "examples"
DEFAULT_QUERY = f"""PREFIX stafett: <{STF}>
PREFIX dct: <{DCT}>
SELECT ?case ?title WHERE {{
  ?case a stafett:Case ; dct:title ?title .
}} LIMIT 20
"""
# `format` values of the form other than the table: answered by /sparql itself.
RAW_FORMATS = ("json", "xml", "csv", "tsv", "turtle", "jsonld")
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


def routes(
    settings: SparqlSettings,
    service: SparqlService | None = None,
    store: ox.Store | None = None,
    base_url: str = "/",
    examples_dir: Path = EXAMPLES_DIR,
    feed_url: str | None = None,
) -> list[Route]:
    """`service` runs a query given in the URL (None: the page only shows the form); `store` gives
    labels of cases and organisations (None: the vocabulary's labels only); `feed_url` is linked
    from the header when the server has a change feed."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    template = env.get_template("query.html")
    examples = load_examples(examples_dir)
    script = (HERE / "static" / "query.js").read_bytes()

    async def page(request: Request) -> Response:
        params = request.query_params
        lang = languages.pick(request.headers.get("accept-language"), requested=params.get("lang"))
        asked = params.get("query")
        chosen_format = params.get("format", "table")
        if asked is not None and chosen_format in RAW_FORMATS:
            target = "/sparql?" + urlencode({"query": asked, "format": chosen_format})
            return RedirectResponse(target, 303)
        outcome = None
        if asked and service is not None:
            client = request.client.host if request.client else "unknown"
            endpoint = str(request.url_for("sparql_endpoint"))
            outcome = await query_results.run(service, asked, store, lang, client, endpoint, base_url)
        chosen = next((e for e in examples if e.name == params.get("example")), None)
        t = texts.words("registry", lang)
        default = chosen.text if chosen else (examples[0].text if examples else DEFAULT_QUERY)
        html = template.render(
            lang=lang,
            t=t,
            common=texts.words("common", lang),
            languages=[(code, ENDONYMS[code]) for code in SUPPORTED],
            examples=[(e.name, e.title(lang)) for e in examples],
            example_name=chosen.name if chosen else "",
            query=asked if asked is not None else default,
            asked=asked,
            chosen_format=chosen_format,
            outcome=outcome,
            limits=t["query_limits"].format(timeout=f"{settings.timeout_seconds:g}", rows=settings.max_rows),
            endpoint=str(request.url_for("sparql_endpoint")),
            page_path="/query",
            script_url="/query.js",
            api_url="/api",
            api_label=t["api_title"],
            feed_url=feed_url,
            feed_label=texts.word("exports", "feed_title", lang),
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
