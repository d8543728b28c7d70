"""Invented plausibility (not published): nationalities, employers, shares of the rows the pipeline
has to drop, and the Markov chain of the longitudinal panel and the trajectory changes."""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Invented plausibility (not published): nationalities, the employers named fewer than five
# times, shares of extra rows the pipeline has to drop.
# --------------------------------------------------------------------------------------------
# nationality, country of birth, continent, weight
NATIONALITIES = (
    ("Somalische", "Somalië", "Afrika", 0.20),
    ("Eritrese", "Eritrea", "Afrika", 0.15),
    ("Ethiopische", "Ethiopië", "Afrika", 0.10),
    ("Soedanese", "Soedan", "Afrika", 0.02),
    ("Guineese", "Guinee", "Afrika", 0.015),
    ("Afghaanse", "Afghanistan", "Azië", 0.21),
    ("Iraakse", "Irak", "Azië", 0.11),
    ("Syrische", "Syrië", "Azië", 0.135),
    ("Iraanse", "Iran", "Azië", 0.012),
    ("Palestijnse", "Palestina", "Azië", 0.018),
    ("Russische", "Rusland", "Europa", 0.008),
    ("Oekraïense", "Oekraïne", "Europa", 0.005),
    ("Venezolaanse", "Venezuela", "Amerika", 0.004),
    ("Salvadoraanse", "El Salvador", "Amerika", 0.003),
)
# Some people were born outside their country of nationality (same continent).
OTHER_BIRTH_COUNTRY = {
    "Afghanistan": "Iran",
    "Somalië": "Kenia",
    "Eritrea": "Soedan",
    "Palestina": "Libanon",
}

OTHER_EMPLOYERS = (
    "BUURTWERK ANTWERPEN-NOORD VZW",
    "SOCIAAL RESTAURANT DE WERF",
    "STRIJKATELIER DEURNE VZW",
    "FIETSPUNT BERCHEM VZW",
    "GROENDIENST LINKEROEVER VZW",
    "WZC HET LINDENHOF",
    "WZC DE GOUDEN JAREN",
    "SCHOONMAAKCOOPERATIE SCHELDELAND",
    "ATELIER DE SPELD VZW",
    "VZW DE SPIL",
    "BUURTRESTAURANT KIELPUNT",
    "KINDEROPVANG DE ZONNEBLOEM VZW",
    "SPORTCENTRUM MERKSEM",
    "BIBLIOTHEEK DEURNE",
    "VZW HANDEN AAN DE SLAG",
    "POETSPUNT DIENSTENCHEQUES BV",
    "NAAIATELIER STIKSEL VZW",
    "VOEDSELHULP ANTWERPEN-OOST VZW",
    "ONTHAALHUIS DE BRUG VZW",
    "RECUPERATIECENTRUM HOBOKEN",
    "LOGISTIEK HAVEN ANTWERPEN NV",
    "BAKKERIJ DE KORENAAR",
    "DISTRICT BORGERHOUT",
    "DISTRICT DEURNE",
    "DISTRICT HOBOKEN",
    "WIJKCENTRUM DE KERN VZW",
    "JEUGDHUIS DEN ACHTERGROND",
    "SCHOOLRESTAURANT SINT-ANNA",
    "GROENBEDRIJF PARKLANDS CVBA",
    "VERHUISDIENST BINNENSTAD VZW",
    "CATERING DE KEUKENBRIGADE",
    "FIETSATELIER TWEEWIELER VZW",
    "HUISVESTING ZUIDRAND CVBA",
    "BOUWATELIER DE STEIGER VZW",
    "ZORGHOTEL TER SCHELDE",
    "DAGCENTRUM DE OVERKANT VZW",
    "WASSALON PROPER WERK",
    "MAGAZIJN SOCIALE KRUIDENIER VZW",
    "INTEGRATIEHUIS PUNT VZW",
    "ONDERHOUDSPLOEG SPOORNOORD",
    "TAALCAFE DE BABBELBOX VZW",
    "KLUSJESDIENST HELPENDE HAND",
    "STADSBOERDERIJ LINKEROEVER VZW",
    "DRUKKERIJ DE LETTERZETTER",
    "PARKEERBEDRIJF SCHELDEKAAI",
    "SUPERMARKT BUURTWINKEL DEURNE",
    "ZWEMBAD WEZENBERG",
    "MUSEUMDIENST STADSPATRIMONIUM",
    "RUSTHUIS SINT-JOZEF VZW",
    "KERKFABRIEK SINT-WILLIBRORDUS",
    "TUINBOUWATELIER DE MOESTUIN VZW",
    "SCHOOLGROEP NOORDERKEMPEN",
)
N_OUT_OF_WINDOW = 40  # intakes in late 2016 or early 2019 (distinct people)
N_DUPLICATES = 8  # later, second intake rows of clients in the window
N_VDAB_NONCLIENTS = 60
N_ART60_NONCLIENT_CONTRACTS = 15
N_TWE_NONCLIENT_ROWS = 10
SHARE_SECOND_CONTRACT = 0.20  # of art. 60 clients; about a quarter of those get a third
N_EARLIER_CLOSED_TWE = 24  # clients among the 179 with a closed TWE before their last one
SHARE_DOTTED_INSZ = 0.35  # of client rows written as YY.MM.DD-SSS.CC

