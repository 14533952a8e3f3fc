"""Word lists for the synthetic federation: per language, towns, subjects and sentence templates.

Subjects carry their sector and real CPV codes (checked against the CPV authority table) so a
generated case is coherent across languages: the Swedish and the English title speak of the
same thing. Templates take {thing}, {town}, {group}, {n} and {year}.
"""

from __future__ import annotations

# code -> (sector, CPV codes, {language: phrase})
SUBJECTS: list[tuple[str, list[str], dict[str, str]]] = [
    (
        "transport",
        ["34144900", "60112000", "34121400"],
        {
            "sv": "elbussar",
            "nb": "elektriske busser",
            "nn": "elektriske bussar",
            "da": "elbusser",
            "fi": "sähköbussit",
            "is": "rafmagnsstrætisvagnar",
            "en": "electric buses",
        },
    ),
    (
        "health-social-care",
        ["33190000", "85300000"],
        {
            "sv": "digitala trygghetslarm",
            "nb": "digitale trygghetsalarmer",
            "nn": "digitale tryggleiksalarmar",
            "da": "digitale nødkald",
            "fi": "digitaaliset turvapuhelimet",
            "is": "stafrænir öryggishnappar",
            "en": "digital safety alarms",
        },
    ),
    (
        "health-social-care",
        ["33190000", "85100000", "48180000"],
        {
            "sv": "distansövervakning av patienter",
            "nb": "digital hjemmeoppfølging",
            "nn": "digital heimeoppfølging",
            "da": "telemedicinsk hjemmemonitorering",
            "fi": "potilaiden etäseuranta",
            "is": "fjarvöktun sjúklinga",
            "en": "remote patient monitoring",
        },
    ),
    (
        "food-meals",
        ["15000000", "55520000", "55320000"],
        {
            "sv": "klimatsmarta skolmåltider",
            "nb": "klimavennlige skolemåltider",
            "nn": "klimavenlege skulemåltid",
            "da": "klimavenlige skolemåltider",
            "fi": "ilmastoystävälliset kouluateriat",
            "is": "loftslagsvænar skólamáltíðir",
            "en": "climate-friendly school meals",
        },
    ),
    (
        "energy",
        ["09331000", "09310000", "31680000"],
        {
            "sv": "solceller på kommunala byggnader",
            "nb": "solceller på kommunale bygg",
            "nn": "solceller på kommunale bygg",
            "da": "solceller på offentlige bygninger",
            "fi": "aurinkopaneelit julkisissa rakennuksissa",
            "is": "sólarsellur á opinberum byggingum",
            "en": "solar panels on public buildings",
        },
    ),
    (
        "construction-housing",
        ["45210000", "45000000", "71000000"],
        {
            "sv": "fossilfria byggarbetsplatser",
            "nb": "utslippsfrie byggeplasser",
            "nn": "utsleppsfrie byggjeplassar",
            "da": "emissionsfri byggepladser",
            "fi": "päästöttömät työmaat",
            "is": "losunarlaus byggingarsvæði",
            "en": "zero-emission construction sites",
        },
    ),
    (
        "it-digitalisation",
        ["48000000", "72000000", "72200000"],
        {
            "sv": "AI-stöd för ärendehandläggning",
            "nb": "kunstig intelligens i saksbehandling",
            "nn": "kunstig intelligens i sakshandsaming",
            "da": "kunstig intelligens i sagsbehandling",
            "fi": "tekoäly asiankäsittelyssä",
            "is": "gervigreind við afgreiðslu mála",
            "en": "AI-assisted case handling",
        },
    ),
    (
        "education",
        ["80000000", "30213000", "48000000"],
        {
            "sv": "digitala lärverktyg",
            "nb": "digitale læremidler",
            "nn": "digitale læremiddel",
            "da": "digitale læremidler",
            "fi": "digitaaliset oppimateriaalit",
            "is": "stafræn námsgögn",
            "en": "digital learning tools",
        },
    ),
    (
        "water-waste",
        ["90500000", "90510000"],
        {
            "sv": "smart avfallsinsamling",
            "nb": "smart avfallsinnsamling",
            "nn": "smart avfallsinnsamling",
            "da": "intelligent affaldsindsamling",
            "fi": "älykäs jätteenkeräys",
            "is": "snjöll sorphirða",
            "en": "smart waste collection",
        },
    ),
    (
        "water-waste",
        ["90400000", "65100000"],
        {
            "sv": "läcksökning i vattennätet",
            "nb": "lekkasjesøk i vannettet",
            "nn": "lekkasjesøk i vassnettet",
            "da": "lækagesøgning i vandnettet",
            "fi": "vuotojen paikannus vesiverkossa",
            "is": "lekaleit í vatnsveitukerfinu",
            "en": "leak detection in the water network",
        },
    ),
    (
        "public-safety",
        ["35120000", "35000000"],
        {
            "sv": "drönare för räddningstjänsten",
            "nb": "droner for brannvesenet",
            "nn": "dronar for brannvesenet",
            "da": "droner til beredskabet",
            "fi": "droonit pelastustoimelle",
            "is": "drónar fyrir slökkviliðið",
            "en": "drones for the fire and rescue service",
        },
    ),
    (
        "public-administration",
        ["79400000", "72500000", "48600000"],
        {
            "sv": "digital brevlåda för invånare",
            "nb": "digital postkasse for innbyggere",
            "nn": "digital postkasse for innbyggjarar",
            "da": "digital postkasse til borgere",
            "fi": "digitaalinen postilaatikko asukkaille",
            "is": "stafrænt pósthólf fyrir íbúa",
            "en": "digital mailbox for residents",
        },
    ),
    (
        "culture-leisure",
        ["92000000", "92500000"],
        {
            "sv": "digitala bibliotekstjänster",
            "nb": "digitale bibliotektjenester",
            "nn": "digitale bibliotektenester",
            "da": "digitale bibliotekstjenester",
            "fi": "digitaaliset kirjastopalvelut",
            "is": "stafræn bókasafnsþjónusta",
            "en": "digital library services",
        },
    ),
    (
        "environment-climate",
        ["90700000", "38000000"],
        {
            "sv": "sensorer för luftkvalitet",
            "nb": "luftkvalitetssensorer",
            "nn": "luftkvalitetssensorar",
            "da": "luftkvalitetssensorer",
            "fi": "ilmanlaatuanturit",
            "is": "loftgæðaskynjarar",
            "en": "air-quality sensors",
        },
    ),
    (
        "health-social-care",
        ["33190000", "48180000"],
        {
            "sv": "läkemedelsrobotar i hemtjänsten",
            "nb": "medisinroboter i hjemmetjenesten",
            "nn": "medisinrobotar i heimetenesta",
            "da": "medicinrobotter i hjemmeplejen",
            "fi": "lääkerobotit kotihoidossa",
            "is": "lyfjaskammtarar í heimaþjónustu",
            "en": "medicine-dispensing robots in home care",
        },
    ),
    (
        "transport",
        ["34144700", "60100000"],
        {
            "sv": "självkörande minibussar",
            "nb": "selvkjørende minibusser",
            "nn": "sjølvkøyrande minibussar",
            "da": "selvkørende minibusser",
            "fi": "itseohjautuvat pienbussit",
            "is": "sjálfkeyrandi smávagnar",
            "en": "self-driving shuttle buses",
        },
    ),
]

