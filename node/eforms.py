"""Read an eForms notice (UBL 2.3 + eForms extensions: PIN, CN, CAN) into draft case fields.

Only what the notice says is taken; each mapped field is listed with its business term (BT-…) in
docs/node.md ("Start a case from a notice"). The XML is parsed with defusedxml, which refuses DTDs,
entity declarations and external references, after the caller has capped the size.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
}
ROOTS = {
    "PriorInformationNotice": "prior information notice",
    "ContractNotice": "contract notice",
    "ContractAwardNotice": "contract award notice",
}
# eForms writes languages as ISO 639-2/B-like EU codes; cases use BCP 47 tags (the Nordic ones and
# English are the ones the shapes accept; others are kept so the publisher sees what to translate).
LANGUAGE_TAGS = {
    "SWE": "sv",
    "NOB": "nb",
    "NNO": "nn",
    "NOR": "no",
    "DAN": "da",
    "FIN": "fi",
    "ISL": "is",
    "ENG": "en",
    "SME": "se",
    "DEU": "de",
    "FRA": "fr",
    "ITA": "it",
    "SPA": "es",
    "NLD": "nl",
    "ELL": "el",
    "POL": "pl",
    "POR": "pt",
    "EST": "et",
    "LAV": "lv",
    "LIT": "lt",
}
LEGAL_TYPE = "cac:ContractingPartyType/cbc:PartyTypeCode[@listName='buyer-legal-type']"  # BT-11
PROCEDURE_TYPE = "cac:TenderingProcess/cbc:ProcedureCode[@listName='procurement-procedure-type']"  # BT-105
INNOVATIVE_ACQUISITION = (
    ".//cac:ProcurementAdditionalType/cbc:ProcurementTypeCode"  # BT-776
    "[@listName='innovative-acquisition']"
)
DATE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})")
UBL = re.compile(r"^\{urn:oasis:names:specification:ubl:schema:xsd:([A-Za-z]+)-2\}([A-Za-z]+)$")


class NotEforms(ValueError):
    """The XML is not an eForms notice of a kind the importer reads."""


def parse(data: bytes) -> Element:
    root = ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    match = UBL.match(root.tag)
    if not match or match.group(2) not in ROOTS:
        raise NotEforms(
            f"root element {root.tag} is not a PriorInformationNotice, ContractNotice or "
            "ContractAwardNotice of eForms"
        )
    return root


def kind(root: Element) -> str:
    return ROOTS[root.tag.rsplit("}", 1)[1]]


def texts(elements) -> dict[str, str]:
    """A language map from elements with `languageID` (BT-21, BT-24 and other multilingual texts)."""
    out: dict[str, str] = {}
    for element in elements:
        value = (element.text or "").strip()
        code = (element.get("languageID") or "").upper()
        if value:
            out.setdefault(LANGUAGE_TAGS.get(code, code.lower() or "und"), value)
    return out


def first_text(root: Element, path: str) -> str | None:
    found = root.find(path, NS)
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def date_of(value: str | None) -> str | None:
    """eForms dates carry a time-zone offset (`2019-10-23+01:00`); a case date is the day."""
    match = DATE.match(value or "")
    return match.group(1) if match else None


def organisations(root: Element) -> dict[str, dict]:
    """ORG-nnnn -> a case Organization (BT-500 name, BT-501 identifier, BT-514 country)."""
    out = {}
    for company in root.iterfind(".//efac:Organizations/efac:Organization/efac:Company", NS):
        org_id = first_text(company, "cac:PartyIdentification/cbc:ID")
        if not org_id:
            continue
        org: dict = {"name": texts(company.iterfind("cac:PartyName/cbc:Name", NS))}
        number = first_text(company, "cac:PartyLegalEntity/cbc:CompanyID")
        country = first_text(company, "cac:PostalAddress/cac:Country/cbc:IdentificationCode")
        if number:
            org["orgNumber"] = number
        if country:
            org["country"] = country
        out[org_id] = org | {"_nuts": first_text(company, "cac:PostalAddress/cbc:CountrySubentityCode")}
    return out


def buyers(root: Element, orgs: dict[str, dict]) -> list[dict]:
    """BT-500/501/514 of each cac:ContractingParty, with BT-11 buyer legal type."""
    out = []
    for party in root.iterfind("cac:ContractingParty", NS):
        org = dict(orgs.get(first_text(party, "cac:Party/cac:PartyIdentification/cbc:ID") or "", {}))
        legal_type = first_text(party, LEGAL_TYPE)
        if legal_type:
            org["legalType"] = legal_type
        if org:
            out.append(org)
    return out


def codes(root: Element, path: str) -> list[str]:
    seen: dict[str, None] = {}
    for element in root.iterfind(path, NS):
        if element.text and element.text.strip():
            seen.setdefault(element.text.strip(), None)
    return list(seen)


def amount(element: Element | None) -> dict | None:
    if element is None or not (element.text or "").strip():
        return None
    value: dict = {"amount": element.text.strip()}
    if element.get("currencyID"):
        value["currency"] = element.get("currencyID")
    return value


def winners(root: Element, orgs: dict[str, dict]) -> list[dict]:
    """Organisations of the tenders a lot result marks `selec-w` (BT-142 winner chosen, OPT-320
    tender, OPT-310 tendering party, OPT-300 tenderer)."""
    result = root.find(".//efac:NoticeResult", NS)
    if result is None:
        return []
    won = {
        first_text(lot_tender, "cbc:ID")
        for lot in result.iterfind("efac:LotResult", NS)
        if first_text(lot, "cbc:TenderResultCode") == "selec-w"
        for lot_tender in lot.iterfind("efac:LotTender", NS)
    }
    parties = {
        first_text(t, "cbc:ID"): first_text(t, "efac:TenderingParty/cbc:ID")
        for t in result.iterfind("efac:LotTender", NS)
    }
    tenderers = {
        first_text(p, "cbc:ID"): [first_text(t, "cbc:ID") for t in p.iterfind("efac:Tenderer", NS)]
        for p in result.iterfind("efac:TenderingParty", NS)
    }
    seen: dict[str, None] = {}
    for tender in sorted(t for t in won if t):
        for org_id in tenderers.get(parties.get(tender), []):
            if org_id in orgs:
                seen.setdefault(org_id, None)
    return [public(orgs[o]) for o in seen]


def public(org: dict) -> dict:
    return {k: v for k, v in org.items() if not k.startswith("_")}


def case_fields(root: Element) -> dict:
    """The draft case fields the notice states (see docs/node.md for each BT)."""
    project = root.find("cac:ProcurementProject", NS)
    orgs = organisations(root)
    case: dict = {}
    if project is not None:
        case["title"] = texts(project.iterfind("cbc:Name", NS))
        summary = texts(project.iterfind("cbc:Description", NS))
        if summary:
            case["summary"] = summary
    buyer_list = buyers(root, orgs)
    if buyer_list:
        case["buyer"] = [public(b) for b in buyer_list]
        if "country" in buyer_list[0]:
            case["country"] = buyer_list[0]["country"]
    cpv = codes(root, ".//cac:MainCommodityClassification/cbc:ItemClassificationCode[@listName='cpv']")
    cpv += [
        c
        for c in codes(
            root, ".//cac:AdditionalCommodityClassification/cbc:ItemClassificationCode[@listName='cpv']"
        )
        if c not in cpv
    ]
    if cpv:
        case["cpv"] = cpv
    places = codes(root, ".//cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode[@listName='nuts']")
    if places:
        case["nuts"] = places
    value = amount(root.find(".//efac:NoticeResult/cbc:TotalAmount", NS)) or amount(
        root.find("cac:ProcurementProject/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", NS)
    )
    if value:
        case["cost"] = value
    procedure = first_text(root, PROCEDURE_TYPE)
    innovative = innovative_acquisition(root)
    if procedure or innovative:
        case["procedure"] = ({"procedureType": procedure} if procedure else {}) | (
            {"innovativeAcquisition": innovative} if innovative else {}
        )
    period = root.find(".//cac:ProcurementProject/cac:PlannedPeriod", NS)
    if period is not None:
        for key, path in (("startDate", "cbc:StartDate"), ("endDate", "cbc:EndDate")):
            day = date_of(first_text(period, path))
            if day:
                case[key] = day
    languages = codes(root, "cbc:NoticeLanguageCode") + codes(root, "cac:AdditionalNoticeLanguage/cbc:ID")
    if languages:
        case["language"] = list(dict.fromkeys(languages))  # BT-702: the EU language table, as `language`
    case["noticeIdentifier"] = identifiers(root)
    suppliers = winners(root, orgs)
    if suppliers:
        case["solution"] = [{"supplier": suppliers}]
    return case


def identifiers(root: Element) -> list[dict]:
    """BT-04 procedure identifier, and the TED publication number (OPP-010) once TED has published."""
    found = []
    procedure = first_text(root, "cbc:ContractFolderID")
    if procedure:
        found.append({"identifierScheme": "eforms-procedure", "notation": procedure})
    ted = first_text(root, ".//efac:Publication/efbc:NoticePublicationID")
    if ted:
        found.append({"identifierScheme": "ted", "notation": ted})
    return found


def innovative_acquisition(root: Element) -> list[str]:
    """BT-776 codes (`proc-innov`, `rd-act`, …) on the procedure or its lots."""
    return codes(root, INNOVATIVE_ACQUISITION)
