"""Generate docs/vocabulary.md from the context, both ontology modules and the concept schemes.

The documentation is a mechanical view of hand-written sources, so it is generated and CI runs
`stafett vocab docs --check` to keep it from going stale. Standard (non-`stf:`) terms have no
definition in our ontology, so their plain-words meaning lives in STANDARD_KEYS below; generation
fails loudly when a context key has no meaning anywhere, which keeps the docs complete.
"""

# ruff: noqa: E501  (Markdown table rows cannot be wrapped; VERSIONS holds one row per line)

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from stafett.vocabulary import (
    CONCEPT_BASE,
    LANGUAGES,
    SCHEMES,
    STF,
    concept_quads,
    ontology_quads,
    reference_quads,
    registry_ontology_quads,
)
from stafett.vocabulary import terms as ns
from stafett.vocabulary.jsonld import context_document

DOCS_PATH = Path(__file__).resolve().parents[1] / "docs" / "vocabulary.md"
RDFS = ns.RDFS
SKOS = ns.SKOS
RDF_TYPE = ns.RDF_TYPE.value
RDF_FIRST = ns.RDF + "first"
RDF_REST = ns.RDF + "rest"
MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
NODE_SET = frozenset({"id", "publisher", "issued", "modified", "version"})
# Keys with neither @type nor @container take a plain JSON string (the others take an object).
STRING_KEYS = frozenset({"orgNumber", "fullName", "version", "identifierScheme", "notation"})
LIST_ALL_BELOW = 30  # reference tables smaller than this are listed code by code
# For the big tables, the codes Nordic publishers need most (all codes are valid).
COMMON_CODES = {
    "country": ("SWE", "NOR", "DNK", "FIN", "ISL"),
    "language": ("SWE", "NOB", "NNO", "DAN", "FIN", "ISL", "ENG"),
    "currency": ("SEK", "NOK", "DKK", "EUR", "ISK"),
    "programme": ("HORIZONEU", "H2020", "ERDF_2021", "DIGITALEU", "LIFE_2021"),
    "cpv": ("48000000", "72000000", "73000000", "34144900", "90511000", "85100000"),
    "municipality": ("SE-0180", "SE-1480", "NO-0301", "NO-4601", "IS-RKV"),
    "region": ("SE-01", "SE-14", "NO-03", "NO-46", "DK-1084", "FI-18", "IS-1"),
    "nuts": ("SE110", "SE232", "NO081", "NO0A2", "DK011", "FI1B1", "IS001"),
}

