"""`stafett verify FILE|URL`: who signed a case, when, with which key, and whether it verifies.

The same check the harvester makes on every member (harvester/verify.py): the key is fetched from
the node the case belongs to with the harvester's Fetcher (its deadlines, byte caps and address
checks; `--allow-loopback` for local nodes), or read from `--keys FILE` (a node's catalogue saved
as Turtle or JSON-LD) for offline checks. Exit codes, for scripts:

  0 verified · 1 invalid, unknown key or revoked key · 3 unsigned · 2 unreadable input or usage
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

EXIT = {"verified": 0, "invalid": 1, "unknown-key": 1, "revoked-key": 1, "unsigned": 3}


def register(subparsers) -> None:
    p = subparsers.add_parser("verify", help="check the publisher's signature on a case (file or URL)")
    p.add_argument(
        "target", metavar="FILE|URL", help="a case document (.jsonld, .ttl, .nt, .nq, .trig) or its URL"
    )
    p.add_argument(
        "--keys", type=Path, help="the publisher's key document (its catalogue) instead of fetching it"
    )
    p.add_argument(
        "--allow-loopback", action="store_true", help="allow fetching from 127.0.0.1/::1 (local nodes)"
    )
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(handler=run_verify)


def run_verify(args) -> int:
    import orjson

    outcome = asyncio.run(check(args))
    if args.json:
        print(orjson.dumps(outcome, option=orjson.OPT_INDENT_2).decode())
    else:
        for label, key in (("case", "case"), ("signed by", "signer"), ("when", "created"), ("key", "key")):
            print(f"{label + ':':11}{outcome.get(key) or '-'}")
        print(f"{'result:':11}{outcome['status']}: {outcome['reason']}")
    return EXIT[outcome["status"]]


async def check(args) -> dict:
    from stafett.harvester.fetch import Fetcher
    from stafett.harvester.settings import RegistrySettings
    from stafett.harvester.verify import Verifier
    from stafett.integrity.proofs import find_proofs

    settings = RegistrySettings(allow_loopback=args.allow_loopback, user_agent="stafett-verify/0.1")
    verifier = Verifier(settings)
    try:
        async with Fetcher(settings) as fetcher:
            triples = await read_target(args.target, fetcher, settings)
            proofs = find_proofs(triples)[1]
            case = proofs[0].subject.value if proofs else None
            if args.keys:
                verifier.documents = preloaded(args.keys, settings)
            result = await verifier.check(fetcher, triples, case or "", "stafett verify")
    finally:
        verifier.close()
    return {
        "case": case,
        "status": result.status,
        "reason": result.reason,
        "key": result.key,
        "created": result.created,
        "signer": signer_name(triples, result.controller) if result.controller else None,
    }


async def read_target(target: str, fetcher, settings):
    import pyoxigraph as ox

    from stafett.harvester.parse import page_limits
    from stafett.vocabulary.jsonld import SUFFIX_MEDIA_TYPES, parse_document

    if target.startswith(("http://", "https://")):
        fetched = await fetcher.get(
            target, source="stafett verify", accept="text/turtle, application/ld+json;q=0.9"
        )
        body, media, base = fetched.body, fetched.media_type or "text/turtle", fetched.url
    else:
        path = Path(target)
        if not path.exists():
            print(f"stafett verify: no such file {target}", file=sys.stderr)
            raise SystemExit(2)
        body, media, base = (
            path.read_bytes(),
            SUFFIX_MEDIA_TYPES.get(path.suffix, "text/turtle"),
            path.resolve().as_uri(),
        )
    quads = parse_document(body, media, base_iri=base, limits=page_limits(settings), source=target)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def preloaded(path: Path, settings) -> dict:
    """The key document from a file, cached as if fetched now (for every key IRI it describes)."""
    import time

    from stafett.harvester.parse import page_limits
    from stafett.integrity.published import published_keys
    from stafett.vocabulary.jsonld import SUFFIX_MEDIA_TYPES, parse_document

    media = SUFFIX_MEDIA_TYPES.get(path.suffix, "text/turtle")
    keys = published_keys(
        parse_document(
            path.read_bytes(), media, base_iri=path.resolve().as_uri(), limits=page_limits(settings)
        )
    )
    return {iri.split("#", 1)[0]: (time.monotonic() + 10**9, keys) for iri in keys}


def signer_name(triples, controller: str) -> str:
    """The controller with its name when the case describes it (a node names its publisher)."""
    from stafett.vocabulary.terms import FOAF

    names = sorted(
        t.object.value
        for t in triples
        if t.subject.value == controller and t.predicate.value == FOAF + "name"
    )
    return f"{names[0]} <{controller}>" if names else controller