# language -> country code, language code, currency, phone prefix, towns, buyer pattern, groups
LANGUAGES: dict[str, dict] = {
    "sv": {
        "country": "SWE",
        "language": "SWE",
        "currency": "SEK",
        "phone": "+46",
        "towns": ["Växjö", "Umeå", "Linköping", "Örebro", "Gävle", "Luleå", "Malmö", "Borås", "Skellefteå"],
        "buyer": "{town} kommun",
        "groups": ["äldre", "elever", "invånare", "patienter"],
    },
    "nb": {
        "country": "NOR",
        "language": "NOB",
        "currency": "NOK",
        "phone": "+47",
        "towns": ["Bærum", "Drammen", "Tromsø", "Stavanger", "Kristiansand", "Bodø", "Asker", "Hamar"],
        "buyer": "{town} kommune",
        "groups": ["eldre", "elever", "innbyggere", "pasienter"],
    },
    "nn": {
        "country": "NOR",
        "language": "NNO",
        "currency": "NOK",
        "phone": "+47",
        "towns": ["Voss", "Førde", "Volda", "Stord", "Sogndal", "Ørsta", "Odda"],
        "buyer": "{town} kommune",
        "groups": ["eldre", "elevar", "innbyggjarar", "pasientar"],
    },
    "da": {
        "country": "DNK",
        "language": "DAN",
        "currency": "DKK",
        "phone": "+45",
        "towns": ["Aarhus", "Odense", "Aalborg", "Vejle", "Esbjerg", "Horsens", "Randers", "Kolding"],
        "buyer": "{town} Kommune",
        "groups": ["ældre", "elever", "borgere", "patienter"],
    },
    "fi": {
        "country": "FIN",
        "language": "FIN",
        "currency": "EUR",
        "phone": "+358",
        "towns": ["Tampere", "Oulu", "Espoo", "Vantaa", "Turku", "Jyväskylä", "Kuopio", "Lahti"],
        "buyer": "{town}n kaupunki",
        "groups": ["ikääntyneet", "oppilaat", "asukkaat", "potilaat"],
    },
    "is": {
        "country": "ISL",
        "language": "ISL",
        "currency": "ISK",
        "phone": "+354",
        "towns": ["Reykjavík", "Akureyri", "Kópavogur", "Hafnarfjörður", "Garðabær", "Ísafjörður"],
        "buyer": "Sveitarfélagið {town}",
        "groups": ["eldri borgarar", "nemendur", "íbúar", "sjúklingar"],
    },
    "en": {
        "country": "FIN",
        "language": "ENG",
        "currency": "EUR",
        "phone": "+358",
        "towns": ["Nordic Council", "Helsinki Region", "Øresund Region", "Barents Region"],
        "buyer": "{town} Secretariat",
        "groups": ["older people", "pupils", "residents", "patients"],
    },
}