# Plain-words meaning of keys that map to standard terms (the standards define the terms themselves).
STANDARD_KEYS = {
    "id": "The case's IRI, minted by the node under its base URL.",
    "type": "What the object is: `Case` at the top; nested objects may say `Organization`, `Solution`, …",
    "title": "The name of the case, one per language.",
    "summary": "A short description, one per language (a solution's `summary` likewise).",
    "keyword": "Search words, a list per language.",
    "status": "How far the case has come (optional since 1.1; on a `milestone`, the stage it reached).",
    "date": "When a `milestone` was reached or a `participant` joined: YYYY-MM-DD, or YYYY-MM or YYYY when "
    "that is all that is known.",
    "documentType": "What kind of document a `document` entry is.",
    "procedureType": "The legal procurement procedure used (EU code, on `procedure`).",
    "country": "Country of the case or of an organisation (EU code, e.g. `SWE`).",
    "language": "Languages the case documents are written in (EU codes, e.g. `SWE`, `ENG`); optional since "
    "1.1: when absent, the languages of the texts' tags are meant.",
    "currency": "Currency of an amount (EU code, e.g. `SEK`, `EUR`).",
    "programme": "The EU programme of an `eu-programme` funding (EU code, e.g. `HORIZONEU`).",
    "legalType": "The legal type of a buying organisation (EU code, e.g. `la` for local authority).",
    "cpv": "What was procured, as 8-digit CPV codes without the check digit.",
    "topic": "What the case is about, as codes of the Stafett topic scheme (any number, optional). Reuses "
    "dct:subject, as `sector` does through its sub-property. A registry suggests topics for a case without "
    "any, in its provenance graph only (`stf:suggestedTopic`), never in the case.",
    "publisher": "The organisation publishing the case.",
    "name": "The name of an organisation or a solution, one per language.",
    "orgNumber": "An organisation's national registration number (optional; in SE, NO, DK, FI and IS checked "
    "for format and check digit).",
    "jointProcurement": "`true` when several buyers procured together in one procedure.",
    "cost": "The total value of the case: an object with `amount` and `currency`.",
    "amount": 'A sum of money: an integer, or a decimal written as a string ("1200000.50").',
    "startDate": "When the case started (YYYY-MM-DD, or YYYY-MM or YYYY since 1.1).",
    "endDate": "When the case ended or is planned to end (YYYY-MM-DD, or YYYY-MM or YYYY since 1.1).",
    "relatedCase": "IRIs of other cases worth reading alongside this one.",
    # issue 15 (1.2): planned needs and offers with terms and expiry
    "openForAdoptionUntil": "The last day (YYYY-MM-DD, YYYY-MM or YYYY) the offer to adopt stands; a registry no "
    "longer shows an offer past its day as open. Its terms are `adoptionRoute` (e.g. `framework-call-off`, "
    "`reuse-documents`, `shared-ip`) and `contact`.",
    "openForPartnersUntil": "The last day others can join (YYYY-MM-DD, YYYY-MM or YYYY); for a planned need, how "
    "long it is open to joint procurement. Past it, the case is no longer shown as open.",
    "expectedTenderDate": "A planned need's expected tender date (YYYY-MM-DD, YYYY-MM or YYYY).",
    "expectedStartDate": "A planned need's expected start (YYYY-MM-DD, YYYY-MM or YYYY).",
    "estimatedValue": "A planned need's estimated value: an object with `amount` and `currency` (ePO).",
    "document": "Documents about the case: objects with `url`, `title` and `documentType`.",
    "url": "A web address (of a solution or a document).",
    "contact": "People to contact: objects with `fullName`, `email` (`mailto:`) and `phone` (`tel:`).",
    "fullName": "A contact person's full name.",
    "email": "A contact's e-mail as a `mailto:` IRI.",
    "phone": "A contact's telephone number as a `tel:` IRI.",
    "issued": "When the case was first published.",
    "modified": "When the case last changed.",
    "version": "The case's version number.",
    "DataIntegrityProof": "The class of the node's signature on a case version (W3C Data Integrity).",
    "proof": "The node's signature on this case version (set by the node; see docs/security.md).",
    "cryptosuite": "How the proof was made: always `eddsa-rdfc-2022` (RDFC-1.0 + Ed25519).",
    "created": "When the proof was made (xsd:dateTime).",
    "verificationMethod": "The node's key that made the proof (a Multikey published in the catalogue).",
    "proofPurpose": "Why the proof was made: `assertionMethod` (the publisher asserts the case).",
    "proofValue": "The Ed25519 signature, multibase (base58btc, starting with `z`).",
    "Organization": "An organisation: buyer, supplier, funder or publisher.",
    "Procedure": "A procurement procedure (eProcurement Ontology).",
    "MonetaryValue": "An amount of money in a currency (eProcurement Ontology).",
    "Document": "A document about the case.",
    "participant": 'An organisation that took part, with its `role`s (1.1): `{"organization": {…}, '
    '"role": ["lead-buyer"]}`; `date` says when it joined.',
    "organization": "The organisation of a `participant`.",
    "role": "What a `participant` did in the case (codes of `participant-role`).",
    "partOf": "Projects or programmes the case belongs to (1.1): objects with `name`, `url`, `summary` and "
    "their own `funding`, shared by all their cases.",
    "Participant": "An organisation in a role in the case (PROV qualified attribution).",
    "Project": "A project or programme that several cases can be part of (eProcurement Ontology).",
    "Contact": "A contact point (vCard).",
    # issue 12: places and official notices
    "nuts": "NUTS regions (2021 or 2024 edition) the case concerns, e.g. `SE110` (ePO).",
    "Identifier": "An identifier in a named scheme (ADMS).",
    "noticeIdentifier": "Official notices of the case's procurement: objects with `identifierScheme`, "
    "`notation` and optionally `url` "
    "(see [Official notice identifiers](#notice-identifiers)).",
    "identifierScheme": "The scheme of a `noticeIdentifier`: `ted`, `eforms-procedure`, `doffin`, `hilma`, "
    "`se-annonsdatabas` or `ocds` (ePO).",
    "notation": "The identifier itself, as the scheme writes it (e.g. `00123456-2024`).",
}

INTRO = """\
# The Stafett vocabulary

<!-- Generated by `stafett vocab docs` from vocabulary/context-v1.jsonld, vocabulary/ontology.ttl,
     vocabulary/registry-ontology.ttl and vocabulary/concepts/*.ttl. Do not edit by hand: edit
     those files or the template in vocabulary/docs.py, then run `stafett vocab docs`.
     CI runs `stafett vocab docs --check`. -->

## Write your first case in five minutes

A case is one JSON file. Name the shared context, give the case a title, say what you needed,
how you bought it and what came of it. Texts are objects keyed by language (`en`, `sv`, `nb`,
`nn`, `da`, `fi`, `is`); coded values are plain codes from the tables below. This is the smallest
case the validator accepts without a warning:

```json
{example}
```

1. Save it as `case.jsonld` and run `stafett validate case.jsonld` (add `--lang sv` for Swedish
   messages). Every finding names the JSON key and tells you what to change.
2. Publish it on your node (see docs/node.md). The node sets `id`, `publisher`, `issued`,
   `modified` and `version`; you never write those.
3. Add more as you learn it: `procedure`, `solution`, `funding`, `risks`, `riskSharing`,
   `openForAdoption`, `adoptionRoute`, `document`, and links to other cases (`scaledUpFrom`,
   `adoptedFrom`, `adoptedBy`, `relatedCase`) — others learn most from these. Since 1.1 also
   `milestone` (stages with dates), `participant` (organisations in roles) and `partOf` (the
   project or programme).
4. Write only what your source says. Only `title`, `country`, one of `summary`/`need` and a
   `buyer` are required; a date may be just `"2023"` or `"2023-05"`; see
   [Saying what real records say](#real-records).

Every key below maps to an IRI; the `stf:` ones are defined in the Stafett ontology
(`https://w3id.org/stafett/ns#`), all others are reused from W3C, DCMI and EU standards.
"""

