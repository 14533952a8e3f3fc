"""National organisation numbers of the Nordic countries: which register, and whether a number is valid.

One check shared by the case validator (shapes/findings.py, a Warning on the organisation's
`orgNumber`) and `stafett node init` (which refuses a bad number outright). The format and check
digit rules are python-stdnum's: Swedish organisationsnummer (Luhn), Norwegian
organisasjonsnummer, Danish CVR, Finnish Y-tunnus and Icelandic kennitala (each mod 11).
Numbers of organisations in other countries are not checked (no rule is known to us).
"""

from __future__ import annotations

from types import ModuleType

from stdnum.dk import cvr
from stdnum.fi import ytunnus
from stdnum.is_ import kennitala
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

# EU country code -> (the register's own name for the number, its python-stdnum module)
REGISTERS: dict[str, tuple[str, ModuleType]] = {
    "SWE": ("organisationsnummer", se_orgnr),
    "NOR": ("organisasjonsnummer", no_orgnr),
    "DNK": ("CVR-nummer", cvr),
    "FIN": ("Y-tunnus", ytunnus),
    "ISL": ("kennitala", kennitala),
}


def register_name(country: str) -> str | None:
    entry = REGISTERS.get(country)
    return entry[0] if entry else None


def is_valid(number: str, country: str) -> bool:
    """True when `number` is a valid number of `country`'s register, or the country has no rule."""
    entry = REGISTERS.get(country)
    return entry is None or bool(entry[1].is_valid(number))