TITLES = {
    "sv": [
        "Innovationsupphandling av {thing} i {town}",
        "{Thing} för {group} i {town}",
        "Pilot med {thing}",
        "Förkommersiell upphandling: {thing}",
    ],
    "nb": [
        "Innovasjonsanskaffelse av {thing} i {town}",
        "{Thing} for {group} i {town}",
        "Pilot med {thing}",
        "Førkommersiell anskaffelse: {thing}",
    ],
    "nn": [
        "Innovasjonsinnkjøp av {thing} i {town}",
        "{Thing} for {group} i {town}",
        "Pilot med {thing}",
        "Førkommersielt innkjøp: {thing}",
    ],
    "da": [
        "Innovativt indkøb af {thing} i {town}",
        "{Thing} til {group} i {town}",
        "Pilotprojekt med {thing}",
        "Førkommercielt indkøb: {thing}",
    ],
    "fi": [
        "Innovatiivinen hankinta: {thing} ({town})",
        "{Thing} – {town}",
        "Pilotti: {thing}",
        "Esikaupallinen hankinta: {thing}",
    ],
    "is": [
        "Nýsköpunarinnkaup á {thing} í {town}",
        "{Thing} fyrir {group}",
        "Tilraunaverkefni: {thing}",
        "Forviðskiptaleg innkaup: {thing}",
    ],
    "en": [
        "Innovation procurement of {thing} in {town}",
        "{Thing} for {group} in {town}",
        "Pilot of {thing}",
        "Pre-commercial procurement: {thing}",
    ],
}