# Kept as text (not a dict) so the docs show it exactly as a person would write it.
MINIMAL_CASE = """\
{"@context": "https://w3id.org/stafett/context/v1",
 "type": "Case",
 "title": {"en": "Sensor-based waste collection", "sv": "Sensorstyrd avfallshämtning"},
 "summary": {"en": "Bins report when they are full, so trucks only drive to full bins."},
 "need": {"en": "Half-empty bins were emptied every week."},
 "outcome": {"en": "A third fewer trips in the pilot area."},
 "lessonsLearned": {"en": "Start the market dialogue early and involve the drivers."},
 "keyword": {"en": ["waste", "sensors"]},
 "status": "pilot",
 "innovationApproach": ["ppi"],
 "sector": ["water-waste"],
 "effect": ["environmental-benefit"],
 "country": "SWE",
 "language": ["ENG"],
 "cpv": ["90511000"],
 "buyer": [{"name": {"sv": "Exempelby kommun"}, "country": "SWE", "legalType": "la"}],
 "cost": {"amount": 250000, "currency": "SEK"},
 "contact": [{"fullName": "Alex Exempel", "email": "mailto:alex@exempelby.example"}]}
"""


VERSIONS = """\
## Versions and change log <a id="versions"></a>

| Part | Version | Where |
|---|---|---|
| JSON-LD context | `https://w3id.org/stafett/context/v1`, revision 1.2 (terms added, none changed or removed) | `vocabulary/context-v1.jsonld` |
| Ontology | {ontology} (`owl:versionIRI` `https://w3id.org/stafett/ns/{ontology}`, `owl:backwardCompatibleWith` 1.0) | `vocabulary/ontology.ttl` |
| Case rules (SHACL shapes and JSON Schema) | {shapes} | `shapes/case-shapes.ttl`, `shapes/case.schema.json` (generated from `shapes/spec.py`) |

The context URL stays `v1`: a 1.1 document is read with the same context file, and every 1.0
document keeps its meaning, because 1.1 only adds terms and codes and relaxes rules. A registry
(`stafett harvest`) therefore accepts both without telling them apart. Two kinds of 1.0 document
are refused by 1.1 on purpose:

- a case with neither `summary` nor `need`: 1.0 only warned, but a case that says nothing about
  what it is cannot be found or learned from, and 1.1 no longer asks for `status` or `language`,
  so a summary or a need is what is left to say what the case is;
- a code written as a label (`"Hälsa, vård och omsorg"`, `"Kronobergs län"`), with a stray space
  (`" pilot"`) or as a node object with a relative id (`{{"id": "SE-07"}}`): JSON-LD turned such a
  value into no triple at all, so 1.0 dropped it unseen and the case passed without it, while the
  JSON Schema refused the same document. 1.1 keeps the value and refuses it with the list of
  codes, so the SHACL shapes, the JSON Schema and the sheet import give the same verdict and the
  publisher learns what was lost.
  A code in the wrong case (`"Pilot"`) was refused by 1.0 already and still is.

### 1.2

- Only adds (issue 15): a **planned need** is a case with `status` `planned` (a new `case-status`
  code), not a class of its own, so it travels in the feed, is searched and is matched like any
  case. It may say `expectedTenderDate` and `expectedStartDate` (partial dates),
  `estimatedValue` (`epo:hasEstimatedValue`, amount and currency), the intended
  `innovationApproach`, whether it is open to joint procurement (`openForPartners` with
  `openForPartnersUntil`), `contact` and places (`municipality`, `region`, `nuts`). None of it
  is required.
- Open offers gain an end: `openForAdoptionUntil` and `openForPartnersUntil`. A registry reads
  them at read time: past its day an offer is not shown or matched as open. The terms of an
  offer are its `adoptionRoute` codes (`framework-call-off`, `reuse-documents` and the new
  `shared-ip`) and its `contact`.
- A planned need is not asked for `outcome`, `lessonsLearned` or `effect` (it cannot know them
  yet); every other case is asked as before.

### 1.1

- Required are only `title`, `country`, one of `summary`/`need` and one `buyer` (the node sets
  `publisher`). `status` and `language` are optional; `fundingType`, a solution's `name` and
  `currency` too. A `funding` entry needs one of `fundingType`, `funder`, `amount`, `programme`;
  a `solution` one of `name`, `summary`, `url`, `supplier`.
- A missing stage is a Warning with a tip: give `status` or `milestone`.
- `milestone` (new): `{{"status": "contract-awarded", "date": "2023-05"}}`, stages from the
  `case-status` codes, which gain `contract-awarded` and `completed`.
- Dates (`startDate`, `endDate`, `date`) may be a year (`xsd:gYear`) or a year and month
  (`xsd:gYearMonth`) as well as a day.
- `participant` (new, PROV qualified attribution): an `organization` with `role`s from the new
  `participant-role` scheme and an optional `date` (when it joined).
- `partOf` (new, `dct:isPartOf` an `epo:Project`): the project or programme with its own `name`,
  `url`, `summary` and `funding`.
- `sector` gains `transport-infrastructure` (narrower than the EU main activities `rail`, `port`,
  `airport`) and `research` (no EU main activity).
- `orgNumber` is optional at `stafett node init` and in cases; when given for a Swedish,
  Norwegian, Danish, Finnish or Icelandic organisation its format and check digit are checked
  (a Warning in documents; `stafett node init` refuses a wrong one).
- A code written as a label with spaces, or as a node object with a relative id, is refused with
  the list of codes (before, JSON-LD dropped it silently and the case passed without it).
- Places (`municipality`, `region`, `nuts`), official notices (`noticeIdentifier`) and the eForms
  innovative acquisition (`procedure.innovativeAcquisition`, BT-776) are new keys; their codes and
  formats are checked (see [How to say it: places and official notices](#howto-places-notices)).
- `language` absent: the node adds the languages of the texts' tags when it publishes.

### 1.0

The first published version.

## Saying what real records say (1.1) <a id="real-records"></a>

35 real Nordic records were written in 1.0 and needed invented facts. How each gap is said now:

| What the record says | 1.0 | Write in 1.1 |
|---|---|---|
| Nothing about the stage, or only "completed or ongoing" | `status` required: guessed | leave `status` out (a Warning reminds you) |
| A stage at a date ("contract awarded in May 2023") | no place | `"milestone": [{{"status": "contract-awarded", "date": "2023-05"}}]` |
| Call, award, start of operation | no place | one `milestone` each: `tendering`, `contract-awarded`, `implemented` |
| "Completed" or "stopped" | no code | `completed`; `discontinued` |
| A year, a month or a season ("spring 2022") | `startDate` refused it | `"startDate": "2022"` or `"2022-03"` (a season: its first month, or just the year) |
| The language of the texts | `language` required: inferred | nothing: the tags (`"title": {{"sv": …}}`) say it |
| A funding programme without its kind | `fundingType` required: inferred | `"funding": [{{"programme": "HORIZONEU"}}]` |
| An amount without a funder or without a currency | could not be written | `{{"amount": 500000}}`; `"cost": {{"amount": 350000}}` |
| A sector the scheme lacked | nearest wrong sector | `transport-infrastructure`, `research` |
| Part of an umbrella EU or national project with shared funding | `relatedCase` at best | `"partOf": [{{"name": {{"en": "Nordic Bridges PCP"}}, "url": "…", "funding": [ … ]}}]` |
| Suppliers, but no solution name | name quoted from prose | `"solution": [{{"supplier": [ … ]}}]` |
| Suppliers who cannot be tied to a solution | could not be written | `"participant": [{{"organization": {{…}}, "role": ["awarded-supplier"]}}]` |
| Partners in roles (coordinator, research partner, legal adviser, facilitator) | summary prose | `participant` with `role` `coordinator`, `research-partner`, `legal-adviser`, `facilitator`, `partner` |
| Lead buyer and participating buyers of a joint procurement | all in `buyer` | `participant` with `lead-buyer` / `participating-buyer` (keep them in `buyer` too) |
| A buyer that joined later | summary prose | `participant` with `role` `follower` and the `date` it joined |
| No organisation number in the record | a placeholder, shown on every page | leave `orgNumber` out; a wrong one gets a Warning naming the register |
| A sector written as its Swedish label | JSON Schema refused, SHACL passed, import dropped it | refused by both and by the import, with the codes to use |
| Any other code written as its label ("Kronobergs län", "Öppet förfarande") | dropped unseen when the label had a space | refused by both and by the import (the finding names the sheet row and column); write the code |
| A national programme (not in the EU table) | summary prose | `"partOf": [{{"name": {{"sv": "Innovationsupphandling i kommuner"}}, "url": "…"}}]`, and its funder as `"funding": [{{"funder": {{"name": {{"sv": "Vinnova"}}}}}}]` |
| The contract value (estimated or awarded) | summary prose | `"cost": {{"amount": 2400000, "currency": "SEK"}}` (`import-notice` fills it from the notice) |
| The municipalities it concerns | no place (country only) | `"municipality": ["SE-0780", "SE-0764"]` (kommunkod, kommunenummer, kommunekode, kuntanumero, sveitarfélagsnúmer with the country prefix) |
| The region it concerns (län, fylke, region, maakunta, landshluti) | no place | `"region": ["SE-07"]` |
| The NUTS region (the notice's place of performance) | no place | `"nuts": ["SE212"]` |
| Its official notice: TED, Doffin, Hilma, the Swedish advertising database, eForms BT-04, OCDS | no place | `"noticeIdentifier": [{{"identifierScheme": "ted", "notation": "00123456-2024"}}]` (`doffin`, `hilma`, `se-annonsdatabas`, `eforms-procedure`, `ocds` likewise) |
| What made the procurement innovative, as the notice says (BT-776) | no place | `"procedure": {{"innovativeAcquisition": ["rd-act"]}}` |
| A grant reference; the number of tenderers | summary prose | no key in 1.1 yet: keep them in `summary` (nothing else is invented to hold them) |
"""