# --------------------------------------------------------------------------------------------
# Invented plausibility of the longitudinal panel and the trajectory changes (not published)
# --------------------------------------------------------------------------------------------
# VDAB codes by state of the Markov chain, with the weights of a fresh draw within the state
# (the 2020 frequencies of Tabel 2). All are codes of Tabel 2, hence of the recoding table.
STATE_CODES: dict[str, dict[int, float]] = {
    "W": {90: 334, 89: 32, 80: 15, 93: 3, 10: 1},  # registered and working
    "D": {78: 1},  # deregistered because of work
    "N": {5: 466, 0: 213, 3: 40, 85: 17, 2: 1, 97: 1},  # registered, not working
    "X": {79: 76, 76: 1, 77: 1},  # deregistered otherwise (ordinary, illness, studies)
}
STATES = ("W", "D", "N", "X")
# P(state a year earlier | state now), rows: state now
HISTORY_BACKWARD = {
    "W": {"W": 0.55, "D": 0.05, "N": 0.40, "X": 0.00},
    "D": {"W": 0.30, "D": 0.45, "N": 0.25, "X": 0.00},
    "N": {"W": 0.07, "D": 0.02, "N": 0.88, "X": 0.03},
    "X": {"W": 0.07, "D": 0.03, "N": 0.65, "X": 0.25},
}
# P(state a year later | state now), rows: state now
HISTORY_FORWARD = {
    "W": {"W": 0.72, "D": 0.12, "N": 0.14, "X": 0.02},
    "D": {"W": 0.05, "D": 0.85, "N": 0.08, "X": 0.02},
    "N": {"W": 0.17, "D": 0.07, "N": 0.70, "X": 0.06},
    "X": {"W": 0.08, "D": 0.00, "N": 0.12, "X": 0.80},
}
SAME_CODE = 0.7  # staying in a state keeps the code with this probability
# Work takes time after the intake: the chain's weights of the states are multiplied by
# tenure / RAMP_DAYS (clipped to [floor, 1]): hardly anyone works in the first months.
RAMP_DAYS = {"W": 540, "D": 540, "N": 1, "X": 365}
RAMP_FLOOR = {"W": 0.03, "D": 0.02, "N": 1.0, "X": 0.1}
FIRST_YEAR_OCMW = 0.85  # share of code 05 (registration via the OCMW) in the first year
NOT_YET_REGISTERED_DAYS = 45  # an intake this recent may have no VDAB record yet ...
NOT_YET_REGISTERED = 0.5  # ... with this probability
SHARE_RECORD_MISSING = 0.005  # any other client-snapshot without a record
SHARE_NONCLIENT_OTHER_SNAPSHOT = 0.8  # non-clients present at another snapshot
# trajectory changes: (from, to, share of the candidates, with art. 60 only, days after intake)
TRAJECTORY_CHANGES = (
    ("VDAB", "SD/Activering", 0.40, True, None),
    ("VDAB", "Lineair", 0.04, False, (60, 420)),
    ("VDAB", "SD/Activering", 0.03, False, (60, 540)),
    ("Lineair", "SD/Activering", 0.45, True, None),
    ("Lineair", "SD/Activering", 0.05, False, (180, 560)),
    ("SD/Activering", "Lineair", 0.05, False, (30, 300)),
    ("SD/Activering", "VDAB", 0.04, False, (120, 600)),
    ("Jongerenproject (ESF)", "SD/Activering", 0.04, False, (90, 600)),
    ("Jongerenproject (ESF)", "VDAB", 0.02, False, (120, 600)),
)
N_SECOND_CHANGES = 8  # SD/Activering -> VDAB after a first change to SD/Activering
N_TRAJECTORY_CHANGE_OUT_OF_WINDOW = 3  # changes of people whose intake is outside the window
SCREENING_DAYS = 7  # a change comes at least this long after the intake
