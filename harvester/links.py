"""Addresses of the registry's pages for people, in one place so that one line changes them.

Atom entries, CSV rows and the change feed's page all link a case to the registry's page about it;
the page itself is harvester/web's (`/case?id=<case IRI>`).
"""

from __future__ import annotations

from urllib.parse import quote


def case_page_url(iri: str, base_url: str) -> str:
    """The registry's page for people about the case."""
    return f"{base_url}case?id={quote(iri, safe='')}"