def _index(quads) -> dict:
    """subject -> predicate -> [(value, language)] for quick lookups in small graphs."""
    index: dict = defaultdict(lambda: defaultdict(list))
    for q in quads:
        obj = q.object
        index[q.subject.value][q.predicate.value].append((obj.value, getattr(obj, "language", None)))
    return index


def _in_lang(values, lang: str | None = "en") -> str:
    """The value in `lang` (None: the one without a language tag), or ""."""
    return next((v for v, language in values if language == lang), "")


def expand(term: str, context: dict) -> str:
    """Expand a compact IRI (`stf:need`) with the context's prefixes."""
    prefix, _, local = term.partition(":")
    base = context.get(prefix)
    return base + local if isinstance(base, str) and not local.startswith("//") else term


def key_kind(key: str, definition) -> str:
    """Describe in words what JSON value a key takes, from its context definition."""
    if isinstance(definition, str):
        return "keyword" if definition.startswith("@") else "class name (value of `type`)"
    container = definition.get("@container", [])
    container = [container] if isinstance(container, str) else container
    typ = definition.get("@type")
    if "@language" in container:
        return "list of words per language" if "@set" in container else "text per language"
    if typ == "@vocab":
        return "list of codes" if "@set" in container else "one code"
    if typ == "@id":
        return "list of IRIs" if "@set" in container else "IRI"
    if typ:
        return typ.replace("xsd:", "")
    if key in STRING_KEYS:
        return "string"
    return "list of objects" if "@set" in container else "object"


