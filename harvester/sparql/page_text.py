# ruff: noqa: E501 - translation strings read best unbroken
"""Fixed strings of the query page in the seven Stafett languages."""

from __future__ import annotations

from stafett import languages

LANGUAGES = ("en", "sv", "nb", "nn", "da", "fi", "is")
LANGUAGE_NAMES = {"en": "English", "sv": "Svenska", "nb": "Norsk bokmål", "nn": "Norsk nynorsk",
                  "da": "Dansk", "fi": "Suomi", "is": "Íslenska"}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Query the registry",
        "intro": "Ask the Nordic registry of innovation-procurement cases with SPARQL. The default graph "
                 "holds every case; each case is also its own named graph.",
        "examples": "Example queries", "query": "SPARQL query", "format": "Result format",
        "table": "Table on this page", "run": "Run query", "results": "Results",
        "running": "Running…", "refused": "The query was not answered",
        "truncated": "The result was cut at the endpoint's row limit; only the first rows are shown.",
        "rows": "rows",
        "limits": "Read-only. Each query stops after {timeout} seconds and returns at most {rows} rows.",
        "endpoint": "Endpoint for programs", "noscript": "Without JavaScript, pick a format other than the table.",
        "language": "Language",
    },
    "sv": {
        "title": "Sök i registret",
        "intro": "Ställ frågor med SPARQL till det nordiska registret över innovationsupphandlingar. "
                 "Standardgrafen innehåller alla fall; varje fall är också en egen namngiven graf.",
        "examples": "Exempelfrågor", "query": "SPARQL-fråga", "format": "Resultatformat",
        "table": "Tabell på sidan", "run": "Kör frågan", "results": "Resultat",
        "running": "Kör…", "refused": "Frågan besvarades inte",
        "truncated": "Resultatet kortades vid ändpunktens radgräns; bara de första raderna visas.",
        "rows": "rader",
        "limits": "Endast läsning. Varje fråga avbryts efter {timeout} sekunder och ger högst {rows} rader.",
        "endpoint": "Ändpunkt för program", "noscript": "Utan JavaScript: välj ett annat format än tabell.",
        "language": "Språk",
    },
    "nb": {
        "title": "Søk i registeret",
        "intro": "Still spørsmål med SPARQL til det nordiske registeret over innovative anskaffelser. "
                 "Standardgrafen inneholder alle saker; hver sak er også sin egen navngitte graf.",
        "examples": "Eksempelspørringer", "query": "SPARQL-spørring", "format": "Resultatformat",
        "table": "Tabell på siden", "run": "Kjør spørringen", "results": "Resultat",
        "running": "Kjører…", "refused": "Spørringen ble ikke besvart",
        "truncated": "Resultatet ble kuttet ved endepunktets radgrense; bare de første radene vises.",
        "rows": "rader",
        "limits": "Kun lesing. Hver spørring stoppes etter {timeout} sekunder og gir høyst {rows} rader.",
        "endpoint": "Endepunkt for programmer", "noscript": "Uten JavaScript: velg et annet format enn tabell.",
        "language": "Språk",
    },
    "nn": {
        "title": "Søk i registeret",
        "intro": "Still spørsmål med SPARQL til det nordiske registeret over innovative innkjøp. "
                 "Standardgrafen inneheld alle saker; kvar sak er òg sin eigen namngjevne graf.",
        "examples": "Døme på spørjingar", "query": "SPARQL-spørjing", "format": "Resultatformat",
        "table": "Tabell på sida", "run": "Køyr spørjinga", "results": "Resultat",
        "running": "Køyrer…", "refused": "Spørjinga vart ikkje svara på",
        "truncated": "Resultatet vart kutta ved radgrensa til endepunktet; berre dei første radene blir viste.",
        "rows": "rader",
        "limits": "Berre lesing. Kvar spørjing stoppar etter {timeout} sekund og gjev høgst {rows} rader.",
        "endpoint": "Endepunkt for program", "noscript": "Utan JavaScript: vel eit anna format enn tabell.",
        "language": "Språk",
    },
    "da": {
        "title": "Søg i registret",
        "intro": "Stil spørgsmål med SPARQL til det nordiske register over innovative indkøb. "
                 "Standardgrafen indeholder alle sager; hver sag er også sin egen navngivne graf.",
        "examples": "Eksempler på forespørgsler", "query": "SPARQL-forespørgsel", "format": "Resultatformat",
        "table": "Tabel på siden", "run": "Kør forespørgslen", "results": "Resultater",
        "running": "Kører…", "refused": "Forespørgslen blev ikke besvaret",
        "truncated": "Resultatet blev afkortet ved endepunktets rækkegrænse; kun de første rækker vises.",
        "rows": "rækker",
        "limits": "Kun læsning. Hver forespørgsel stoppes efter {timeout} sekunder og giver højst {rows} rækker.",
        "endpoint": "Endepunkt til programmer", "noscript": "Uden JavaScript: vælg et andet format end tabel.",
        "language": "Sprog",
    },
    "fi": {
        "title": "Hae rekisteristä",
        "intro": "Kysy SPARQL-kielellä pohjoismaisesta innovatiivisten hankintojen rekisteristä. "
                 "Oletusgraafi sisältää kaikki tapaukset; jokainen tapaus on myös oma nimetty graafinsa.",
        "examples": "Esimerkkikyselyt", "query": "SPARQL-kysely", "format": "Tulosmuoto",
        "table": "Taulukko tällä sivulla", "run": "Suorita kysely", "results": "Tulokset",
        "running": "Suoritetaan…", "refused": "Kyselyyn ei vastattu",
        "truncated": "Tulos katkaistiin rajapinnan riviraja-arvoon; vain ensimmäiset rivit näytetään.",
        "rows": "riviä",
        "limits": "Vain luku. Kysely pysäytetään {timeout} sekunnin jälkeen ja palauttaa enintään {rows} riviä.",
        "endpoint": "Rajapinta ohjelmille", "noscript": "Ilman JavaScriptiä valitse muu muoto kuin taulukko.",
        "language": "Kieli",
    },
    "is": {
        "title": "Leita í skránni",
        "intro": "Spyrðu norrænu skrána yfir nýsköpunarinnkaup með SPARQL. Sjálfgefna grafið geymir öll "
                 "mál; hvert mál er einnig sitt eigið nefnda graf.",
        "examples": "Dæmi um fyrirspurnir", "query": "SPARQL-fyrirspurn", "format": "Snið niðurstaðna",
        "table": "Tafla á síðunni", "run": "Keyra fyrirspurn", "results": "Niðurstöður",
        "running": "Keyrir…", "refused": "Fyrirspurninni var ekki svarað",
        "truncated": "Niðurstaðan var stytt við línuhámark þjónustunnar; aðeins fyrstu línurnar eru sýndar.",
        "rows": "línur",
        "limits": "Aðeins lestur. Hver fyrirspurn stöðvast eftir {timeout} sekúndur og skilar mest {rows} línum.",
        "endpoint": "Þjónustustaður fyrir forrit", "noscript": "Án JavaScript: veldu annað snið en töflu.",
        "language": "Tungumál",
    },
}


def pick_language(requested: str | None, accept_language: str | None) -> str:
    """`?lang=` if known, else the first known language in Accept-Language, else English."""
    return languages.pick(accept_language, TEXT, requested=requested)