# field -> per language, templates (two sentences are drawn per field)
TEXTS = {
    "sv": {
        "summary": [
            "{Town} har upphandlat {thing} i dialog med marknaden.",
            "Projektet omfattade {n} verksamheter och pågick sedan {year}.",
            "Upphandlingen beskrev behovet funktionellt i stället för att styra lösningen.",
        ],
        "need": [
            "Verksamheten behövde {thing} för att möta ökande behov hos {group}.",
            "Kostnaderna ökade och kvaliteten för {group} behövde förbättras.",
            "Befintliga lösningar saknade stöd för öppna standarder.",
        ],
        "outcome": [
            "Piloten visade {n} procent lägre kostnader än tidigare.",
            "{Group} upplevde tjänsten som tryggare och enklare.",
            "Lösningen har nu spridits till fler förvaltningar.",
        ],
        "lessonsLearned": [
            "Tidig marknadsdialog gav bättre anbud.",
            "Det var avgörande att involvera {group} från början.",
            "Avtalet borde ha reglerat dataformat tydligare.",
        ],
        "risks": [
            "Leverantören kunde misslyckas med att skala upp.",
            "Tekniken var oprövad i nordiskt klimat.",
        ],
        "riskSharing": [
            "Risken delades genom etappvisa betalningar.",
            "Leverantören behöll immateriella rättigheter mot licens till kommunen.",
        ],
        "adoptionNote": [
            "Andra kommuner kan avropa från ramavtalet.",
            "Förfrågningsunderlaget får återanvändas fritt.",
        ],
    },
    "nb": {
        "summary": [
            "{Town} har anskaffet {thing} i dialog med markedet.",
            "Prosjektet omfattet {n} virksomheter og har pågått siden {year}.",
            "Behovet ble beskrevet funksjonelt i stedet for å styre løsningen.",
        ],
        "need": [
            "Kommunen trengte {thing} for å møte økende behov hos {group}.",
            "Kostnadene økte og kvaliteten for {group} måtte bli bedre.",
            "Eksisterende løsninger manglet støtte for åpne standarder.",
        ],
        "outcome": [
            "Piloten viste {n} prosent lavere kostnader enn før.",
            "{Group} opplevde tjenesten som tryggere og enklere.",
            "Løsningen er nå tatt i bruk i flere etater.",
        ],
        "lessonsLearned": [
            "Tidlig markedsdialog ga bedre tilbud.",
            "Det var avgjørende å involvere {group} fra start.",
            "Kontrakten burde regulert dataformater tydeligere.",
        ],
        "risks": [
            "Leverandøren kunne mislykkes med å skalere opp.",
            "Teknologien var uprøvd i nordisk klima.",
        ],
        "riskSharing": [
            "Risikoen ble delt gjennom trinnvise betalinger.",
            "Leverandøren beholdt immaterielle rettigheter mot lisens til kommunen.",
        ],
        "adoptionNote": [
            "Andre kommuner kan gjøre avrop på rammeavtalen.",
            "Konkurransegrunnlaget kan gjenbrukes fritt.",
        ],
    },
    "nn": {
        "summary": [
            "{Town} har kjøpt inn {thing} i dialog med marknaden.",
            "Prosjektet omfatta {n} verksemder og har gått sidan {year}.",
            "Behovet vart skildra funksjonelt i staden for å styre løysinga.",
        ],
        "need": [
            "Kommunen trong {thing} for å møte aukande behov hjå {group}.",
            "Kostnadene auka og kvaliteten for {group} måtte bli betre.",
            "Dei eksisterande løysingane mangla støtte for opne standardar.",
        ],
        "outcome": [
            "Piloten viste {n} prosent lågare kostnader enn før.",
            "{Group} opplevde tenesta som tryggare og enklare.",
            "Løysinga er no teken i bruk i fleire etatar.",
        ],
        "lessonsLearned": [
            "Tidleg marknadsdialog gav betre tilbod.",
            "Det var avgjerande å involvere {group} frå start.",
            "Kontrakten burde ha regulert dataformat tydelegare.",
        ],
        "risks": [
            "Leverandøren kunne mislukkast med å skalere opp.",
            "Teknologien var uprøvd i nordisk klima.",
        ],
        "riskSharing": [
            "Risikoen vart delt gjennom stegvise betalingar.",
            "Leverandøren heldt på immaterielle rettar mot lisens til kommunen.",
        ],
        "adoptionNote": [
            "Andre kommunar kan gjere avrop på rammeavtalen.",
            "Konkurransegrunnlaget kan brukast om att fritt.",
        ],
    },
    "da": {
        "summary": [
            "{Town} har indkøbt {thing} i dialog med markedet.",
            "Projektet omfattede {n} enheder og har kørt siden {year}.",
            "Behovet blev beskrevet funktionelt i stedet for at styre løsningen.",
        ],
        "need": [
            "Kommunen havde brug for {thing} for at møde stigende behov hos {group}.",
            "Udgifterne steg, og kvaliteten for {group} skulle forbedres.",
            "Eksisterende løsninger manglede understøttelse af åbne standarder.",
        ],
        "outcome": [
            "Piloten viste {n} procent lavere udgifter end før.",
            "{Group} oplevede tjenesten som mere tryg og enkel.",
            "Løsningen er nu udbredt til flere forvaltninger.",
        ],
        "lessonsLearned": [
            "Tidlig markedsdialog gav bedre tilbud.",
            "Det var afgørende at inddrage {group} fra starten.",
            "Kontrakten burde have reguleret dataformater tydeligere.",
        ],
        "risks": ["Leverandøren kunne fejle i at skalere op.", "Teknologien var uafprøvet i nordisk klima."],
        "riskSharing": [
            "Risikoen blev delt gennem trinvise betalinger.",
            "Leverandøren beholdt immaterielle rettigheder mod licens til kommunen.",
        ],
        "adoptionNote": ["Andre kommuner kan trække på rammeaftalen.", "Udbudsmaterialet må genbruges frit."],
    },
    "fi": {
        "summary": [
            "{Town} hankki {thing} markkinavuoropuhelun kautta.",
            "Hankkeeseen osallistui {n} yksikköä vuodesta {year} alkaen.",
            "Tarve kuvattiin toiminnallisesti eikä ratkaisua lukittu etukäteen.",
        ],
        "need": [
            "Kaupunki tarvitsi ratkaisun: {thing}, koska palvelutarve kasvoi.",
            "Kustannukset nousivat ja palvelun laatua piti parantaa ({group}).",
            "Nykyiset ratkaisut eivät tukeneet avoimia standardeja.",
        ],
        "outcome": [
            "Pilotti alensi kustannuksia {n} prosenttia.",
            "{Group} kokivat palvelun turvallisemmaksi ja helpommaksi.",
            "Ratkaisu on otettu käyttöön useilla toimialoilla.",
        ],
        "lessonsLearned": [
            "Varhainen markkinavuoropuhelu paransi tarjouksia.",
            "Käyttäjien osallistaminen alusta alkaen oli ratkaisevaa.",
            "Sopimuksessa olisi pitänyt määritellä tietomuodot tarkemmin.",
        ],
        "risks": [
            "Toimittaja ei ehkä pysty skaalaamaan ratkaisua.",
            "Teknologiaa ei ollut testattu pohjoisissa olosuhteissa.",
        ],
        "riskSharing": [
            "Riskiä jaettiin vaiheittaisilla maksuilla.",
            "Toimittaja säilytti immateriaalioikeudet ja kaupunki sai käyttöluvan.",
        ],
        "adoptionNote": [
            "Muut kunnat voivat tilata puitesopimuksesta.",
            "Tarjouspyyntöasiakirjoja saa käyttää vapaasti uudelleen.",
        ],
    },
    "is": {
        "summary": [
            "{Town} keypti {thing} í samtali við markaðinn.",
            "Verkefnið náði til {n} stofnana og hófst árið {year}.",
            "Þörfinni var lýst á virknigrunni frekar en að binda lausnina.",
        ],
        "need": [
            "Sveitarfélagið þurfti {thing} til að mæta vaxandi þörfum.",
            "Kostnaður jókst og bæta þurfti gæði þjónustunnar.",
            "Núverandi lausnir studdu ekki opna staðla.",
        ],
        "outcome": [
            "Tilraunin sýndi {n} prósent lægri kostnað en áður.",
            "Notendur töldu þjónustuna öruggari og einfaldari.",
            "Lausnin hefur verið tekin upp víðar.",
        ],
        "lessonsLearned": [
            "Snemmbúið markaðssamtal skilaði betri tilboðum.",
            "Það skipti sköpum að hafa notendur með frá upphafi.",
            "Samningurinn hefði átt að skilgreina gagnasnið betur.",
        ],
        "risks": [
            "Birginn gæti átt í erfiðleikum með að stækka lausnina.",
            "Tæknin var óprófuð við norrænar aðstæður.",
        ],
        "riskSharing": [
            "Áhættunni var deilt með áfangagreiðslum.",
            "Birginn hélt hugverkaréttindum gegn notkunarleyfi.",
        ],
        "adoptionNote": [
            "Önnur sveitarfélög geta keypt af rammasamningnum.",
            "Útboðsgögnin má endurnýta frjálst.",
        ],
    },
    "en": {
        "summary": [
            "{Town} procured {thing} after an open market dialogue.",
            "The project involved {n} departments and has run since {year}.",
            "The need was described in functional terms rather than prescribing a solution.",
        ],
        "need": [
            "The organisation needed {thing} to meet growing demand from {group}.",
            "Costs were rising and the quality of service for {group} had to improve.",
            "Existing solutions lacked support for open standards.",
        ],
        "outcome": [
            "The pilot showed {n} per cent lower costs than before.",
            "{Group} found the service safer and easier to use.",
            "The solution has since spread to other departments.",
        ],
        "lessonsLearned": [
            "Early market dialogue led to better tenders.",
            "Involving {group} from the start was decisive.",
            "The contract should have specified data formats more clearly.",
        ],
        "risks": ["The supplier might fail to scale up.", "The technology was untested in a Nordic climate."],
        "riskSharing": [
            "Risk was shared through staged payments.",
            "The supplier kept the intellectual property and licensed it to the buyer.",
        ],
        "adoptionNote": [
            "Other municipalities can call off from the framework agreement.",
            "The tender documents may be reused freely.",
        ],
    },
}