def key_iri(key: str, definition, context: dict) -> str:
    term = definition if isinstance(definition, str) else definition["@id"]
    return term if term.startswith("@") else expand(term, context)


def key_meaning(key: str, iri: str, ontology: dict) -> str:
    if iri.startswith(STF):
        label = _in_lang(ontology[iri][RDFS + "label"])
        definition = _in_lang(ontology[iri][SKOS + "definition"])
        if not (label and definition):
            raise ValueError(f"{iri} has no English label or definition in vocabulary/ontology.ttl")
        return f"*{label}*: {definition}"
    if key not in STANDARD_KEYS:
        raise ValueError(f"context key {key!r} has no meaning: add it to STANDARD_KEYS in vocabulary/docs.py")
    return STANDARD_KEYS[key]


def versions_section(ontology: dict) -> str:
    """Versions, the change log and how each gap of 1.0 is now written (VERSIONS above)."""
    from stafett.shapes.spec import SHAPES_VERSION
    from stafett.vocabulary import ONTOLOGY_IRI

    version = _in_lang(ontology[ONTOLOGY_IRI][ns.OWL + "versionInfo"], None)
    return VERSIONS.format(ontology=version, shapes=SHAPES_VERSION)


def keys_section(context: dict, ontology: dict) -> list[str]:
    lines = ["## JSON keys", "", "| Key | IRI | Value | Meaning |", "|---|---|---|---|"]
    for key, definition in context.items():
        if key.startswith("@") or (
            isinstance(definition, str) and not definition.startswith("@") and key[0].islower()
        ):
            continue  # context keywords and namespace prefixes
        iri = key_iri(key, definition, context)
        meaning = key_meaning(key, iri, ontology)
        if key in NODE_SET:
            meaning += " *Set by the node.*"
        if key in SCHEMES:
            meaning += f" Codes: [{SCHEMES[key].rsplit('/', 1)[-1]}](#{_anchor(key)})."
        lines.append(f"| `{key}` | `{iri}` | {key_kind(key, definition)} | {meaning} |")
    return [*lines, ""]


def _anchor(key: str) -> str:
    return "codes-" + key.lower()


def classes_and_properties_section(ontology: dict) -> list[str]:
    lines = [
        "## Stafett classes and properties",
        "",
        "Defined in `vocabulary/ontology.ttl` with labels and definitions in all seven languages.",
        "",
    ]
    owl = ns.OWL
    for kind, title in (
        (owl + "Class", "Classes"),
        (owl + "ObjectProperty", "Object properties"),
        (owl + "DatatypeProperty", "Datatype properties"),
    ):
        terms = sorted(s for s, p in ontology.items() if (kind, None) in p[RDF_TYPE])
        lines += [
            f"### {title}",
            "",
            "| Term | " + " | ".join(LANGUAGES) + " |",
            "|---|" + "---|" * len(LANGUAGES),
        ]
        for iri in terms:
            labels = [_in_lang(ontology[iri][RDFS + "label"], lang) for lang in LANGUAGES]
            lines.append(f"| `stf:{iri[len(STF) :]}` | " + " | ".join(labels) + " |")
        lines.append("")
    return lines


