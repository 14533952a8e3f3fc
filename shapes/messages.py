"""The message catalogue: every fixed sentence the validator and `stafett validate` say, in seven languages.

Shape messages (`sh:message` in case-shapes.ttl) are generated from the templates here, so a
publisher reading the node's 422 response, the CLI report or the harvester's quarantine log sees
the same words. Templates name the JSON key a publisher wrote (`{key}`), never an RDF IRI.
Fallback for a language without a string: `nn` -> `nb` -> `en`; anything else -> `en`.
"""

# ruff: noqa: E501  (whole sentences per line are easier to translate and review)
from __future__ import annotations

from stafett.languages import SUPPORTED

LANGUAGES = SUPPORTED
FALLBACKS = {"nn": ("nn", "nb", "en")}

CATALOGUE: dict[str, dict[str, str]] = {
    # ---- shape messages (one per kind of rule) ----
    "required": {
        "en": '"{key}" is missing, and a case cannot be published without it. Add "{key}".',
        "sv": '"{key}" saknas, och ett fall kan inte publiceras utan det. Lägg till "{key}".',
        "nb": '"{key}" mangler, og en sak kan ikke publiseres uten det. Legg til "{key}".',
        "nn": '"{key}" manglar, og ei sak kan ikkje publiserast utan det. Legg til "{key}".',
        "da": '"{key}" mangler, og en sag kan ikke offentliggøres uden det. Tilføj "{key}".',
        "fi": '"{key}" puuttuu, eikä tapausta voi julkaista ilman sitä. Lisää "{key}".',
        "is": '"{key}" vantar og ekki er hægt að birta mál án þess. Bættu við "{key}".',
    },
    "recommended": {
        "en": '"{key}" is missing; add it so that others can learn from and reuse the case.',
        "sv": '"{key}" saknas; lägg till det så att andra kan lära av och återanvända fallet.',
        "nb": '"{key}" mangler; legg det til slik at andre kan lære av og gjenbruke saken.',
        "nn": '"{key}" manglar; legg det til slik at andre kan lære av og bruke saka om att.',
        "da": '"{key}" mangler; tilføj det, så andre kan lære af og genbruge sagen.',
        "fi": '"{key}" puuttuu; lisää se, jotta muut voivat oppia tapauksesta ja hyödyntää sitä.',
        "is": '"{key}" vantar; bættu því við svo aðrir geti lært af málinu og nýtt það.',
    },
    "optional": {
        "en": 'Consider adding "{key}"; it helps others find and compare cases.',
        "sv": 'Överväg att lägga till "{key}"; det hjälper andra att hitta och jämföra fall.',
        "nb": 'Vurder å legge til "{key}"; det hjelper andre å finne og sammenligne saker.',
        "nn": 'Vurder å leggje til "{key}"; det hjelper andre å finne og samanlikne saker.',
        "da": 'Overvej at tilføje "{key}"; det hjælper andre med at finde og sammenligne sager.',
        "fi": 'Harkitse kentän "{key}" lisäämistä; se auttaa muita löytämään ja vertailemaan tapauksia.',
        "is": 'Íhugaðu að bæta við "{key}"; það hjálpar öðrum að finna og bera saman mál.',
    },
    "too_many": {
        "en": '"{key}" has too many values; keep at most {n}.',
        "sv": '"{key}" har för många värden; behåll högst {n}.',
        "nb": '"{key}" har for mange verdier; behold høyst {n}.',
        "nn": '"{key}" har for mange verdiar; behald høgst {n}.',
        "da": '"{key}" har for mange værdier; behold højst {n}.',
        "fi": 'Kentässä "{key}" on liikaa arvoja; jätä enintään {n}.',
        "is": '"{key}" hefur of mörg gildi; hafðu að hámarki {n}.',
    },
    "one_value": {
        "en": '"{key}" takes one value only; remove the others.',
        "sv": '"{key}" får bara ha ett värde; ta bort de andra.',
        "nb": '"{key}" kan bare ha én verdi; fjern de andre.',
        "nn": '"{key}" kan berre ha éin verdi; fjern dei andre.',
        "da": '"{key}" må kun have én værdi; fjern de andre.',
        "fi": 'Kentällä "{key}" voi olla vain yksi arvo; poista muut.',
        "is": '"{key}" má aðeins hafa eitt gildi; fjarlægðu hin.',
    },
    "too_long": {
        "en": '"{key}" is too long; shorten each text to at most {n} characters.',
        "sv": '"{key}" är för lång; korta varje text till högst {n} tecken.',
        "nb": '"{key}" er for lang; kort ned hver tekst til høyst {n} tegn.',
        "nn": '"{key}" er for lang; kort ned kvar tekst til høgst {n} teikn.',
        "da": '"{key}" er for lang; forkort hver tekst til højst {n} tegn.',
        "fi": '"{key}" on liian pitkä; lyhennä jokainen teksti enintään {n} merkkiin.',
        "is": '"{key}" er of langt; styttu hvern texta í mest {n} stafi.',
    },
    "lang_text": {
        "en": '"{key}" must be a language map of non-empty texts, one per language, '
        'e.g. "{key}": {{"en": "…"}}.',
        "sv": '"{key}" ska vara en språkkarta med icke-tomma texter, en per språk, '
        't.ex. "{key}": {{"sv": "…"}}.',
        "nb": '"{key}" må være et språkkart med tekster som ikke er tomme, én per språk, '
        'f.eks. "{key}": {{"nb": "…"}}.',
        "nn": '"{key}" må vere eit språkkart med tekstar som ikkje er tomme, éin per språk, '
        't.d. "{key}": {{"nn": "…"}}.',
        "da": '"{key}" skal være et sprogkort med ikke-tomme tekster, én pr. sprog, '
        'f.eks. "{key}": {{"da": "…"}}.',
        "fi": 'Kentän "{key}" on oltava kielikartta, jossa on yksi ei-tyhjä teksti kieltä kohden, '
        'esim. "{key}": {{"fi": "…"}}.',
        "is": '"{key}" verður að vera tungumálakort með texta sem er ekki tómur, einn á hvert tungumál, '
        't.d. "{key}": {{"is": "…"}}.',
    },
    "keyword_text": {
        "en": '"{key}" must be a language map of lists of non-empty words, e.g. "{key}": {{"sv": ["elbuss"]}}.',
        "sv": '"{key}" ska vara en språkkarta med listor av icke-tomma ord, t.ex. "{key}": {{"sv": ["elbuss"]}}.',
        "nb": '"{key}" må være et språkkart med lister av ord som ikke er tomme, '
        'f.eks. "{key}": {{"nb": ["elbuss"]}}.',
        "nn": '"{key}" må vere eit språkkart med lister av ord som ikkje er tomme, '
        't.d. "{key}": {{"nn": ["elbuss"]}}.',
        "da": '"{key}" skal være et sprogkort med lister af ikke-tomme ord, f.eks. "{key}": {{"da": ["elbus"]}}.',
        "fi": 'Kentän "{key}" on oltava kielikartta, jossa on luetteloita ei-tyhjistä sanoista, '
        'esim. "{key}": {{"fi": ["sähköbussi"]}}.',
        "is": '"{key}" verður að vera tungumálakort með listum af orðum sem eru ekki tóm, '
        't.d. "{key}": {{"is": ["rafmagnsvagn"]}}.',
    },
    "lang_tag": {
        "en": '"{key}" uses a language tag that is not allowed; use sv, nb, nn, no, da, fi, is, en or se.',
        "sv": '"{key}" använder en språkkod som inte är tillåten; använd sv, nb, nn, no, da, fi, is, en eller se.',
        "nb": '"{key}" bruker en språkkode som ikke er tillatt; bruk sv, nb, nn, no, da, fi, is, en eller se.',
        "nn": '"{key}" brukar ein språkkode som ikkje er tillaten; bruk sv, nb, nn, no, da, fi, is, en eller se.',
        "da": '"{key}" bruger en sprogkode, der ikke er tilladt; brug sv, nb, nn, no, da, fi, is, en eller se.',
        "fi": 'Kentässä "{key}" on kielikoodi, joka ei ole sallittu; käytä koodia sv, nb, nn, no, da, fi, is, '
        "en tai se.",
        "is": '"{key}" notar tungumálakóða sem er ekki leyfður; notaðu sv, nb, nn, no, da, fi, is, en eða se.',
    },
    "code": {
        "en": '"{key}" has a value that is not a known code; use one of: {codes}.',
        "sv": '"{key}" har ett värde som inte är en känd kod; använd en av: {codes}.',
        "nb": '"{key}" har en verdi som ikke er en kjent kode; bruk en av: {codes}.',
        "nn": '"{key}" har ein verdi som ikkje er ein kjend kode; bruk ein av: {codes}.',
        "da": '"{key}" har en værdi, der ikke er en kendt kode; brug en af: {codes}.',
        "fi": 'Kentän "{key}" arvo ei ole tunnettu koodi; käytä jotakin näistä: {codes}.',
        "is": '"{key}" hefur gildi sem er ekki þekktur kóði; notaðu einn af: {codes}.',
    },
    "cpv": {
        "en": '"{key}" must hold 8-digit CPV codes without check digit, e.g. "34144900".',
        "sv": '"{key}" ska innehålla 8-siffriga CPV-koder utan kontrollsiffra, t.ex. "34144900".',
        "nb": '"{key}" må inneholde 8-sifrede CPV-koder uten kontrollsiffer, f.eks. "34144900".',
        "nn": '"{key}" må innehalde 8-sifra CPV-kodar utan kontrollsiffer, t.d. "34144900".',
        "da": '"{key}" skal indeholde 8-cifrede CPV-koder uden kontrolciffer, f.eks. "34144900".',
        "fi": 'Kentässä "{key}" on oltava 8-numeroisia CPV-koodeja ilman tarkistusnumeroa, esim. "34144900".',
        "is": '"{key}" verður að innihalda 8 stafa CPV-kóða án vartölu, t.d. "34144900".',
    },
    "date": {
        "en": '"{key}" must be a real date written YYYY-MM-DD, or just YYYY-MM or YYYY when the day or month is not known, e.g. "2024-03-01", "2024-03" or "2024".',
        "sv": '"{key}" ska vara ett giltigt datum skrivet ÅÅÅÅ-MM-DD, eller bara ÅÅÅÅ-MM eller ÅÅÅÅ när dag eller månad inte är känd, t.ex. "2024-03-01", "2024-03" eller "2024".',
        "nb": '"{key}" må være en gyldig dato skrevet ÅÅÅÅ-MM-DD, eller bare ÅÅÅÅ-MM eller ÅÅÅÅ når dag eller måned ikke er kjent, f.eks. "2024-03-01", "2024-03" eller "2024".',
        "nn": '"{key}" må vere ein gyldig dato skriven ÅÅÅÅ-MM-DD, eller berre ÅÅÅÅ-MM eller ÅÅÅÅ når dag eller månad ikkje er kjend, t.d. "2024-03-01", "2024-03" eller "2024".',
        "da": '"{key}" skal være en gyldig dato skrevet ÅÅÅÅ-MM-DD, eller kun ÅÅÅÅ-MM eller ÅÅÅÅ, når dag eller måned ikke kendes, f.eks. "2024-03-01", "2024-03" eller "2024".',
        "fi": 'Kentän "{key}" on oltava oikea päivämäärä muodossa VVVV-KK-PP, tai pelkkä VVVV-KK tai VVVV, kun päivää tai kuukautta ei tiedetä, esim. "2024-03-01", "2024-03" tai "2024".',
        "is": '"{key}" verður að vera gild dagsetning á forminu ÁÁÁÁ-MM-DD, eða bara ÁÁÁÁ-MM eða ÁÁÁÁ þegar dagur eða mánuður er ekki þekktur, t.d. "2024-03-01", "2024-03" eða "2024".',
    },
    "datetime": {
        "en": '"{key}" must be a date and time, e.g. "2024-03-01T12:00:00Z".',
        "sv": '"{key}" ska vara datum och tid, t.ex. "2024-03-01T12:00:00Z".',
        "nb": '"{key}" må være dato og tid, f.eks. "2024-03-01T12:00:00Z".',
        "nn": '"{key}" må vere dato og tid, t.d. "2024-03-01T12:00:00Z".',
        "da": '"{key}" skal være dato og tid, f.eks. "2024-03-01T12:00:00Z".',
        "fi": 'Kentän "{key}" on oltava päivämäärä ja aika, esim. "2024-03-01T12:00:00Z".',
        "is": '"{key}" verður að vera dagsetning og tími, t.d. "2024-03-01T12:00:00Z".',
    },
    "date_order": {
        "en": '"startDate" is after "endDate"; correct one of them.',
        "sv": '"startDate" är senare än "endDate"; rätta något av dem.',
        "nb": '"startDate" er etter "endDate"; rett en av dem.',
        "nn": '"startDate" er etter "endDate"; rett ein av dei.',
        "da": '"startDate" ligger efter "endDate"; ret en af dem.',
        "fi": '"startDate" on myöhäisempi kuin "endDate"; korjaa jompikumpi.',
        "is": '"startDate" er á eftir "endDate"; leiðréttu annað hvort.',
    },
    "amount": {
        "en": '"{key}" must be an amount of 0 or more: an integer like 1200000 or a decimal string '
        'like "1500.50" (not a JSON fraction).',
        "sv": '"{key}" ska vara ett belopp på 0 eller mer: ett heltal som 1200000 eller en decimalsträng '
        'som "1500.50" (inte ett JSON-decimaltal).',
        "nb": '"{key}" må være et beløp på 0 eller mer: et heltall som 1200000 eller en desimalstreng '
        'som "1500.50" (ikke et JSON-desimaltall).',
        "nn": '"{key}" må vere eit beløp på 0 eller meir: eit heiltal som 1200000 eller ein desimalstreng '
        'som "1500.50" (ikkje eit JSON-desimaltal).',
        "da": '"{key}" skal være et beløb på 0 eller mere: et heltal som 1200000 eller en decimalstreng '
        'som "1500.50" (ikke et JSON-decimaltal).',
        "fi": 'Kentän "{key}" on oltava vähintään 0 oleva summa: kokonaisluku kuten 1200000 tai '
        'desimaalimerkkijono kuten "1500.50" (ei JSON-desimaalilukua).',
        "is": '"{key}" verður að vera upphæð 0 eða meira: heiltala eins og 1200000 eða tugabrotsstrengur '
        'eins og "1500.50" (ekki JSON-tugabrot).',
    },
    "boolean": {
        "en": '"{key}" must be true or false.',
        "sv": '"{key}" ska vara true eller false.',
        "nb": '"{key}" må være true eller false.',
        "nn": '"{key}" må vere true eller false.',
        "da": '"{key}" skal være true eller false.',
        "fi": 'Kentän "{key}" on oltava true tai false.',
        "is": '"{key}" verður að vera true eða false.',
    },
    "email": {
        "en": '"{key}" must be an e-mail address written as a mailto: link, e.g. "mailto:name@example.org".',
        "sv": '"{key}" ska vara en e-postadress skriven som mailto:-länk, t.ex. "mailto:namn@example.org".',
        "nb": '"{key}" må være en e-postadresse skrevet som mailto:-lenke, f.eks. "mailto:navn@example.org".',
        "nn": '"{key}" må vere ei e-postadresse skriven som mailto:-lenkje, t.d. "mailto:namn@example.org".',
        "da": '"{key}" skal være en e-mailadresse skrevet som mailto:-link, f.eks. "mailto:navn@example.org".',
        "fi": 'Kentän "{key}" on oltava sähköpostiosoite mailto:-linkkinä, esim. "mailto:nimi@example.org".',
        "is": '"{key}" verður að vera netfang skrifað sem mailto:-tengill, t.d. "mailto:nafn@example.org".',
    },
    "phone": {
        "en": '"{key}" must be a phone number written as a tel: link, e.g. "tel:+46701234567".',
        "sv": '"{key}" ska vara ett telefonnummer skrivet som tel:-länk, t.ex. "tel:+46701234567".',
        "nb": '"{key}" må være et telefonnummer skrevet som tel:-lenke, f.eks. "tel:+4791234567".',
        "nn": '"{key}" må vere eit telefonnummer skrive som tel:-lenkje, t.d. "tel:+4791234567".',
        "da": '"{key}" skal være et telefonnummer skrevet som tel:-link, f.eks. "tel:+4512345678".',
        "fi": 'Kentän "{key}" on oltava puhelinnumero tel:-linkkinä, esim. "tel:+358401234567".',
        "is": '"{key}" verður að vera símanúmer skrifað sem tel:-tengill, t.d. "tel:+3545551234".',
    },
    "url": {
        "en": '"{key}" must be a web address starting with https:// or http://.',
        "sv": '"{key}" ska vara en webbadress som börjar med https:// eller http://.',
        "nb": '"{key}" må være en nettadresse som begynner med https:// eller http://.',
        "nn": '"{key}" må vere ei nettadresse som byrjar med https:// eller http://.',
        "da": '"{key}" skal være en webadresse, der begynder med https:// eller http://.',
        "fi": 'Kentän "{key}" on oltava verkko-osoite, joka alkaa https:// tai http://.',
        "is": '"{key}" verður að vera veffang sem byrjar á https:// eða http://.',
    },
    "text": {
        "en": '"{key}" must be one non-empty plain text (not a language map, not a list).',
        "sv": '"{key}" ska vara en icke-tom vanlig text (inte en språkkarta eller lista).',
        "nb": '"{key}" må være én vanlig tekst som ikke er tom (ikke et språkkart eller en liste).',
        "nn": '"{key}" må vere éin vanleg tekst som ikkje er tom (ikkje eit språkkart eller ei liste).',
        "da": '"{key}" skal være én ikke-tom almindelig tekst (ikke et sprogkort eller en liste).',
        "fi": 'Kentän "{key}" on oltava yksi ei-tyhjä tavallinen teksti (ei kielikartta eikä luettelo).',
        "is": '"{key}" verður að vera einn venjulegur texti sem er ekki tómur (ekki tungumálakort eða listi).',
    },
    "nested": {
        "en": '"{key}" must be an object with its own required fields.',
        "sv": '"{key}" ska vara ett objekt med sina egna obligatoriska fält.',
        "nb": '"{key}" må være et objekt med sine egne obligatoriske felt.',
        "nn": '"{key}" må vere eit objekt med sine eigne obligatoriske felt.',
        "da": '"{key}" skal være et objekt med sine egne påkrævede felter.',
        "fi": 'Kentän "{key}" on oltava objekti, jolla on omat pakolliset kenttänsä.',
        "is": '"{key}" verður að vera hlutur með sína eigin nauðsynlegu reiti.',
    },
    "reachable": {
        "en": '"contact" needs an "email" or a "phone" so that people can reach it.',
        "sv": '"contact" behöver "email" eller "phone" så att man kan nå kontakten.',
        "nb": '"contact" trenger "email" eller "phone" slik at folk kan nå kontakten.',
        "nn": '"contact" treng "email" eller "phone" slik at folk kan nå kontakten.',
        "da": '"contact" skal have "email" eller "phone", så folk kan nå kontakten.',
        "fi": 'Kentässä "contact" on oltava "email" tai "phone", jotta yhteyshenkilön tavoittaa.',
        "is": '"contact" þarf "email" eða "phone" svo hægt sé að ná í tengiliðinn.',
    },
    # ---- places and official notices (issue 12) ----
    "municipality": {
        "en": '"{key}" has a value that is not an official municipality code with its country prefix: write e.g. "SE-0180" (kommunkod), "NO-0301" (kommunenummer), "DK-101" (kommunekode), "FI-091" (kuntanumero) or "IS-0000" (sveitarfélagsnúmer); Swedish, Norwegian and ISO-coded Icelandic ones must be in the shipped list.',
        "sv": '"{key}" har ett värde som inte är en officiell kommunkod med landsprefix: skriv t.ex. "SE-0180" (kommunkod), "NO-0301" (kommunenummer), "DK-101" (kommunekode), "FI-091" (kuntanumero) eller "IS-0000" (sveitarfélagsnúmer); svenska, norska och ISO-kodade isländska koder måste finnas i den medföljande listan.',
        "nb": '"{key}" har en verdi som ikke er et offisielt kommunenummer med landprefiks: skriv f.eks. "SE-0180" (kommunkod), "NO-0301" (kommunenummer), "DK-101" (kommunekode), "FI-091" (kuntanumero) eller "IS-0000" (sveitarfélagsnúmer); svenske, norske og ISO-kodede islandske koder må finnes i den medfølgende listen.',
        "nn": '"{key}" har ein verdi som ikkje er eit offisielt kommunenummer med landprefiks: skriv t.d. "SE-0180" (kommunkod), "NO-0301" (kommunenummer), "DK-101" (kommunekode), "FI-091" (kuntanumero) eller "IS-0000" (sveitarfélagsnúmer); svenske, norske og ISO-koda islandske kodar må finnast i den medfølgjande lista.',
        "da": '"{key}" har en værdi, der ikke er en officiel kommunekode med landepræfiks: skriv f.eks. "SE-0180" (kommunkod), "NO-0301" (kommunenummer), "DK-101" (kommunekode), "FI-091" (kuntanumero) eller "IS-0000" (sveitarfélagsnúmer); svenske, norske og ISO-kodede islandske koder skal findes i den medfølgende liste.',
        "fi": 'Kentän "{key}" arvo ei ole virallinen kuntakoodi maatunnuksineen: kirjoita esim. "SE-0180" (kommunkod), "NO-0301" (kommunenummer), "DK-101" (kommunekode), "FI-091" (kuntanumero) tai "IS-0000" (sveitarfélagsnúmer); ruotsalaisten, norjalaisten ja ISO-koodattujen islantilaisten koodien on oltava mukana toimitetussa luettelossa.',
        "is": '"{key}" hefur gildi sem er ekki opinbert sveitarfélagsnúmer með landsforskeyti: skrifaðu t.d. "SE-0180" (kommunkod), "NO-0301" (kommunenummer), "DK-101" (kommunekode), "FI-091" (kuntanumero) eða "IS-0000" (sveitarfélagsnúmer); sænsk, norsk og ISO-kóðuð íslensk númer verða að vera á meðfylgjandi lista.',
    },
    "notice_scheme": {
        "en": 'A "noticeIdentifier" needs an "identifierScheme" the vocabulary knows: one of {schemes}.',
        "sv": 'En "noticeIdentifier" behöver ett "identifierScheme" som vokabulären känner till: ett av {schemes}.',
        "nb": 'En "noticeIdentifier" trenger et "identifierScheme" som vokabularet kjenner: ett av {schemes}.',
        "nn": 'Ein "noticeIdentifier" treng eit "identifierScheme" som vokabularet kjenner: eitt av {schemes}.',
        "da": 'En "noticeIdentifier" skal have et "identifierScheme", som vokabularet kender: et af {schemes}.',
        "fi": 'Kentällä "noticeIdentifier" on oltava sanaston tuntema "identifierScheme": jokin näistä: {schemes}.',
        "is": '"noticeIdentifier" þarf "identifierScheme" sem orðaforðinn þekkir: eitt af {schemes}.',
    },
    "notice_notation": {
        "en": 'A "noticeIdentifier" in the scheme "{scheme}" ({label}) needs a "notation" in its format, e.g. "{example}".',
        "sv": 'En "noticeIdentifier" i schemat "{scheme}" ({label}) behöver en "notation" i dess format, t.ex. "{example}".',
        "nb": 'En "noticeIdentifier" i ordningen "{scheme}" ({label}) trenger en "notation" i dens format, f.eks. "{example}".',
        "nn": 'Ein "noticeIdentifier" i ordninga "{scheme}" ({label}) treng ein "notation" i formatet til ordninga, t.d. "{example}".',
        "da": 'En "noticeIdentifier" i ordningen "{scheme}" ({label}) skal have en "notation" i dens format, f.eks. "{example}".',
        "fi": 'Järjestelmän "{scheme}" ({label}) kentän "noticeIdentifier" "notation" on oltava sen muodossa, esim. "{example}".',
        "is": '"noticeIdentifier" í kerfinu "{scheme}" ({label}) þarf "notation" á sniði þess, t.d. "{example}".',
    },
    # ---- vocabulary 1.1: at least one of several keys ----
    "one_of": {
        "en": "Give at least one of {keys}; none of them is there.",
        "sv": "Ange minst ett av {keys}; inget av dem finns.",
        "nb": "Oppgi minst ett av {keys}; ingen av dem finnes.",
        "nn": "Oppgje minst eitt av {keys}; ingen av dei finst.",
        "da": "Angiv mindst ét af {keys}; ingen af dem findes.",
        "fi": "Anna vähintään yksi kentistä {keys}; yhtäkään ei ole.",
        "is": "Gefðu að minnsta kosti eitt af {keys}; ekkert þeirra er til staðar.",
    },
    "stage_tip": {
        "en": 'The case says nothing about how far it has come; add "status" (the stage it is at) or "milestone" (stages with their dates, e.g. {{"status": "contract-awarded", "date": "2023-05"}}).',
        "sv": 'Fallet säger inget om hur långt det har kommit; lägg till "status" (skedet det är i) eller "milestone" (skeden med datum, t.ex. {{"status": "contract-awarded", "date": "2023-05"}}).',
        "nb": 'Saken sier ikke hvor langt den har kommet; legg til "status" (fasen den er i) eller "milestone" (faser med dato, f.eks. {{"status": "contract-awarded", "date": "2023-05"}}).',
        "nn": 'Saka seier ikkje kor langt ho har kome; legg til "status" (fasen ho er i) eller "milestone" (fasar med dato, t.d. {{"status": "contract-awarded", "date": "2023-05"}}).',
        "da": 'Sagen siger ikke, hvor langt den er nået; tilføj "status" (fasen den er i) eller "milestone" (faser med dato, f.eks. {{"status": "contract-awarded", "date": "2023-05"}}).',
        "fi": 'Tapaus ei kerro, kuinka pitkällä se on; lisää "status" (nykyinen vaihe) tai "milestone" (vaiheet päivämäärineen, esim. {{"status": "contract-awarded", "date": "2023-05"}}).',
        "is": 'Málið segir ekkert um hversu langt það er komið; bættu við "status" (stiginu sem það er á) eða "milestone" (stigum með dagsetningu, t.d. {{"status": "contract-awarded", "date": "2023-05"}}).',
    },
    "org_number": {
        "en": '"{key}" "{value}" is not a valid {register} (its format or check digit is wrong); copy it from the national register, or leave "orgNumber" out if it is not known.',
        "sv": '"{key}" "{value}" är inte ett giltigt {register} (formatet eller kontrollsiffran är fel); kopiera det från det nationella registret, eller utelämna "orgNumber" om det inte är känt.',
        "nb": '"{key}" "{value}" er ikke et gyldig {register} (formatet eller kontrollsifferet er feil); kopier det fra det nasjonale registeret, eller utelat "orgNumber" hvis det ikke er kjent.',
        "nn": '"{key}" "{value}" er ikkje eit gyldig {register} (formatet eller kontrollsifferet er feil); kopier det frå det nasjonale registeret, eller utelat "orgNumber" om det ikkje er kjent.',
        "da": '"{key}" "{value}" er ikke et gyldigt {register} (formatet eller kontrolcifferet er forkert); kopiér det fra det nationale register, eller udelad "orgNumber", hvis det ikke kendes.',
        "fi": '"{key}" "{value}" ei ole kelvollinen {register} (muoto tai tarkistusnumero on väärä); kopioi se kansallisesta rekisteristä tai jätä "orgNumber" pois, jos sitä ei tiedetä.',
        "is": '"{key}" "{value}" er ekki gild {register} (sniðið eða vartalan er röng); afritaðu hana úr opinberri skrá eða slepptu "orgNumber" ef hún er ekki þekkt.',
    },
    # ---- document-level checks done by the engine itself ----
    "no_case": {
        "en": 'No case found: the document needs one object with "type": "Case".',
        "sv": 'Inget fall hittades: dokumentet behöver ett objekt med "type": "Case".',
        "nb": 'Fant ingen sak: dokumentet trenger ett objekt med "type": "Case".',
        "nn": 'Fann inga sak: dokumentet treng eitt objekt med "type": "Case".',
        "da": 'Ingen sag fundet: dokumentet skal have ét objekt med "type": "Case".',
        "fi": 'Tapausta ei löytynyt: asiakirjassa on oltava yksi objekti, jolla on "type": "Case".',
        "is": 'Ekkert mál fannst: skjalið þarf einn hlut með "type": "Case".',
    },
    "many_cases": {
        "en": "The document holds {n} cases; put each case in a document of its own.",
        "sv": "Dokumentet innehåller {n} fall; lägg varje fall i ett eget dokument.",
        "nb": "Dokumentet inneholder {n} saker; legg hver sak i et eget dokument.",
        "nn": "Dokumentet inneheld {n} saker; legg kvar sak i eit eige dokument.",
        "da": "Dokumentet indeholder {n} sager; læg hver sag i sit eget dokument.",
        "fi": "Asiakirjassa on {n} tapausta; laita jokainen tapaus omaan asiakirjaansa.",
        "is": "Skjalið inniheldur {n} mál; settu hvert mál í sérstakt skjal.",
    },
    # ---- work bounds checked before SHACL (shapes/bounds.py) ----
    "value_cap": {
        "en": '"{key}" has {n} values; at most {limit} are accepted, so the case was not checked further. Keep the values that matter and send the case again.',
        "sv": '"{key}" har {n} värden; högst {limit} tas emot, så fallet kontrollerades inte vidare. Behåll de värden som betyder något och skicka fallet igen.',
        "nb": '"{key}" har {n} verdier; høyst {limit} tas imot, så saken ble ikke kontrollert videre. Behold verdiene som betyr noe, og send saken på nytt.',
        "nn": '"{key}" har {n} verdiar; høgst {limit} blir tekne imot, så saka vart ikkje kontrollert vidare. Behald verdiane som betyr noko, og send saka på nytt.',
        "da": '"{key}" har {n} værdier; højst {limit} modtages, så sagen blev ikke kontrolleret videre. Behold de værdier, der betyder noget, og send sagen igen.',
        "fi": 'Kentässä "{key}" on {n} arvoa; enintään {limit} otetaan vastaan, joten tapausta ei tarkistettu pidemmälle. Säilytä tärkeät arvot ja lähetä tapaus uudelleen.',
        "is": '"{key}" hefur {n} gildi; að hámarki {limit} eru tekin við, svo málið var ekki athugað frekar. Haltu gildunum sem skipta máli og sendu málið aftur.',
    },
    "literal_cap": {
        "en": "The case holds {n} values (texts, dates, numbers); at most {limit} are accepted, so it was not checked further. Shorten the case and send it again.",
        "sv": "Fallet innehåller {n} värden (texter, datum, tal); högst {limit} tas emot, så det kontrollerades inte vidare. Korta fallet och skicka det igen.",
        "nb": "Saken inneholder {n} verdier (tekster, datoer, tall); høyst {limit} tas imot, så den ble ikke kontrollert videre. Kort ned saken og send den på nytt.",
        "nn": "Saka inneheld {n} verdiar (tekstar, datoar, tal); høgst {limit} blir tekne imot, så ho vart ikkje kontrollert vidare. Kort ned saka og send ho på nytt.",
        "da": "Sagen indeholder {n} værdier (tekster, datoer, tal); højst {limit} modtages, så den blev ikke kontrolleret videre. Gør sagen kortere, og send den igen.",
        "fi": "Tapauksessa on {n} arvoa (tekstejä, päivämääriä, lukuja); enintään {limit} otetaan vastaan, joten sitä ei tarkistettu pidemmälle. Lyhennä tapausta ja lähetä se uudelleen.",
        "is": "Málið inniheldur {n} gildi (texta, dagsetningar, tölur); að hámarki {limit} eru tekin við, svo það var ekki athugað frekar. Styttu málið og sendu það aftur.",
    },
    # ---- the CLI's own words ----
    "file": {
        "en": "file",
        "sv": "fil",
        "nb": "fil",
        "nn": "fil",
        "da": "fil",
        "fi": "tiedosto",
        "is": "skrá",
    },
    "case": {
        "en": "case",
        "sv": "fall",
        "nb": "sak",
        "nn": "sak",
        "da": "sag",
        "fi": "tapaus",
        "is": "mál",
    },
    "field": {
        "en": "field",
        "sv": "fält",
        "nb": "felt",
        "nn": "felt",
        "da": "felt",
        "fi": "kenttä",
        "is": "reitur",
    },
    "value": {
        "en": "value",
        "sv": "värde",
        "nb": "verdi",
        "nn": "verdi",
        "da": "værdi",
        "fi": "arvo",
        "is": "gildi",
    },
    "Violation": {
        "en": "error",
        "sv": "fel",
        "nb": "feil",
        "nn": "feil",
        "da": "fejl",
        "fi": "virhe",
        "is": "villa",
    },
    "Warning": {
        "en": "warning",
        "sv": "varning",
        "nb": "advarsel",
        "nn": "åtvaring",
        "da": "advarsel",
        "fi": "varoitus",
        "is": "viðvörun",
    },
    "Info": {
        "en": "tip",
        "sv": "tips",
        "nb": "tips",
        "nn": "tips",
        "da": "tip",
        "fi": "vinkki",
        "is": "ábending",
    },
    "ok": {
        "en": "no problems found",
        "sv": "inga problem hittades",
        "nb": "ingen problemer funnet",
        "nn": "ingen problem funne",
        "da": "ingen problemer fundet",
        "fi": "ongelmia ei löytynyt",
        "is": "engin vandamál fundust",
    },
    "unreadable": {
        "en": "cannot be read",
        "sv": "kan inte läsas",
        "nb": "kan ikke leses",
        "nn": "kan ikkje lesast",
        "da": "kan ikke læses",
        "fi": "ei voi lukea",
        "is": "ekki hægt að lesa",
    },
    "no_files": {
        "en": "no .jsonld, .json, .ttl or .nt files found",
        "sv": "inga .jsonld-, .json-, .ttl- eller .nt-filer hittades",
        "nb": "fant ingen .jsonld-, .json-, .ttl- eller .nt-filer",
        "nn": "fann ingen .jsonld-, .json-, .ttl- eller .nt-filer",
        "da": "ingen .jsonld-, .json-, .ttl- eller .nt-filer fundet",
        "fi": ".jsonld-, .json-, .ttl- tai .nt-tiedostoja ei löytynyt",
        "is": "engar .jsonld-, .json-, .ttl- eða .nt-skrár fundust",
    },
    "summary": {
        "en": "{files} file(s): {violations} error(s), {warnings} warning(s), {infos} tip(s)",
        "sv": "{files} fil(er): {violations} fel, {warnings} varning(ar), {infos} tips",
        "nb": "{files} fil(er): {violations} feil, {warnings} advarsel/advarsler, {infos} tips",
        "nn": "{files} fil(er): {violations} feil, {warnings} åtvaring(ar), {infos} tips",
        "da": "{files} fil(er): {violations} fejl, {warnings} advarsl(er), {infos} tip",
        "fi": "{files} tiedosto(a): {violations} virhe(ttä), {warnings} varoitus(ta), {infos} vinkki(ä)",
        "is": "{files} skrá(r): {violations} villa/villur, {warnings} viðvörun/viðvaranir, {infos} ábending(ar)",
    },
}


def chain(lang: str) -> tuple[str, ...]:
    """Languages to try, best first: the requested one, then its fallbacks, then English."""
    lang = (lang or "en").lower().split("-")[0]
    return FALLBACKS.get(lang, (lang, "en"))


def pick(texts: dict[str, str], lang: str) -> str:
    """The best text for `lang` from a {language: text} map (empty string when there is none)."""
    for candidate in chain(lang):
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()), "")


def say(message: str, lang: str = "en", **values) -> str:
    """The catalogue sentence `message` in `lang` (with fallback), with `{placeholders}` filled in."""
    return pick(CATALOGUE[message], lang).format(**values)


def all_languages(message: str, **values) -> dict[str, str]:
    """The sentence in every supported language (used to write `sh:message`s)."""
    return {lang: CATALOGUE[message][lang].format(**values) for lang in LANGUAGES}
