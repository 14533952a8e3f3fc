"""The node's own messages (not the shapes') in the seven Nordic working languages, and the
choice of language for a client (shared by the API's findings and ETags and by the pages).

Each message names the problem and the fix. `message(key, lang, **values)` falls back to
English for an unknown language.
"""

from __future__ import annotations

from stafett import languages

MESSAGES: dict[str, dict[str, str]] = {
    "node-set": {
        "en": "'{field}' is set by the node; the value you sent was ignored",
        "sv": "”{field}” sätts av noden; värdet du skickade ignorerades",
        "nb": "«{field}» settes av noden; verdien du sendte ble ignorert",
        "nn": "«{field}» blir sett av noden; verdien du sende vart ignorert",
        "da": "»{field}« sættes af noden; den værdi, du sendte, blev ignoreret",
        "fi": "Solmu asettaa kentän ”{field}”; lähettämäsi arvo ohitettiin",
        "is": "Hnúturinn setur „{field}“; gildinu sem þú sendir var sleppt",
    },
    "id-set": {
        "en": "'id' is set by the node; the case is published as {iri}",
        "sv": "”id” sätts av noden; fallet publiceras som {iri}",
        "nb": "«id» settes av noden; saken publiseres som {iri}",
        "nn": "«id» blir sett av noden; saka blir publisert som {iri}",
        "da": "»id« sættes af noden; sagen offentliggøres som {iri}",
        "fi": "Solmu asettaa kentän ”id”; tapaus julkaistaan osoitteessa {iri}",
        "is": "Hnúturinn setur „id“; málið er birt sem {iri}",
    },
    "no-case": {
        "en": 'the document holds no case: give the top object "type": "Case"',
        "sv": 'dokumentet innehåller inget fall: ge det yttersta objektet "type": "Case"',
        "nb": 'dokumentet inneholder ingen sak: gi det ytterste objektet "type": "Case"',
        "nn": 'dokumentet inneheld inga sak: gi det ytste objektet "type": "Case"',
        "da": 'dokumentet indeholder ingen sag: giv det yderste objekt "type": "Case"',
        "fi": 'asiakirjassa ei ole tapausta: anna uloimmalle objektille "type": "Case"',
        "is": 'skjalið inniheldur ekkert mál: gefðu ysta hlutnum "type": "Case"',
    },
    "many-cases": {
        "en": "the document holds {n} cases; send one case per document",
        "sv": "dokumentet innehåller {n} fall; skicka ett fall per dokument",
        "nb": "dokumentet inneholder {n} saker; send én sak per dokument",
        "nn": "dokumentet inneheld {n} saker; send éi sak per dokument",
        "da": "dokumentet indeholder {n} sager; send én sag pr. dokument",
        "fi": "asiakirjassa on {n} tapausta; lähetä yksi tapaus asiakirjaa kohden",
        "is": "skjalið inniheldur {n} mál; sendu eitt mál í hverju skjali",
    },
    "orphans": {
        "en": "the document describes things not attached to the case ({shown}); "
        "nest every object inside the case or remove it",
        "sv": "dokumentet beskriver saker som inte hör till fallet ({shown}); "
        "lägg varje objekt inuti fallet eller ta bort det",
        "nb": "dokumentet beskriver ting som ikke hører til saken ({shown}); "
        "legg hvert objekt inni saken eller fjern det",
        "nn": "dokumentet skildrar ting som ikkje høyrer til saka ({shown}); "
        "legg kvart objekt inni saka eller fjern det",
        "da": "dokumentet beskriver ting, der ikke hører til sagen ({shown}); "
        "læg hvert objekt ind i sagen eller fjern det",
        "fi": "asiakirja kuvaa asioita, jotka eivät kuulu tapaukseen ({shown}); "
        "sijoita jokainen objekti tapauksen sisään tai poista se",
        "is": "skjalið lýsir hlutum sem tilheyra ekki málinu ({shown}); "
        "settu hvern hlut inn í málið eða fjarlægðu hann",
    },
    "foreign-iri": {
        "en": 'a nested object carries its own IRI {iri} outside this case; remove its "id" '
        "(the node names nested objects <case>#...)",
        "sv": 'ett inbäddat objekt har en egen IRI {iri} utanför fallet; ta bort dess "id" '
        "(noden namnger inbäddade objekt <fall>#...)",
        "nb": 'et innebygd objekt har en egen IRI {iri} utenfor saken; fjern "id" '
        "(noden navngir innebygde objekter <sak>#...)",
        "nn": 'eit innebygd objekt har ein eigen IRI {iri} utanfor saka; fjern "id" '
        "(noden namngjev innebygde objekt <sak>#...)",
        "da": 'et indlejret objekt har sin egen IRI {iri} uden for sagen; fjern dets "id" '
        "(noden navngiver indlejrede objekter <sag>#...)",
        "fi": 'sisäkkäisellä objektilla on oma IRI {iri} tapauksen ulkopuolella; poista sen "id" '
        "(solmu nimeää sisäkkäiset objektit <tapaus>#...)",
        "is": 'innfelldur hlutur ber eigið IRI {iri} utan málsins; fjarlægðu "id" hans '
        "(hnúturinn nefnir innfellda hluti <mál>#...)",
    },
    "too-deep": {
        "en": "the case nests objects more than {limit} levels deep once stored (a long @list or a "
        "chain of blank nodes); flatten it or link the objects by IRI",
        "sv": "fallet nästlar objekt mer än {limit} nivåer djupt när det lagras (en lång @list eller "
        "en kedja av tomma noder); platta till det eller länka objekten med IRI",
        "nb": "saken nøster objekter mer enn {limit} nivåer dypt når den lagres (en lang @list eller "
        "en kjede av blanke noder); flat den ut eller lenk objektene med IRI",
        "nn": "saka nøstar objekt meir enn {limit} nivå djupt når ho blir lagra (ei lang @list eller "
        "ei kjede av blanke nodar); flat henne ut eller lenk objekta med IRI",
        "da": "sagen indlejrer objekter mere end {limit} niveauer dybt, når den gemmes (en lang @list "
        "eller en kæde af blanke knuder); gør den flad eller link objekterne med IRI",
        "fi": "tapaus sisäkkäistää objekteja yli {limit} tason syvyyteen tallennettuna (pitkä @list tai "
        "tyhjien solmujen ketju); litistä se tai linkitä objektit IRI-osoitteilla",
        "is": "málið hreiðrar hluti meira en {limit} stig niður þegar það er vistað (langur @list eða "
        "keðja auðra hnúta); flettu því út eða tengdu hlutina með IRI",
    },
    "violations": {
        "en": "{n} violation(s); fix them and send the case again",
        "sv": "{n} fel; rätta dem och skicka fallet igen",
        "nb": "{n} feil; rett dem og send saken på nytt",
        "nn": "{n} feil; rett dei og send saka på nytt",
        "da": "{n} fejl; ret dem og send sagen igen",
        "fi": "{n} virhettä; korjaa ne ja lähetä tapaus uudelleen",
        "is": "{n} villur; lagaðu þær og sendu málið aftur",
    },
}


def message(key: str, lang: str = "en", **values) -> str:
    texts = MESSAGES[key]
    return texts.get(lang, texts["en"]).format(**values)


def best_language(available, accept_language: str | None, fallback=()) -> str | None:
    """The available tag that best matches the client, then the node's languages, then English."""
    available = list(available)
    if not available:
        return None
    lowered = {a.lower(): a for a in available}
    wanted = [*languages.ranked_tags(accept_language), *fallback, "en"]
    for tag in wanted:
        for candidate in languages.candidates(tag):
            if candidate in lowered:
                return lowered[candidate]
            prefixed = [a for low, a in lowered.items() if low.split("-")[0] == candidate]
            if prefixed:
                return prefixed[0]
    return available[0]


def ui_language(accept_language: str | None, node_languages=()) -> str:
    return best_language(languages.SUPPORTED, accept_language, node_languages) or "en"