# Namespaces shown as prefixes in the registry section (the module's own prefixes).
DISPLAY_PREFIXES = {
    "stf": STF,
    "prov": ns.PROV,
    "dct": ns.DCT,
    "xsd": ns.XSD,
    "rdf": ns.RDF,
    "as": ns.AS,
}


def _compact(iri: str) -> str:
    for prefix, namespace in DISPLAY_PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _class_expression(value: str, graph: dict) -> str:
    """A domain or range as text: an IRI, or the members of an owl:unionOf list joined by "or"."""
    union = graph.get(value, {}).get(ns.OWL + "unionOf")
    if not union:
        return f"`{_compact(value)}`"
    members, node = [], union[0][0]
    while node in graph and graph[node].get(RDF_FIRST):
        members.append(f"`{_compact(graph[node][RDF_FIRST][0][0])}`")
        node = graph[node][RDF_REST][0][0]
    return " or ".join(members)


def registry_section(registry: dict) -> list[str]:
    """The terms a registry writes about its harvests (vocabulary/registry-ontology.ttl)."""
    owl = ns.OWL
    lines = [
        '## Registry bookkeeping terms <a id="registry-terms"></a>',
        "",
        "Publishers never write these. A Stafett registry (the harvester) uses them in its "
        "provenance and reports graphs to record where each case came from, the routes that carried "
        "it, the health of each source and what every harvest run did (docs/harvester.md shows the "
        "triples). Defined in `vocabulary/registry-ontology.ttl`, a module of the same `stf:` "
        "namespace, with labels and definitions in all seven languages.",
        "",
    ]
    for kind, title in (
        (owl + "Class", "Classes"),
        (owl + "ObjectProperty", "Object properties"),
        (owl + "DatatypeProperty", "Datatype properties"),
    ):
        terms = sorted(s for s, p in registry.items() if s.startswith(STF) and (kind, None) in p[RDF_TYPE])
        is_class = kind == owl + "Class"
        head = (
            "| Term | Label | Subclass of | Definition |"
            if is_class
            else "| Term | Label | Domain | Range | Sub-property of | Definition |"
        )
        lines += [f"### {title}", "", head, "|---|" + "---|" * (3 if is_class else 5)]
        for iri in terms:
            node = registry[iri]
            parents = ", ".join(
                f"`{_compact(v)}`" for v, _ in node[RDFS + ("subClassOf" if is_class else "subPropertyOf")]
            )
            cells = [f"`{_compact(iri)}`", _in_lang(node[RDFS + "label"])]
            if not is_class:
                cells += [
                    " or ".join(_class_expression(v, registry) for v, _ in node[RDFS + "domain"]),
                    " or ".join(_class_expression(v, registry) for v, _ in node[RDFS + "range"]),
                ]
            cells += [parents, _in_lang(node[SKOS + "definition"]).replace("|", "\\|")]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def project_scheme_section(key: str, scheme: str, concepts: dict) -> list[str]:
    head = concepts[scheme]
    lines = [
        f"### {_in_lang(head[SKOS + 'prefLabel'])} (`{key}`)" + f' <a id="{_anchor(key)}"></a>',
        "",
        f"Scheme `{scheme}`. {_in_lang(head[SKOS + 'definition'])}",
        "",
        "| Code | " + " | ".join(LANGUAGES) + " | Definition | Matches |",
        "|---|" + "---|" * (len(LANGUAGES) + 2),
    ]
    members = sorted(
        (s for s, p in concepts.items() if (scheme, None) in p[SKOS + "inScheme"]),
        key=lambda s: (
            list(head[SKOS + "hasTopConcept"]).index((s, None))
            if (s, None) in head[SKOS + "hasTopConcept"]
            else 999
        ),
    )
    for iri in members:
        node = concepts[iri]
        labels = [_in_lang(node[SKOS + "prefLabel"], lang) for lang in LANGUAGES]
        matches = ", ".join(f"{m} `{_short(v)}`" for m in MATCHES for v, _ in node[SKOS + m])
        lines.append(
            f"| `{_in_lang(node[SKOS + 'notation'], None)}` | "
            + " | ".join(labels)
            + f" | {_in_lang(node[SKOS + 'definition'])} | {matches} |"
        )
    return [*lines, ""]


def _short(iri: str) -> str:
    """A match target as the tables write it: `at:` for EU authority tables, `cpv:` for CPV and the
    scheme/code of another Stafett scheme (topics match sectors)."""
    return iri.replace(ns.EU_AUTHORITY, "at:").replace(ns.CPV, "cpv:").replace(CONCEPT_BASE, "")