KEYWORDS = {
    "sv": ["innovation", "upphandling", "pilot", "hållbarhet", "digitalisering", "välfärd"],
    "nb": ["innovasjon", "anskaffelse", "pilot", "bærekraft", "digitalisering", "velferd"],
    "nn": ["innovasjon", "innkjøp", "pilot", "berekraft", "digitalisering", "velferd"],
    "da": ["innovation", "indkøb", "pilot", "bæredygtighed", "digitalisering", "velfærd"],
    "fi": ["innovaatio", "hankinta", "pilotti", "kestävyys", "digitalisaatio", "hyvinvointi"],
    "is": ["nýsköpun", "innkaup", "tilraun", "sjálfbærni", "stafvæðing", "velferð"],
    "en": ["innovation", "procurement", "pilot", "sustainability", "digitalisation", "welfare"],
}

SUPPLIERS = [
    "Nordlys Tech",
    "Fjord Systems",
    "Aurora Health",
    "Vind & Vatten",
    "Polar Robotics",
    "Skog Data",
    "Hav Energi",
    "Bryggen Solutions",
    "Kvasir Analytics",
    "Saga Mobility",
]
FIRST_NAMES = ["Anna", "Erik", "Sigrid", "Mikko", "Freja", "Jón", "Ingrid", "Lars", "Aino", "Guðrún"]
LAST_NAMES = ["Lindqvist", "Hansen", "Virtanen", "Jensen", "Berg", "Jónsdóttir", "Nilsson", "Korhonen"]