def reference_scheme_section(key: str, scheme: str, reference: dict) -> list[str]:
    members = sorted(s for s, p in reference.items() if (scheme, None) in p[SKOS + "inScheme"])
    lines = [
        f"### EU table `{scheme.rsplit('/', 1)[-1]}` (`{key}`)" + f' <a id="{_anchor(key)}"></a>',
        "",
        f"Scheme `{scheme}`, {len(members):,} codes, shipped in `vocabulary/reference/`.",
    ]
    langs: tuple[str, ...] = ("en", "sv", "nb")
    if len(members) >= LIST_ALL_BELOW:
        lines += ["All codes with their labels are in the file; the ones used most in the Nordic countries:"]
        common = (f"{scheme}/{code}" for code in COMMON_CODES.get(key, ()))
        members = [iri for iri in common if iri in reference]
        langs = LANGUAGES
    lines += ["", "| Code | " + " | ".join(langs) + " |", "|---|" + "---|" * len(langs)]
    for iri in members:
        node = reference[iri]
        labels = [_in_lang(node[SKOS + "prefLabel"], lang) for lang in langs]
        lines.append(f"| `{_in_lang(node[SKOS + 'notation'], None)}` | " + " | ".join(labels) + " |")
    return [*lines, ""]


PLACE_KEYS = frozenset({"municipality", "region", "nuts"})
PLACE_NOTES = {
    "municipality": "Codes are the official municipality codes with the ISO 3166-1 country prefix: "
    "Swedish kommunkod (`SE-0180`, 290 shipped), Norwegian kommunenummer of the 2024 "
    "division (`NO-0301`, 357 shipped), Icelandic sveitarfélög by their ISO 3166-2 code "
    "(`IS-RKV`, 64 shipped). No openly licensed list with names was found for Danish "
    "kommunekoder, Finnish kuntanumerot or Icelandic sveitarfélagsnúmer: those are accepted "
    "by their format only (`DK-` + 3 digits, e.g. `DK-101`; `FI-` + 3 digits, e.g. `FI-091`; "
    "`IS-` + 4 digits, e.g. `IS-0000`), with no name, and the shapes cannot tell a retired "
    "or unused number from a real one. Each municipality has `skos:broader` its region.",
    "region": "Swedish län (`SE-01`, länskod), Norwegian fylker of 2024 (`NO-03`, fylkesnummer), Danish "
    "regions (`DK-1084`, regionskode), Finnish maakunnat (`FI-18`, maakuntanumero; Finnish "
    "names only, the source has no Swedish ones) and Icelandic landshlutar (`IS-1`). Each "
    "region says its NUTS unit with `skos:exactMatch` (or `skos:broadMatch` where the NUTS "
    "unit is larger).",
    "nuts": "NUTS 2021 and 2024, levels 0–3, of SE, NO, DK, FI and IS (the EU IRIs "
    "`http://data.europa.eu/nuts/code/<code>`), with `skos:broader`. Codes of other countries "
    "are refused.",
}


def place_scheme_section(key: str, scheme: str, reference: dict) -> list[str]:
    members = sorted(s for s, p in reference.items() if (scheme, None) in p[SKOS + "inScheme"])
    lines = [
        f"### Places: `{key}`" + f' <a id="{_anchor(key)}"></a>',
        "",
        f"Scheme `{scheme}`, {len(members):,} codes, shipped in `vocabulary/reference/` (sources and "
        f"licences in its README). {PLACE_NOTES[key]} Some codes:",
        "",
        "| Code | Name |",
        "|---|---|",
    ]
    for iri in (f"{scheme}/{code}" for code in COMMON_CODES[key]):
        names = ", ".join(f"{v} ({lang})" for v, lang in reference[iri][SKOS + "prefLabel"])
        lines.append(f"| `{_in_lang(reference[iri][SKOS + 'notation'], None)}` | {names} |")
    return [*lines, ""]


def notice_section() -> list[str]:
    from stafett.vocabulary.notices import NOTICE_SCHEMES

    lines = [
        '### Official notice identifiers <a id="notice-identifiers"></a>',
        "",
        "A `noticeIdentifier` is an `adms:Identifier` with `identifierScheme` (`epo:hasScheme`) and "
        "`notation` (`skos:notation`); the shapes check the notation's format for its scheme. The "
        "node's case page links each one: to the address below, or to the identifier's own `url` "
        "where no address can be made from the identifier alone.",
        "",
        "| `identifierScheme` | What | Format (regular expression) | Example | Link |",
        "|---|---|---|---|---|",
    ]
    for name, scheme in NOTICE_SCHEMES.items():
        link = f"`{scheme.link}`" if scheme.link else "the identifier's `url`"
        pattern = scheme.pattern.replace("|", "\\|")
        lines.append(f"| `{name}` | {scheme.label} | `{pattern}` | `{scheme.example}` | {link} |")
    return [*lines, ""]


# Kept as text so the docs show it as a person writes it; tests/shapes/test_places_and_notices.py
# checks that it is valid.
PLACES_AND_NOTICES_EXAMPLE = """\
{"@context": "https://w3id.org/stafett/context/v1",
 "type": "Case",
 "title": {"sv": "Gemensam upphandling av digital nattillsyn"},
 "summary": {"sv": "Fyra kommuner i Kronoberg upphandlade digital nattillsyn tillsammans."},
 "status": "tendering",
 "country": "SWE",
 "language": ["SWE"],
 "buyer": [{"name": {"sv": "Växjö kommun"}, "country": "SWE"}],
 "municipality": ["SE-0780", "SE-0764", "SE-0781", "SE-0763"],
 "region": ["SE-07"],
 "nuts": ["SE212"],
 "procedure": {"procedureType": "open", "jointProcurement": true, "innovativeAcquisition": ["proc-innov"]},
 "noticeIdentifier": [
   {"identifierScheme": "ted", "notation": "00123456-2024"},
   {"identifierScheme": "eforms-procedure", "notation": "1e86a664-ae3c-41eb-8529-0242ac130003"}]}
"""
HOWTO_ROWS = (
    (
        "which municipalities it concerns",
        '`"municipality": ["SE-0780"]`: the official code with its country prefix',
    ),
    ("which region (län, fylke, region, maakunta, landshluti)", '`"region": ["SE-07"]`'),
    ("the NUTS region of the notice (place of performance)", '`"nuts": ["SE212"]`'),
    ("its TED notice", '`"noticeIdentifier": [{"identifierScheme": "ted", "notation": "00123456-2024"}]`'),
    (
        "its eForms procedure identifier (BT-04)",
        '`{"identifierScheme": "eforms-procedure", "notation": "<uuid>"}`',
    ),
    (
        "its Doffin, Hilma or Swedish advertising database notice",
        '`{"identifierScheme": "doffin", "notation": "2024-012345"}`; `hilma` and `se-annonsdatabas` '
        "likewise, with the notice's `url`",
    ),
    ("its OCDS process", '`{"identifierScheme": "ocds", "notation": "ocds-213czf-000-00001"}`'),
    (
        "what made it innovative, as the notice says (BT-776)",
        '`"procedure": {"innovativeAcquisition": ["rd-act"]}`',
    ),
    (
        "everything a notice already says",
        "`stafett node import-notice notice.xml --out case.jsonld`, or `--import` to make it a draft case "
        "on the node (docs/node.md lists every mapped field)",
    ),
)


def places_and_notices_howto() -> list[str]:
    lines = [
        '### How to say it: places and official notices <a id="howto-places-notices"></a>',
        "",
        "Before vocabulary 1.1 a case could name neither the official notice of its procurement (TED, "
        "Doffin, Hilma, the Swedish advertising databases) nor the municipality or region it concerns "
        "beyond the country. Now:",
        "",
        "| The record says | Write |",
        "|---|---|",
    ]
    lines += [f"| {what} | {how} |" for what, how in HOWTO_ROWS]
    return [*lines, "", "```json", PLACES_AND_NOTICES_EXAMPLE.rstrip(), "```", ""]


def render() -> str:
    """The whole of docs/vocabulary.md as text (deterministic, so --check can compare it)."""
    context = context_document()["@context"]
    ontology, concepts, reference = (
        _index(ontology_quads()),
        _index(concept_quads()),
        _index(reference_quads()),
    )
    parts = [
        INTRO.format(example=MINIMAL_CASE.rstrip()),
        versions_section(ontology),
        *keys_section(context, ontology),
        "## Codes",
        "",
        "Write only the code; the context turns it into the concept IRI.",
        "",
    ]
    for key, scheme in SCHEMES.items():
        if scheme.startswith(CONCEPT_BASE):
            parts += project_scheme_section(key, scheme, concepts)
        elif key in PLACE_KEYS:
            parts += place_scheme_section(key, scheme, reference)
        else:
            parts += reference_scheme_section(key, scheme, reference)
    parts += notice_section()
    parts += places_and_notices_howto()
    parts += classes_and_properties_section(ontology)
    parts += registry_section(_index(registry_ontology_quads()))
    return "\n".join(parts).rstrip() + "\n"


def outputs(path: Path = DOCS_PATH) -> dict[Path, str]:
    """The Markdown at `path` and its HTML rendering beside it (same name, .html)."""
    from stafett.vocabulary.docs_html import render_html

    markdown = render()
    return {path: markdown, path.with_suffix(".html"): render_html(markdown)}


def write(path: Path = DOCS_PATH) -> list[Path]:
    written = []
    for target, text in outputs(path).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def stale(path: Path = DOCS_PATH) -> list[Path]:
    """The generated files that are missing or differ from what the sources produce now."""
    return [
        target
        for target, text in outputs(path).items()
        if not target.exists() or target.read_text(encoding="utf-8") != text
    ]
