"""Seeded synthetic demo exports that reproduce the published tables of the 2020 COB report.

The real exports are personal data; the project ships these synthetic ones instead. ``generate``
builds the raw exports a Belgian study service would receive (SD intakes, OCMW art. 60
contracts, TWE trajectories, VDAB job-seeker status, trajectory changes), with the raw column
headers and raw value labels of ``config/config.yaml``; ``write_exports`` writes them byte for
byte reproducibly.

How the calibration works: work status at the VDAB reference date is the backbone. The clients
are split into the 816 "Geen werk of onbekend" and 846 "Werk" clients and every variable that
the report crosses with work (cohort, trajectory, gender x household, age group, NT2,
schooling, VDAB code) is dealt out *within* each stratum with exact quotas, by weighted
sampling without replacement, so that every cross-tab holds exactly while the weights add the
plausible correlations the tables do not fix. The gender x household x work table is fitted by
iterative proportional fitting and repaired to integers so that all three two-way margins
hold. Days from intake to the first art. 60 are drawn per trajectory, bent (clipped affine
map, integer repair) onto calibrated means and standard deviations, moved off weekends with
the sum kept, and the SD trimmed back by week-long moves; the generator refuses to return a
population whose Tabel 8 figures would not round safely to the printed ones.

The VDAB export is a longitudinal panel: besides the calibrated snapshot of 31/03/2020 it holds
the snapshots of 31/03/2018, 31/03/2019 and 31/03/2021 (``SNAPSHOTS``), for the clients whose
intake lies before the snapshot. Those are walked from each client's 2020 code with a small
Markov chain over four states (registered working, deregistered because of work (78), not
working, deregistered otherwise), backwards to 2019 and 2018 and forwards to 2021; see
``_vdab_history``. The optional trajectory-change export (``trajectwijzigingen.csv``) holds
the changes after the screening (``_trajectory_changes``): mostly VDAB -> SD/Activering and
Lineair -> SD/Activering, shortly before a first art. 60. Both use their own random stream
(``_longitudinal_rng``), so the calibrated exports and the 2020 snapshot are byte for byte what
they were without them.

This module (and the tests) are the only code that knows the published figures; they live in
``CALIBRATION`` below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cob_analysis.ingest import insz

DEFAULT_SEED = 20200331

# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------
WINDOW_FROM = np.datetime64("2017-01-01")
WINDOW_TO = np.datetime64("2018-12-31")
REFERENCE_DATE = np.datetime64("2020-03-31")  # the VDAB snapshot day (the report: "maart 2020")
# The VDAB snapshots of the longitudinal panel (REFERENCE_DATE is the calibrated one).
SNAPSHOTS = tuple(
    np.datetime64(d) for d in ("2018-03-31", "2019-03-31", "2020-03-31", "2021-03-31")
)
# Fixed creation/modification time written into the xlsx metadata (reproducible bytes).
XLSX_TIMESTAMP = dt.datetime(2020, 4, 15, 9, 0, 0)

# --------------------------------------------------------------------------------------------
# Raw layout: file names, headers and raw value labels exactly as in config/config.yaml
# --------------------------------------------------------------------------------------------
EXPORT_FILES = {
    "clients": "sd_intakes_2017_2018.csv",
    "art60": "ocmw_art60_contracten.xlsx",
    "twe": "twe_trajecten.csv",
    "vdab": "vdab_werkzoekendenstatus.csv",
    "trajectory_changes": "trajectwijzigingen.csv",
}
ART60_SHEET = "Art60"
CLIENT_HEADERS = {
    "client_id": "INSZ",
    "intake_date": "Datum intake",
    "trajectory": "Traject",
    "gender": "Geslacht",
    "birth_date": "Geboortedatum",
    "nationality": "Nationaliteit",
    "household": "Gezinssituatie",
    "nt2_level": "NT2 niveau intake",
    "schooling": "Scholing land van herkomst",
    "country_of_birth": "Geboorteland",
    "continent": "Continent",
}
ART60_HEADERS = {
    "client_id": "Rijksregisternummer",
    "start_date": "Begindatum",
    "end_date": "Einddatum",
    "employer": "Werkgever",
}
TWE_HEADERS = {
    "client_id": "INSZ",
    "start_date": "Start TWE",
    "end_date": "Einde TWE",
    "result": "Resultaat TWE",
}
VDAB_HEADERS = {
    "client_id": "INSZ",
    "reference_date": "Referentiedatum",
    "status_code": "Categorie werkzoekende",
    "status_label": "Omschrijving categorie",
}
TRAJECTORY_CHANGE_HEADERS = {
    "client_id": "INSZ",
    "change_date": "Datum wijziging",
    "trajectory": "Nieuw traject",
}
# canonical value -> raw label (the keys of config `values.<var>`)
RAW_TRAJECTORY = {
    "VDAB": "Geïntegreerd via VDAB",
    "SD/Activering": "Geïntegreerd via Activering",
    "Lineair": "Lineair traject",
    "Jongerenproject (ESF)": "Jongerenproject (ESF)",
}
RAW_GENDER = {"Man": "M", "Vrouw": "V"}
RAW_HOUSEHOLD = {
    "Aanvragers met gezin ten laste": "Aanvrager met gezin ten laste",
    "Alleenstaande": "Alleenstaande",
    "Samenwoner": "Samenwonend",
    "Onbekend": "Onbekend",
}
RAW_SCHOOLING = {
    "Geen": "Geen scholing",
    "Laag": "Laaggeschoold",
    "Midden": "Middengeschoold",
    "Hoog": "Hooggeschoold",
}
RAW_TWE_RESULT = {
    "Geen werk": "Geen werk",
    "NEC": "Werk NEC",
    "NEC in SE-bedrijf": "Werk NEC in SE-bedrijf",
    "SEC": "Werk SEC",
}

# --------------------------------------------------------------------------------------------
# CALIBRATION: the published figures of the 2020 report (chapter 3) that the demo reproduces.
#
# Cross-tabs with work are {row: (n "Geen werk of onbekend", n "Werk")}.
# Inconsistencies inside the report, and what the demo does about them:
#  * Tabel 11, 12 and 15 total 1660, Tabel 13 (household) and all others 1662 with 14
#    'Onbekend' households against 12 in Tabel 12: two clients have no gender and no birth
#    date (INSZ with an unknown birth date, month/day 00), household 'Onbekend', one with
#    work and one without. Matched: every table holds with its own total.
#  * Tabel 8: the four rounded group means weight to 448.7 while the total prints 448. Matched
#    by putting each group mean 0.40 below its printed value (and each SD 0.30 below), so the
#    total mean is about 448.28 and the total SD about 232.1; every mean/SD stays >= 0.06 from
#    a rounding boundary (1-decimal output rounded again gives the same integer).
#  * The text's "22% women" is not matched: Tabel 11 (302 of 1660 = 18.2%) is.
#  * The text's "15 to 25/27 months" between intake and snapshot is not matched: intakes span
#    2017-2018 and the snapshot is 31/03/2020 (15 to 38 months), as the tables imply.
#  * Tabel 10's "77 distinct employers" is read as 77 distinct *last* employers; earlier
#    contracts only use employers from the same 77, so 77 is also the count over all contracts.
#  * Tabel 6 spells "SD/activering", Tabel 7/8 "SD/Activering": same trajectory.
# --------------------------------------------------------------------------------------------
CALIBRATION: dict = {
    # Tabel 2: VDAB code -> (label, n); Tabel 3: the codes that mean work.
    "vdab_status": {
        0: ("Uitkeringsgerechtigd volledig werkloos", 213),
        10: ("Werknemer in opzegtermijn of met verbrekingsvergoeding", 1),
        2: ("Werkzoekende (art 36) in beroepsinschakelingstijd", 1),
        3: ("Vrij ingeschreven werkzoekende, niet werkend", 40),
        5: ("Verplicht ingeschreven O.C.M.W.", 466),
        76: ("Uitgeschreven wegens ziekte", 1),
        77: ("Uitgeschreven wegens hervatting studies", 1),
        78: ("Uitgeschreven wegens werk", 461),
        79: ("Gewone uitschrijving", 76),
        80: ("Deeltijdse werknemer met uitkeringen", 15),
        85: ("Werkzoekenden in individuele beroepsopleiding", 17),
        89: ("Werkt regelmatig met interim", 32),
        90: ("Voltijds werkende vrij ingeschreven werkzoekende", 334),
        93: ("Vrij ingeschreven deeltijdse werknemers", 3),
        97: (
            "Werklozen vrijgesteld van beschikbaarheid voor de arbeidsmarkt wegens het volgen "
            "van studies, opleiding of stage",
            1,
        ),
    },
    "work_codes": (10, 78, 80, 89, 90, 93),
    # Tabel 5
    "cohort_work": {
        "Voorjaar 2017": (286, 296),
        "Najaar 2017": (135, 172),
        "Voorjaar 2018": (200, 201),
        "Najaar 2018": (195, 177),
    },
    # Tabel 6
    "trajectory_work": {
        "VDAB": (199, 295),
        "SD/Activering": (99, 120),
        "Lineair": (381, 252),
        "Jongerenproject (ESF)": (137, 179),
    },
    # Tabel 11 (1660 clients with a gender)
    "gender_work": {"Man": (600, 758), "Vrouw": (215, 87)},
    # Tabel 12: household -> (Man, Vrouw) (1660 clients with a gender)
    "gender_household": {
        "Aanvragers met gezin ten laste": (144, 132),
        "Alleenstaande": (1116, 111),
        "Onbekend": (8, 4),
        "Samenwoner": (90, 55),
    },
    # Tabel 13 (all 1662)
    "household_work": {
        "Aanvragers met gezin ten laste": (184, 92),
        "Alleenstaande": (546, 681),
        "Onbekend": (8, 6),
        "Samenwoner": (78, 67),
    },
    # Tabel 14 (None: level not registered)
    "nt2_work": {
        None: (3, 0),
        "<1.1": (170, 137),
        "0": (377, 362),
        "1.1": (128, 154),
        "1.2": (83, 114),
        "2.1": (20, 38),
        "2.2": (19, 25),
        "2.3": (8, 3),
        "2.4": (6, 10),
        "3.1": (0, 1),
        "3.2": (0, 2),
        "4.2": (2, 0),
    },
    # Tabel 15 (1660 clients with a birth date)
    "agegroup_work": {"18-24j": (234, 286), "25-30j": (235, 290), "30+": (346, 269)},
    # Tabel 16
    "schooling_work": {
        "Geen": (1, 0),
        "Laag": (461, 484),
        "Midden": (173, 194),
        "Hoog": (181, 168),
    },
    # Tabel 7 and 8: trajectory -> (n with art. 60, mean days, sd days) as printed
    "art60": {
        "VDAB": (217, 462, 209),
        "SD/Activering": (155, 251, 181),
        "Lineair": (215, 589, 210),
        "Jongerenproject (ESF)": (177, 435, 198),
    },
    "art60_total": (764, 448, 232),
    # Tabel 9: result of the last TWE trajectory, closed in 2019-2020
    "twe_result": {"Geen werk": 91, "NEC": 81, "NEC in SE-bedrijf": 4, "SEC": 3},
    # Tabel 10: last art. 60 employer, named 5 or more times; 77 distinct last employers
    "art60_last_employers": {
        "ZORGBEDRIJF ANTWERPEN": 96,
        "OPNIEUW & CO": 94,
        "STAD ANTWERPEN": 75,
        "DE KRINGWINKEL": 67,
        "MANUS ANTWERPEN VZW": 44,
        "GENERAL SERVICES ANTWERP": 42,
        "OCMW Antwerpen": 39,
        "ZNA": 34,
        "ZET U VZW": 24,
        "HET REKREATIEF": 20,
        "SCHOLENGROEP ANTWERPEN": 16,
        "LEVANTO DIENSTEN CVBA": 15,
        "VLOTTER MAAKBEDRIJF": 14,
        "CAW ANTWERPEN": 14,
        "CAS": 13,
        "LEVANTO -FIXIT": 10,
        "UMICORE NV/SA": 9,
        "VLOTTER FACILITIES": 8,
        "FLUXGO": 8,
        "WERKVORMM": 7,
        "LEVANTO": 7,
        "STEUNPUNT TEWERKSTELLING": 6,
        "FEDASIL": 6,
        "DOMINO'S PIZZA MERKSEM/DEURNE": 5,
        "AGB STEDELIJK ONDERWIJS ANTWERPEN": 5,
    },
    "n_last_employers": 77,
}
# Tabel 8 targets sit this far below the printed integers (see the note above).
ART60_MEAN_OFFSET = -0.40
ART60_SD_OFFSET = -0.30
ROUNDING_MARGIN = 0.06

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


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _allocate(rng: np.random.Generator, counts: Sequence[int], weights: np.ndarray) -> np.ndarray:
    """Give each of n units one of k labels (column index) so that label j is used exactly
    ``counts[j]`` times. Labels are served in column order; each takes its quota by weighted
    sampling without replacement (Efraimidis-Spirakis keys) among the units still free, so a
    weight 0 means "only when nothing else is left" and a huge weight means "first"."""
    n, k = weights.shape
    if sum(counts) != n:
        raise ValueError(f"quotas sum to {sum(counts)}, units {n}")
    out = np.full(n, -1, dtype=np.int64)
    free = np.arange(n)
    for j in range(k):
        c = int(counts[j])
        u = rng.random(len(free))
        if c == 0:
            continue
        with np.errstate(divide="ignore"):
            key = np.log(u) / weights[free, j]
        chosen = np.argsort(-key, kind="stable")[:c]
        out[free[chosen]] = j
        free = np.delete(free, chosen)
    return out


def _deal(
    rng: np.random.Generator,
    work: np.ndarray,
    table: dict,
    weights: np.ndarray,
    among: np.ndarray | None = None,
) -> np.ndarray:
    """Deal the labels of ``table`` ({label: (n no work, n work)}) within each work stratum
    (restricted to ``among``), exactly. ``weights`` is (n units, n labels) in table order.
    Units outside ``among`` get None."""
    labels = list(table)
    out = np.full(len(work), None, dtype=object)
    among = np.ones(len(work), bool) if among is None else among
    for stratum in (0, 1):
        idx = np.flatnonzero((work == stratum) & among)
        counts = [table[label][stratum] for label in labels]
        picked = _allocate(rng, counts, weights[idx])
        out[idx] = np.array(labels, dtype=object)[picked]
    return out


def _gender_household_work() -> np.ndarray:
    """Counts [gender (Man, Vrouw), household, work (no, yes)] of the 1660 clients with a
    gender, with all three two-way margins of Tabel 11, 12 and 13 (13 minus the two clients
    without gender, one per work stratum, household 'Onbekend').

    Iterative proportional fitting gives the real-valued table; the integer repair uses that
    gender and work are binary: the Man x Werk column x_h fixes every other cell, and x_h has
    interval bounds from the margins, so rounding plus moving units within those bounds until
    sum(x_h) is right gives an exact integer table."""
    cal = CALIBRATION
    households = list(cal["household_work"])
    gh = np.array([cal["gender_household"][h] for h in households], float).T  # (2, H)
    gw = np.array([cal["gender_work"][g] for g in ("Man", "Vrouw")], float)  # (2, 2)
    hw = np.array([cal["household_work"][h] for h in households], float)  # (H, 2)
    hw[households.index("Onbekend")] -= (1, 1)  # the two clients without gender
    table = np.ones((2, len(households), 2))
    for _ in range(500):
        table *= (gh / table.sum(axis=2))[:, :, None]
        table *= (gw / table.sum(axis=1))[:, None, :]
        table *= (hw / table.sum(axis=0))[None, :, :]
    m, f = gh
    lo = np.maximum.reduce([np.zeros_like(m), m - hw[:, 0], hw[:, 1] - f])
    hi = np.minimum(m, hw[:, 1])
    x = np.clip(np.floor(table[0, :, 1] + 0.5), lo, hi)
    target = gw[0, 1]
    while x.sum() != target:
        step = 1 if x.sum() < target else -1
        room = (x < hi) if step > 0 else (x > lo)
        if not room.any():
            raise RuntimeError("gender x household x work: margins are inconsistent")
        residual = (table[0, :, 1] - x) * step
        residual[~room] = -np.inf
        x[int(np.argmax(residual))] += step
    out = np.empty((2, len(households), 2), dtype=np.int64)
    out[0, :, 1] = x
    out[0, :, 0] = m - x
    out[1, :, 1] = hw[:, 1] - x
    out[1, :, 0] = f - out[1, :, 1]
    assert (out >= 0).all()
    assert (out.sum(axis=2) == gh).all() and (out.sum(axis=1) == gw).all()
    assert (out.sum(axis=0) == hw).all()
    return out


def _random_weekdays(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    days = pd.bdate_range(start, end).to_numpy().astype("datetime64[D]")
    return days[rng.integers(0, len(days), n)]


def _to_weekday(dates: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays to the next Monday."""
    return np.busday_offset(dates, 0, roll="forward")


def _weekday_between(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A weekday drawn uniformly from [lo, hi] (each pair must hold one)."""
    start = np.busday_offset(np.asarray(lo, dtype="datetime64[D]"), 0, roll="forward")
    n = np.busday_count(start, np.asarray(hi, dtype="datetime64[D]") + 1)
    if (n < 1).any():
        raise RuntimeError("no weekday in a date range")
    return np.busday_offset(start, np.floor(rng.random(len(n)) * n).astype(np.int64))


def _birth_dates(rng: np.random.Generator, intake: np.ndarray, age: np.ndarray) -> np.ndarray:
    """A birth date giving exactly ``age`` completed years at ``intake``, at least three days
    away from a birthday (so no age convention can disagree) and never on 29 February."""
    ts = pd.DatetimeIndex(intake)
    anniversary = (
        pd.to_datetime(pd.DataFrame({"year": ts.year - age, "month": ts.month, "day": ts.day}))
        .to_numpy()
        .astype("datetime64[D]")
    )
    back = rng.integers(3, 361, len(age))
    birth = anniversary - back
    leap_day = (pd.DatetimeIndex(birth).month == 2) & (pd.DatetimeIndex(birth).day == 29)
    birth[leap_day] -= 1
    check = _completed_years(birth, intake)
    assert (check == age).all()
    return birth


def _completed_years(birth: np.ndarray, at: np.ndarray) -> np.ndarray:
    b, a = pd.DatetimeIndex(birth), pd.DatetimeIndex(at)
    before = (a.month < b.month) | ((a.month == b.month) & (a.day < b.day))
    return np.asarray(a.year - b.year - before.astype(int))


def _ages(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    age = np.zeros(len(group), dtype=np.int64)
    young = group == "18-24j"
    age[young] = rng.choice(
        np.arange(18, 25), young.sum(), p=np.array([4, 8, 10, 11, 11, 10, 9]) / 63
    )
    mid = group == "25-30j"
    age[mid] = rng.integers(25, 31, mid.sum())
    old = group == "30+"
    age[old] = np.minimum(31 + np.floor(rng.gamma(1.6, 7.0, old.sum())).astype(np.int64), 64)
    return age


def _make_insz(
    rng: np.random.Generator, birth: np.ndarray, gender: np.ndarray, taken: set[str]
) -> list[str]:
    """Valid, unique national register numbers: odd serial for men, even for women, month and
    day 00 when the birth date is unknown (NaT)."""
    out = []
    for b, g in zip(birth, gender, strict=True):
        iso = None if np.isnat(b) else str(b)[:10]
        while True:
            if g is None:
                serial = int(rng.integers(1, 998))
            else:
                serial = int(rng.integers(1, 499)) * 2 - (1 if g == "Man" else 0)
            number = insz.make(iso, serial)
            if number[:9] not in taken:
                taken.add(number[:9])
                out.append(number)
                break
    return out


def _calibrated_days(
    rng: np.random.Generator, lowest: np.ndarray, available: np.ndarray, mean: float, sd: float
) -> np.ndarray:
    """Integer days lowest_i <= d_i <= available_i with sum round(n * mean) and sample SD ~ sd.

    Gamma draws with the target mean and SD are paired with the clients by (noisy) rank of the
    time they had (long waits go with early intakes), then bent onto the targets by a clipped
    affine map and rounded, with a +-1 repair of the sum."""
    n = len(available)
    raw = np.sort(rng.gamma((mean / sd) ** 2, sd**2 / mean, n))
    key = np.log(available + 1.0) + rng.normal(0.0, 0.15, n)
    v = np.empty(n)
    v[np.argsort(key, kind="stable")] = raw
    v_mean = v.mean()
    centre, spread = mean, 1.0
    d = v
    for _ in range(5000):
        d = np.clip(centre + spread * (v - v_mean), lowest, available)
        m, s = d.mean(), d.std(ddof=1)
        if abs(m - mean) < 1e-7 and abs(s - sd) < 1e-7:
            break
        centre += mean - m
        spread *= sd / s
    else:
        raise RuntimeError(f"art. 60 timing: cannot reach mean {mean:.2f}, sd {sd:.2f}")
    days = np.floor(d + 0.5)
    diff = int(round(n * mean) - days.sum())
    step = 1 if diff > 0 else -1
    residual = (d - days) * step
    room = (days < available) if step > 0 else (days > lowest)
    residual[~room] = -np.inf
    for i in np.argsort(-residual, kind="stable")[: abs(diff)]:
        days[i] += step
    return days.astype(np.int64)


def _on_weekdays(
    days: np.ndarray, intake: np.ndarray, available: np.ndarray, sd: float
) -> np.ndarray:
    """Move starts that fall on a weekend to a Friday or Monday, choosing the direction that
    keeps the sum of days unchanged, and absorb any remainder by moving a Tuesday-Thursday
    start by one day (so the calibrated mean is untouched). The shifts nudge the SD a little;
    moving one start a week later and another a week earlier (weekday and sum unchanged) brings
    it back to ``sd``."""
    days = days.copy()
    weekday = (
        np.asarray(intake + days, dtype="datetime64[D]").astype(np.int64) + 3
    ) % 7  # 0 = Monday
    total = 0
    for i in np.flatnonzero(weekday >= 5):
        options = (-1, 2) if weekday[i] == 5 else (1, -2)
        options = [o for o in options if 0 <= days[i] + o <= available[i]]
        if not options:
            continue
        shift = min(options, key=lambda o: (abs(total + o), o))
        days[i] += shift
        total += shift
    weekday = (np.asarray(intake + days, dtype="datetime64[D]").astype(np.int64) + 3) % 7
    step = -1 if total > 0 else 1
    movable = np.flatnonzero(
        (weekday >= 1) & (weekday <= 3) & (days + step >= 0) & (days + step <= available)
    )
    for i in movable[: abs(total)]:
        days[i] += step
    n = len(days)
    for _ in range(100):
        current = days.std(ddof=1)
        if abs(current - sd) < 0.02:
            break
        need = (sd**2 - current**2) * (n - 1)  # change of the sum of squares (sum is fixed)
        # spread (need > 0): the higher one +7, the lower -7, change 14 * gap + 98;
        # pull in (need < 0): the higher one -7, the lower +7, change -14 * gap + 98
        sign = 1 if need > 0 else -1
        gap_wanted = max((abs(need) - sign * 98) / 14, 1.0)
        up_ok = days + 7 <= available
        down_ok = days - 7 >= 0
        high_ok, low_ok = (up_ok, down_ok) if sign > 0 else (down_ok, up_ok)
        gaps = days[:, None] - days[None, :]  # [high, low]
        cost = np.abs(gaps - gap_wanted).astype(float)
        cost[~(high_ok[:, None] & low_ok[None, :]) | (gaps <= 0)] = np.inf
        high, low = np.unravel_index(int(np.argmin(cost)), cost.shape)
        if not np.isfinite(cost[high, low]):
            break
        days[high] += 7 * sign
        days[low] -= 7 * sign
    return days


def _round_half_up(x: float) -> int:
    return int(np.floor(x + 0.5))


def _check_rounding(value: float, printed: int, what: str) -> None:
    if _round_half_up(value) != printed or abs(value - np.floor(value) - 0.5) < ROUNDING_MARGIN:
        raise RuntimeError(f"{what}: {value:.3f} does not round safely to {printed}")


# --------------------------------------------------------------------------------------------
# The population of 1662 clients
# --------------------------------------------------------------------------------------------
def _clients(rng: np.random.Generator) -> pd.DataFrame:
    cal = CALIBRATION
    n_no = sum(v[0] for v in cal["cohort_work"].values())
    n_w = sum(v[1] for v in cal["cohort_work"].values())
    work = np.r_[np.zeros(n_no, np.int64), np.ones(n_w, np.int64)]
    n = len(work)

    # gender x household x work (and the two clients without gender, household Onbekend)
    households = list(cal["household_work"])
    ghw = _gender_household_work()
    gender = np.full(n, None, dtype=object)
    household = np.full(n, None, dtype=object)
    for stratum in (0, 1):
        idx = np.flatnonzero(work == stratum)
        g_cells = [None] + [g for g in ("Man", "Vrouw") for h in households]
        h_cells = ["Onbekend"] + [h for g in ("Man", "Vrouw") for h in households]
        counts = [1] + [
            int(ghw[gi, hi, stratum]) for gi in range(2) for hi in range(len(households))
        ]
        idx = rng.permutation(idx)
        gender[idx] = np.repeat(np.array(g_cells, dtype=object), counts)
        household[idx] = np.repeat(np.array(h_cells, dtype=object), counts)
    no_gender = np.array([g is None for g in gender])
    woman = gender == "Vrouw"
    single = household == "Alleenstaande"
    family = household == "Aanvragers met gezin ten laste"

    # trajectory: youth first (never the two without birth date), Lineair gets what is left
    trajectories = list(cal["trajectory_work"])
    w = np.ones((n, len(trajectories)))
    w[:, 3] = np.where(no_gender, 0.0, np.where(single, 1.6, np.where(family, 0.25, 1.0)))
    w[:, 0] *= np.where(woman, 0.6, 1.0)
    w[:, 1] *= np.where(family, 1.5, 1.0)
    order = [3, 0, 1, 2]
    trajectory = _deal(
        rng,
        work,
        {trajectories[i]: cal["trajectory_work"][trajectories[i]] for i in order},
        w[:, order],
    )
    youth = trajectory == "Jongerenproject (ESF)"

    # age group (the two without gender have no birth date either)
    groups = ["18-24j", "30+", "25-30j"]
    w = np.ones((n, 3))
    w[:, 0] = np.where(youth, 1e12, np.where(family, 0.3, 1.0))
    w[:, 1] = np.where(family, 3.0, np.where(trajectory == "Lineair", 1.3, 1.0))
    age_group = _deal(rng, work, {g: cal["agegroup_work"][g] for g in groups}, w, among=~no_gender)
    age_group[no_gender] = None
    older = age_group == "30+"
    younger = age_group == "18-24j"

    # nationality (not published: same probabilities in both strata, so about half of each
    # continent works); a few born in a neighbouring country of the same continent
    nat_probs = np.array([x[3] for x in NATIONALITIES])
    nat = rng.choice(len(NATIONALITIES), n, p=nat_probs / nat_probs.sum())
    nationality = np.array([NATIONALITIES[i][0] for i in nat], dtype=object)
    birth_country = np.array([NATIONALITIES[i][1] for i in nat], dtype=object)
    continent = np.array([NATIONALITIES[i][2] for i in nat], dtype=object)
    elsewhere = rng.random(n) < 0.06
    for country, other in OTHER_BIRTH_COUNTRY.items():
        birth_country[elsewhere & (birth_country == country)] = other
    small_continent = np.isin(continent, ["Europa", "Amerika"])

    # schooling: women, the small continents and VDAB clients more often highly schooled
    levels = ["Geen", "Hoog", "Midden", "Laag"]
    w = np.ones((n, 4))
    w[:, 1] = (
        np.where(woman, 2.5, 1.0)
        * np.where(small_continent, 6.0, 1.0)
        * np.select([trajectory == "VDAB", trajectory == "Lineair"], [1.8, 0.6], 1.0)
    )
    w[:, 2] = np.where(trajectory == "VDAB", 1.4, 1.0) * np.where(youth, 1.2, 1.0)
    w[:, 0] = np.where(trajectory == "Lineair", 3.0, 1.0)
    schooling = _deal(rng, work, {lv: cal["schooling_work"][lv] for lv in levels}, w)

    # NT2 at intake: higher levels with more schooling and for VDAB; not registered: Lineair
    nt2_table = cal["nt2_work"]
    nt2_levels = [lv for lv in nt2_table if lv is not None]
    rank = {
        lv: i
        for i, lv in enumerate(
            ["0", "<1.1", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.2"]
        )
    }
    score = (
        pd.Series(schooling).map({"Geen": 0.0, "Laag": 0.0, "Midden": 1.0, "Hoog": 2.0}).to_numpy()
    )
    score = (
        score
        + pd.Series(trajectory)
        .map({"VDAB": 1.0, "SD/Activering": 0.5, "Lineair": 0.0, "Jongerenproject (ESF)": 0.5})
        .to_numpy()
    )
    order = [None] + sorted(nt2_levels, key=lambda lv: -rank[lv])  # highest first, "0" last
    w = np.ones((n, len(order)))
    for j, lv in enumerate(order):
        w[:, j] = (
            np.where(trajectory == "Lineair", 3.0, 1.0)
            if lv is None
            else np.exp(0.35 * rank[lv] * score)
        )
    nt2 = _deal(rng, work, {lv: nt2_table[lv] for lv in order}, w)

    # VDAB status code: women and 30+ more often 5, men more often 0, 30+ less often 78,
    # the young more often in training or studies (85, 97)
    codes = {code: label_n[1] for code, label_n in cal["vdab_status"].items()}
    work_codes = set(cal["work_codes"])
    code_order = [97, 77, 76, 2, 85, 3, 79, 0, 5, 10, 93, 80, 89, 90, 78]
    table = {c: ((0, codes[c]) if c in work_codes else (codes[c], 0)) for c in code_order}
    w = np.ones((n, len(code_order)))
    for j, c in enumerate(code_order):
        if c in (85, 97, 77):
            w[:, j] = np.where(younger, 3.0, 1.0)
        elif c == 0:
            w[:, j] = np.where(woman, 0.35, 1.0) * np.where(older, 0.6, 1.0)
        elif c == 90:
            w[:, j] = np.where(older, 1.6, 1.0) * np.where(woman, 1.3, 1.0)
        elif c == 89:
            w[:, j] = np.where(younger, 1.5, 1.0)
    status_code = _deal(rng, work, table, w).astype(np.int64)

    # intake half-year and date (weekdays), age and birth date
    cohorts = list(cal["cohort_work"])
    cohort = _deal(rng, work, cal["cohort_work"], np.ones((n, len(cohorts))))
    intake = np.empty(n, dtype="datetime64[D]")
    spans = {
        "Voorjaar 2017": ("2017-01-02", "2017-06-30"),
        "Najaar 2017": ("2017-07-03", "2017-12-29"),
        "Voorjaar 2018": ("2018-01-02", "2018-06-29"),
        "Najaar 2018": ("2018-07-02", "2018-12-31"),
    }
    for label, (start, end) in spans.items():
        sel = cohort == label
        intake[sel] = _random_weekdays(rng, start, end, int(sel.sum()))
    assert ((intake >= WINDOW_FROM) & (intake <= WINDOW_TO)).all()
    age = np.full(n, -1, dtype=np.int64)
    age[~no_gender] = _ages(rng, age_group[~no_gender])
    birth = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    birth[~no_gender] = _birth_dates(rng, intake[~no_gender], age[~no_gender])

    frame = pd.DataFrame(
        {
            "work": work,
            "intake_date": intake,
            "cohort": cohort,
            "trajectory": trajectory,
            "gender": gender,
            "age_group": age_group,
            "birth_date": birth,
            "nationality": nationality,
            "country_of_birth": birth_country,
            "continent": continent,
            "household": household,
            "nt2_level": nt2,
            "schooling": schooling,
            "status_code": status_code,
        }
    )
    # a random row order, so that nothing downstream depends on how the strata were built
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# art. 60 contracts
# --------------------------------------------------------------------------------------------
def _employer_names() -> list[str]:
    """The 77 last employers: the 25 of Tabel 10 and the invented ones named 1..4 times."""
    listed = CALIBRATION["art60_last_employers"]
    assert len(listed) + len(OTHER_EMPLOYERS) == CALIBRATION["n_last_employers"]
    assert not set(OTHER_EMPLOYERS) & set(listed)
    return list(listed) + list(OTHER_EMPLOYERS)


def _employer_pool(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """The 77 last employers and how often each is the last employer (Tabel 10 + invented)."""
    cal = CALIBRATION
    listed = cal["art60_last_employers"]
    n_other = len(OTHER_EMPLOYERS)
    remaining = cal["art60_total"][0] - sum(listed.values())
    counts = np.ones(n_other, dtype=np.int64)
    for _ in range(remaining - n_other):
        open_ = np.flatnonzero(counts < 4)
        counts[open_[rng.integers(0, len(open_))]] += 1
    return _employer_names(), np.r_[np.array(list(listed.values())), counts]


def _art60(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """Contracts (one row each) of the art. 60 clients, calibrated to Tabel 7, 8 and 10.
    Adds ``art60_first`` and ``art60_last_employer`` to ``clients`` in place."""
    cal = CALIBRATION
    intake = clients["intake_date"].to_numpy().astype("datetime64[D]")
    available = (REFERENCE_DATE - intake).astype(np.int64).astype(float)
    first = np.full(len(clients), np.datetime64("NaT"), dtype="datetime64[D]")
    for trajectory, (n_art60, mean, sd) in cal["art60"].items():
        idx = np.flatnonzero(clients["trajectory"].to_numpy() == trajectory)
        # clients with more time since intake are likelier to have started one
        weight = (available[idx] / available.max()) ** 1.5
        key = np.log(rng.random(len(idx))) / weight
        chosen = idx[np.argsort(-key, kind="stable")[:n_art60]]
        chosen = np.sort(chosen)
        # the latest possible start, a little before the snapshot for some (no pile-up on it)
        cap = np.maximum(available[chosen] - rng.integers(0, 60, len(chosen)), 0.0)
        # and the earliest: a few weeks for screening and matching, rarely the intake day itself
        lowest = np.where(rng.random(len(chosen)) < 0.01, 0.0, rng.integers(5, 36, len(chosen)))
        lowest = np.minimum(lowest, cap)
        days = _calibrated_days(rng, lowest, cap, mean + ART60_MEAN_OFFSET, sd + ART60_SD_OFFSET)
        days = _on_weekdays(days, intake[chosen], available[chosen], sd + ART60_SD_OFFSET)
        first[chosen] = intake[chosen] + days
        realised = days.mean(), days.std(ddof=1)
        _check_rounding(realised[0], mean, f"art. 60 mean days, {trajectory}")
        _check_rounding(realised[1], sd, f"art. 60 sd days, {trajectory}")
    has = ~np.isnat(first)
    all_days = (first[has] - intake[has]).astype(np.int64)
    n_total, mean_total, sd_total = cal["art60_total"]
    assert len(all_days) == n_total
    _check_rounding(all_days.mean(), mean_total, "art. 60 mean days, total")
    _check_rounding(all_days.std(ddof=1), sd_total, "art. 60 sd days, total")

    # contract chains: a second (and sometimes third) contract after the first has ended
    people = np.flatnonzero(has)
    starts = [first[people]]

    def durations(k: int) -> np.ndarray:  # about 6 to 24 months, most near a year
        return np.floor(rng.triangular(182, 365, 730, k) + 0.5).astype(np.int64)

    ends = [starts[0] + durations(len(people)) - 1]
    owners = [people]
    n_second = int(round(SHARE_SECOND_CONTRACT * len(people)))
    for share in (n_second, int(round(0.25 * n_second))):
        prev_end = ends[-1]
        eligible = np.flatnonzero(prev_end + 31 <= REFERENCE_DATE)
        pick = np.sort(rng.choice(eligible, min(share, len(eligible)), replace=False))
        room = (REFERENCE_DATE - prev_end[pick]).astype(np.int64)
        gap = 1 + np.floor(rng.random(len(pick)) * np.minimum(room - 1, 90)).astype(np.int64)
        start = _to_weekday(prev_end[pick] + gap)
        start = np.minimum(start, REFERENCE_DATE)
        starts.append(start)
        ends.append(start + durations(len(pick)) - 1)
        owners.append(owners[-1][pick])
    contracts = pd.DataFrame(
        {
            "row": np.concatenate(owners),
            "start_date": np.concatenate(starts),
            "end_date": np.concatenate(ends),
            "seq": np.concatenate([np.full(len(o), i) for i, o in enumerate(owners)]),
        }
    )
    contracts.loc[contracts["end_date"] > REFERENCE_DATE, "end_date"] = pd.NaT
    last_seq = contracts.groupby("row")["seq"].transform("max")
    is_last = contracts["seq"] == last_seq

    names, counts = _employer_pool(rng)
    last_employer = rng.permutation(np.repeat(np.array(names, dtype=object), counts))
    employer_of = dict(zip(people, last_employer, strict=True))
    contracts["employer"] = contracts["row"].map(employer_of)
    earlier = np.flatnonzero(~is_last.to_numpy())
    draw = rng.choice(len(names), len(earlier), p=counts / counts.sum())
    same = np.array(names, dtype=object)[draw] == contracts["employer"].to_numpy()[earlier]
    draw[same] = (draw[same] + 1 + rng.integers(0, len(names) - 1, same.sum())) % len(names)
    contracts.loc[contracts.index[earlier], "employer"] = np.array(names, dtype=object)[draw]

    clients["art60_first"] = first
    clients["art60_last_employer"] = pd.Series(employer_of).reindex(clients.index)
    return contracts


# --------------------------------------------------------------------------------------------
# TWE trajectories
# --------------------------------------------------------------------------------------------
def _twe(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """One running TWE per art. 60 client, starting around the first art. 60; 179 of them
    closed in 2019-2020 with the results of Tabel 9, some after an earlier closed TWE."""
    cal = CALIBRATION
    people = np.flatnonzero(clients["art60_first"].notna().to_numpy())
    intake = clients["intake_date"].to_numpy().astype("datetime64[D]")[people]
    first = clients["art60_first"].to_numpy().astype("datetime64[D]")[people]
    works = clients["work"].to_numpy()[people]
    start = _to_weekday(first + rng.integers(-14, 8, len(people)))
    start = np.minimum(np.maximum(start, intake), REFERENCE_DATE)
    end = np.full(len(people), np.datetime64("NaT"), dtype="datetime64[D]")
    result = np.full(len(people), None, dtype=object)

    latest_end = np.datetime64("2020-03-27")
    window_start = np.datetime64("2019-01-02")
    results = cal["twe_result"]
    n_closed = sum(results.values())
    # closed ones: those whose TWE (8 to 24 months) would end in 2019 or early 2020
    natural_end = start + rng.integers(240, 731, len(people))
    can_close = np.flatnonzero((natural_end >= window_start) & (natural_end <= latest_end))
    if len(can_close) < n_closed:
        raise RuntimeError("TWE: too few trajectories can close in 2019-2020")
    closed = np.sort(rng.choice(can_close, n_closed, replace=False))
    end[closed] = natural_end[closed]
    # results: work in NEC/SE/SEC mostly for clients with work at VDAB
    order = ["NEC", "NEC in SE-bedrijf", "SEC", "Geen werk"]
    w = np.ones((n_closed, 4))
    w[:, :3] = np.where(works[closed] == 1, 8.0, 1.0)[:, None]
    picked = _allocate(rng, [results[r] for r in order], w)
    result[closed] = np.array(order, dtype=object)[picked]

    # a few split their span into an earlier closed TWE (mostly without work) and the last one
    span = (end[closed] - start[closed]).astype(np.int64)
    can_split = closed[span >= 120 + 62 + 120]
    split = np.sort(rng.choice(can_split, min(N_EARLIER_CLOSED_TWE, len(can_split)), replace=False))
    span = (end[split] - start[split]).astype(np.int64)
    earlier_end = (
        start[split] + 120 + np.floor(rng.random(len(split)) * (span - 302 + 1)).astype(np.int64)
    )
    earlier_result = rng.choice(["Geen werk", "Geen werk", "Geen werk", "NEC"], len(split))
    earlier = pd.DataFrame(
        {
            "row": people[split],
            "start_date": start[split],
            "end_date": earlier_end,
            "result": earlier_result,
        }
    )
    start[split] = _to_weekday(earlier_end + rng.integers(7, 61, len(split)))
    twe = pd.DataFrame({"row": people, "start_date": start, "end_date": end, "result": result})
    twe = pd.concat([earlier, twe], ignore_index=True)
    assert (twe["end_date"].isna() | (twe["end_date"] > twe["start_date"])).all()
    return twe


# --------------------------------------------------------------------------------------------
# Rows the pipeline must drop: out-of-window intakes, duplicates, non-clients
# --------------------------------------------------------------------------------------------
def _people(rng: np.random.Generator, n: int, intake: np.ndarray) -> pd.DataFrame:
    """Simple independent attributes for people outside the calibrated population."""
    gender = rng.choice(["Man", "Vrouw"], n, p=[0.8, 0.2]).astype(object)
    trajectory = rng.choice(list(RAW_TRAJECTORY), n, p=[0.3, 0.13, 0.38, 0.19])
    age = np.where(
        trajectory == "Jongerenproject (ESF)", rng.integers(18, 25, n), rng.integers(18, 55, n)
    )
    birth = _birth_dates(rng, intake, age)
    nat_probs = np.array([x[3] for x in NATIONALITIES])
    nat = rng.choice(len(NATIONALITIES), n, p=nat_probs / nat_probs.sum())
    return pd.DataFrame(
        {
            "intake_date": intake,
            "trajectory": trajectory,
            "gender": gender,
            "birth_date": birth,
            "nationality": [NATIONALITIES[i][0] for i in nat],
            "country_of_birth": [NATIONALITIES[i][1] for i in nat],
            "continent": [NATIONALITIES[i][2] for i in nat],
            "household": rng.choice(list(RAW_HOUSEHOLD)[:3], n, p=[0.17, 0.74, 0.09]),
            "nt2_level": rng.choice(
                ["0", "<1.1", "1.1", "1.2", "2.1"], n, p=[0.45, 0.2, 0.17, 0.12, 0.06]
            ),
            "schooling": rng.choice(["Laag", "Midden", "Hoog"], n, p=[0.57, 0.22, 0.21]),
        }
    )


# --------------------------------------------------------------------------------------------
# The longitudinal panel and the trajectory changes (own random stream)
# --------------------------------------------------------------------------------------------
def _longitudinal_rng(seed: int) -> np.random.Generator:
    """A random stream apart from the calibrated one, so that adding the other snapshots and the
    trajectory changes leaves every calibrated export and the 2020 snapshot as it was."""
    return np.random.default_rng([seed, 2018, 2021])


def _state_of(codes: np.ndarray) -> np.ndarray:
    lookup = {code: state for state, weights in STATE_CODES.items() for code in weights}
    return np.array([lookup[int(c)] for c in codes], dtype=object)


def _draw_states(
    rng: np.random.Generator, given: np.ndarray, table: dict, tenure: np.ndarray
) -> np.ndarray:
    """One step of the chain: for each unit the state drawn from ``table[given]``, the weights
    multiplied by the ramp of ``RAMP_DAYS`` and ``RAMP_FLOOR`` at ``tenure`` (days since the
    intake at the snapshot drawn)."""
    p = np.array([[table[g][s] for s in STATES] for g in given], float)
    for j, s in enumerate(STATES):
        p[:, j] *= np.clip(tenure / RAMP_DAYS[s], RAMP_FLOOR[s], 1.0)
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random(len(given))
    picked = (u[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    return np.array(STATES, dtype=object)[np.minimum(picked, len(STATES) - 1)]


def _draw_codes(
    rng: np.random.Generator,
    state: np.ndarray,
    given_state: np.ndarray,
    given_code: np.ndarray,
    first_year: np.ndarray,
) -> np.ndarray:
    """A VDAB code for each state: the neighbouring snapshot's code when the state stays (with
    probability ``SAME_CODE``), else a fresh draw within the state; registered non-workers in
    their first year after the intake mostly carry code 05 (registered via the OCMW)."""
    u_same, u_first, u_code = rng.random(len(state)), rng.random(len(state)), rng.random(len(state))
    codes = np.empty(len(state), dtype=np.int64)
    for i, st in enumerate(state):
        if st == "N" and first_year[i] and u_first[i] < FIRST_YEAR_OCMW:
            codes[i] = 5
        elif st == given_state[i] and u_same[i] < SAME_CODE:
            codes[i] = given_code[i]
        else:
            options = STATE_CODES[st]
            weights = np.array(list(options.values()), float)
            cum = np.cumsum(weights / weights.sum())
            codes[i] = list(options)[min(int((u_code[i] > cum).sum()), len(options) - 1)]
    return codes


def _vdab_history(
    rng: np.random.Generator, intake: np.ndarray, code_2020: np.ndarray
) -> dict[np.datetime64, np.ndarray]:
    """VDAB codes at every snapshot of ``SNAPSHOTS`` (-1: no record), walked from the 2020 code:
    backwards one year at a time (``HISTORY_BACKWARD``), forwards to 2021 (``HISTORY_FORWARD``).
    ``intake`` is NaT for people outside the client population (no intake: no ramp, no
    missing-record rule). Work is rare in the first months after the intake (``RAMP_DAYS``),
    and no status exists before the intake. A client without a record at a snapshot still has
    a state and a code there, from which the chain walks on."""
    n = len(code_2020)
    has_intake = ~np.isnat(intake)
    codes_at: dict[np.datetime64, np.ndarray] = {REFERENCE_DATE: code_2020.astype(np.int64)}
    out = dict(codes_at)
    states = {REFERENCE_DATE: _state_of(code_2020)}
    position = SNAPSHOTS.index(REFERENCE_DATE)
    order = [*reversed(SNAPSHOTS[:position]), *SNAPSHOTS[position + 1 :]]
    for date in order:
        later = date > REFERENCE_DATE
        given = SNAPSHOTS[SNAPSHOTS.index(date) + (-1 if later else 1)]
        tenure = np.where(
            has_intake, (date - intake).astype("timedelta64[D]").astype(np.int64), 10**6
        )
        table = HISTORY_FORWARD if later else HISTORY_BACKWARD
        state = _draw_states(rng, states[given], table, tenure.astype(float))
        codes = _draw_codes(rng, state, states[given], codes_at[given], has_intake & (tenure < 365))
        missing = np.where(
            has_intake & (tenure < NOT_YET_REGISTERED_DAYS),
            rng.random(n) < NOT_YET_REGISTERED,
            rng.random(n) < SHARE_RECORD_MISSING,
        )
        missing |= tenure < 0  # no status before the intake
        states[date], codes_at[date] = state, codes
        out[date] = np.where(missing, -1, codes)
    return {date: out[date] for date in SNAPSHOTS}


def _trajectory_changes(
    rng: np.random.Generator, clients: pd.DataFrame, outside: pd.DataFrame
) -> pd.DataFrame:
    """Trajectory changes after the screening: ``insz``, ``change_date``, ``trajectory`` (the new
    one, canonical). Changes tied to an art. 60 (``TRAJECTORY_CHANGES`` with True) come 1 to 17
    weeks before the first art. 60 start (the city's activation service arranges art. 60 jobs);
    the others within the span of days after the intake given there. All lie on weekdays, at
    least ``SCREENING_DAYS`` after the intake and before the 2020 snapshot. A few clients change twice
    (SD/Activering -> VDAB), and a few rows belong to people whose intake is outside the window."""
    intake = clients["intake_date"].to_numpy().astype("datetime64[D]")
    first = clients["art60_first"].to_numpy().astype("datetime64[D]")
    has_art60 = ~np.isnat(first)
    trajectory = clients["trajectory"].to_numpy()
    last_day = REFERENCE_DATE - 4  # the Friday before the snapshot at the latest
    taken = np.zeros(len(clients), bool)
    rows, dates, new = [], [], []
    for old, target, share, with_art60, span in TRAJECTORY_CHANGES:
        group = (trajectory == old) & (has_art60 == with_art60)
        n_pick = int(round(share * group.sum()))
        if with_art60:  # 1 to 17 weeks before the first art. 60, after the screening
            lo = np.maximum(intake + SCREENING_DAYS, first - 120)
            hi = first - 7
        else:
            lo = intake + span[0]
            hi = np.minimum(intake + span[1], last_day)
        eligible = np.flatnonzero(group & ~taken & (hi - lo >= 7))
        pick = np.sort(rng.choice(eligible, min(n_pick, len(eligible)), replace=False))
        taken[pick] = True
        rows.append(pick)
        dates.append(_weekday_between(rng, lo[pick], hi[pick]))
        new.append(np.full(len(pick), target, dtype=object))
    changes = pd.DataFrame(
        {
            "row": np.concatenate(rows),
            "change_date": np.concatenate(dates),
            "trajectory": np.concatenate(new),
        }
    )
    # a second change: from SD/Activering on to VDAB, 3 to 12 months after the first (and after
    # the art. 60, once it has run half a year)
    to_sd = changes[changes["trajectory"] == "SD/Activering"]
    sd_rows = to_sd["row"].to_numpy()
    sd_date = to_sd["change_date"].to_numpy().astype("datetime64[D]")
    start = np.where(has_art60[sd_rows], np.maximum(sd_date, first[sd_rows] + 182), sd_date)
    can = np.flatnonzero(start + 90 + 30 <= last_day)
    pick = np.sort(rng.choice(can, min(N_SECOND_CHANGES, len(can)), replace=False))
    second = pd.DataFrame(
        {
            "row": sd_rows[pick],
            "change_date": _weekday_between(
                rng, start[pick] + 90, np.minimum(start[pick] + 365, last_day)
            ),
            "trajectory": "VDAB",
        }
    )
    changes = pd.concat([changes, second], ignore_index=True)
    changes["insz"] = clients["insz"].to_numpy()[changes["row"].to_numpy()]
    # people outside the window (intakes in late 2016): counted as out of window by the linkage
    early = outside[outside["intake_date"] < WINDOW_FROM].head(N_TRAJECTORY_CHANGE_OUT_OF_WINDOW)
    early_intake = early["intake_date"].to_numpy().astype("datetime64[D]")
    extra = pd.DataFrame(
        {
            "insz": early["insz"].to_numpy(),
            "change_date": _weekday_between(rng, early_intake + 60, early_intake + 400),
            "trajectory": np.where(
                early["trajectory"].to_numpy() == "SD/Activering", "Lineair", "SD/Activering"
            ),
        }
    )
    changes = pd.concat([changes.drop(columns="row"), extra], ignore_index=True)
    changes["change_date"] = changes["change_date"].to_numpy().astype("datetime64[D]")
    assert (changes["change_date"] < REFERENCE_DATE).all()
    return changes.sort_values(["change_date", "insz"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------
def _dmy(dates: pd.Series | np.ndarray) -> list[str]:
    return ["" if pd.isna(d) else pd.Timestamp(d).strftime("%d/%m/%Y") for d in dates]


def _dotted_or_plain(numbers: Sequence[str], dotted: np.ndarray) -> list[str]:
    return [insz.format_dotted(x) if d else x for x, d in zip(numbers, dotted, strict=True)]


def generate(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The five raw exports as frames with the raw headers and raw text values, keyed
    ``clients``, ``art60``, ``twe``, ``vdab`` (every snapshot of ``SNAPSHOTS``) and
    ``trajectory_changes``. Dates are ``dd/mm/yyyy`` text in the CSV exports and Timestamps
    (NaT = running) in ``art60``, which is written as real Excel dates."""
    rng = np.random.default_rng(seed)
    clients = _clients(rng)
    contracts = _art60(rng, clients)
    twe = _twe(rng, clients)

    taken: set[str] = set()
    clients["insz"] = _make_insz(
        rng,
        clients["birth_date"].to_numpy().astype("datetime64[D]"),
        clients["gender"].to_numpy(),
        taken,
    )

    # out-of-window intakes (distinct people) and later duplicate intakes of clients
    n_early = N_OUT_OF_WINDOW // 2
    out_intake = np.r_[
        _random_weekdays(rng, "2016-10-03", "2016-12-30", n_early),
        _random_weekdays(rng, "2019-01-02", "2019-03-29", N_OUT_OF_WINDOW - n_early),
    ]
    outside = _people(rng, N_OUT_OF_WINDOW, out_intake)
    outside["insz"] = _make_insz(
        rng,
        outside["birth_date"].to_numpy().astype("datetime64[D]"),
        outside["gender"].to_numpy(),
        taken,
    )
    early_enough = np.flatnonzero(clients["intake_date"].to_numpy() <= np.datetime64("2018-09-28"))
    dup_rows = np.sort(rng.choice(early_enough, N_DUPLICATES, replace=False))
    duplicates = clients.iloc[dup_rows].copy()
    later = duplicates["intake_date"].to_numpy().astype("datetime64[D]") + rng.integers(
        14, 91, N_DUPLICATES
    )
    duplicates["intake_date"] = np.minimum(_to_weekday(later), WINDOW_TO)
    change = rng.random(N_DUPLICATES) < 0.5
    duplicates.loc[change, "trajectory"] = rng.choice(
        ["SD/Activering", "Lineair"], int(change.sum())
    )

    # ---- clients export
    rows = pd.concat(
        [clients.assign(_kind=0), duplicates.assign(_kind=1), outside.assign(_kind=2)],
        ignore_index=True,
    )
    dotted = rng.random(len(rows)) < SHARE_DOTTED_INSZ
    dotted[len(clients) : len(clients) + N_DUPLICATES] = ~dotted[dup_rows]  # the other spelling
    rows = rows.assign(_id=_dotted_or_plain(rows["insz"].tolist(), dotted))
    rows = rows.sort_values(["intake_date", "insz", "_kind"], kind="stable").reset_index(drop=True)
    clients_raw = pd.DataFrame(
        {
            CLIENT_HEADERS["client_id"]: rows["_id"],
            CLIENT_HEADERS["intake_date"]: _dmy(rows["intake_date"]),
            CLIENT_HEADERS["trajectory"]: rows["trajectory"].map(RAW_TRAJECTORY),
            CLIENT_HEADERS["gender"]: rows["gender"].map(RAW_GENDER).fillna(""),
            CLIENT_HEADERS["birth_date"]: _dmy(rows["birth_date"]),
            CLIENT_HEADERS["nationality"]: rows["nationality"],
            CLIENT_HEADERS["household"]: rows["household"].map(RAW_HOUSEHOLD),
            CLIENT_HEADERS["nt2_level"]: rows["nt2_level"].fillna(""),
            CLIENT_HEADERS["schooling"]: rows["schooling"].map(RAW_SCHOOLING),
            CLIENT_HEADERS["country_of_birth"]: rows["country_of_birth"],
            CLIENT_HEADERS["continent"]: rows["continent"],
        }
    )

    # ---- non-clients in the other exports (distinct people, never in the intake export)
    n_others = N_VDAB_NONCLIENTS + N_ART60_NONCLIENT_CONTRACTS + N_TWE_NONCLIENT_ROWS
    others_birth = np.datetime64("2019-01-01") - rng.integers(19 * 365, 55 * 365, n_others)
    others_birth[
        (pd.DatetimeIndex(others_birth).month == 2) & (pd.DatetimeIndex(others_birth).day == 29)
    ] -= 1
    others_gender = rng.choice(["Man", "Vrouw"], n_others, p=[0.75, 0.25]).astype(object)
    others = np.array(_make_insz(rng, others_birth, others_gender, taken), dtype=object)
    vdab_others = others[:N_VDAB_NONCLIENTS]
    art60_others = others[N_VDAB_NONCLIENTS : N_VDAB_NONCLIENTS + N_ART60_NONCLIENT_CONTRACTS]
    # TWE rows of non-clients: some with an art. 60 too, some with a TWE only
    twe_others = np.r_[art60_others[:6], others[-(N_TWE_NONCLIENT_ROWS - 6) :]]

    # ---- art. 60 export
    names = _employer_names()
    other_start = _random_weekdays(rng, "2017-03-01", "2020-02-28", len(art60_others))
    other_end = other_start + rng.integers(182, 731, len(art60_others))
    art60_rows = pd.DataFrame(
        {
            "insz": np.r_[clients["insz"].to_numpy()[contracts["row"].to_numpy()], art60_others],
            "start_date": np.r_[contracts["start_date"].to_numpy(), other_start],
            "end_date": np.r_[
                contracts["end_date"].to_numpy().astype("datetime64[D]"),
                np.where(other_end > REFERENCE_DATE, np.datetime64("NaT"), other_end),
            ],
            "employer": np.r_[
                contracts["employer"].to_numpy(),
                rng.choice(np.array(names, dtype=object), len(art60_others)),
            ],
        }
    )
    art60_rows = art60_rows.sort_values(["start_date", "insz"], kind="stable").reset_index(
        drop=True
    )
    art60_raw = pd.DataFrame(
        {
            ART60_HEADERS["client_id"]: art60_rows["insz"].astype(str),
            ART60_HEADERS["start_date"]: pd.to_datetime(art60_rows["start_date"]),
            ART60_HEADERS["end_date"]: pd.to_datetime(art60_rows["end_date"]),
            ART60_HEADERS["employer"]: art60_rows["employer"].astype(str),
        }
    )

    # ---- TWE export
    tw_start = _random_weekdays(rng, "2017-06-01", "2019-12-31", len(twe_others))
    tw_closed = np.arange(len(twe_others)) % 2 == 0
    tw_end = np.where(
        tw_closed,
        np.minimum(tw_start + rng.integers(180, 540, len(twe_others)), np.datetime64("2020-03-20")),
        np.datetime64("NaT"),
    )
    tw_result = np.where(tw_closed, rng.choice(list(RAW_TWE_RESULT)[:2], len(twe_others)), None)
    twe_rows = pd.DataFrame(
        {
            "insz": np.r_[clients["insz"].to_numpy()[twe["row"].to_numpy()], twe_others],
            "start_date": np.r_[twe["start_date"].to_numpy().astype("datetime64[D]"), tw_start],
            "end_date": np.r_[
                twe["end_date"].to_numpy().astype("datetime64[D]"), tw_end.astype("datetime64[D]")
            ],
            "result": np.r_[twe["result"].to_numpy(dtype=object), tw_result],
        }
    )
    twe_rows = twe_rows.sort_values(["start_date", "insz"], kind="stable").reset_index(drop=True)
    twe_dotted = rng.random(len(twe_rows)) < 0.5
    twe_raw = pd.DataFrame(
        {
            TWE_HEADERS["client_id"]: _dotted_or_plain(twe_rows["insz"].tolist(), twe_dotted),
            TWE_HEADERS["start_date"]: _dmy(twe_rows["start_date"]),
            TWE_HEADERS["end_date"]: _dmy(twe_rows["end_date"]),
            TWE_HEADERS["result"]: twe_rows["result"].map(RAW_TWE_RESULT).fillna(""),
        }
    )

    # ---- VDAB export: one row per client (and the non-clients) at the reference date ...
    codes = np.array(list(CALIBRATION["vdab_status"]))
    code_n = np.array([v[1] for v in CALIBRATION["vdab_status"].values()], float)
    code_2020 = np.r_[
        clients["status_code"].to_numpy(),
        rng.choice(codes, len(vdab_others), p=code_n / code_n.sum()),
    ].astype(np.int64)
    # ... and at the other snapshots, from the longitudinal stream (the calibrated draws above
    # are untouched by it)
    long_rng = _longitudinal_rng(seed)
    intake_all = np.r_[
        clients["intake_date"].to_numpy().astype("datetime64[D]"),
        np.full(len(vdab_others), np.datetime64("NaT"), dtype="datetime64[D]"),
    ]
    history = _vdab_history(long_rng, intake_all, code_2020)
    nonclient = np.r_[np.zeros(len(clients), bool), np.ones(len(vdab_others), bool)]
    insz_all = np.r_[clients["insz"].to_numpy(), vdab_others]
    blocks = []
    for date in SNAPSHOTS:
        present = history[date] >= 0
        if date != REFERENCE_DATE:
            present &= ~nonclient | (long_rng.random(len(present)) < SHARE_NONCLIENT_OTHER_SNAPSHOT)
        blocks.append(
            pd.DataFrame(
                {"insz": insz_all[present], "date": date, "code": history[date][present]}
            ).sort_values("insz", kind="stable")
        )
    vdab_rows = pd.concat(blocks, ignore_index=True)
    labels = {code: label for code, (label, _n) in CALIBRATION["vdab_status"].items()}
    vdab_raw = pd.DataFrame(
        {
            VDAB_HEADERS["client_id"]: vdab_rows["insz"].astype(str).to_numpy(),
            VDAB_HEADERS["reference_date"]: _dmy(vdab_rows["date"]),
            VDAB_HEADERS["status_code"]: [f"{c:02d}" for c in vdab_rows["code"]],
            VDAB_HEADERS["status_label"]: [labels[c] for c in vdab_rows["code"]],
        }
    )

    # ---- trajectory changes after the screening (the intake export keeps the screening's one)
    changes = _trajectory_changes(long_rng, clients, outside)
    changes_dotted = long_rng.random(len(changes)) < SHARE_DOTTED_INSZ
    changes_raw = pd.DataFrame(
        {
            TRAJECTORY_CHANGE_HEADERS["client_id"]: _dotted_or_plain(
                changes["insz"].tolist(), changes_dotted
            ),
            TRAJECTORY_CHANGE_HEADERS["change_date"]: _dmy(changes["change_date"]),
            TRAJECTORY_CHANGE_HEADERS["trajectory"]: changes["trajectory"].map(RAW_TRAJECTORY),
        }
    )
    return {
        "clients": clients_raw,
        "art60": art60_raw,
        "twe": twe_raw,
        "vdab": vdab_raw,
        "trajectory_changes": changes_raw,
    }


def _csv_text(frame: pd.DataFrame, lineterminator: str) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=";", index=False, lineterminator=lineterminator)
    return buffer.getvalue()


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """The art. 60 sheet with real Excel dates; fixed metadata and zip timestamps."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": "OCMW art. 60 contracten (synthetisch)",
            "author": "cob-analysis synth",
            "created": XLSX_TIMESTAMP,
        }
    )
    sheet = workbook.add_worksheet(ART60_SHEET)
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for col, header in enumerate(frame.columns):
        sheet.write_string(0, col, header, bold)
    for row, record in enumerate(frame.itertuples(index=False), start=1):
        number, start, end, employer = record
        sheet.write_string(row, 0, number)
        sheet.write_datetime(row, 1, start.to_pydatetime(), date_format)
        if not pd.isna(end):
            sheet.write_datetime(row, 2, end.to_pydatetime(), date_format)
        sheet.write_string(row, 3, employer)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 2, 12)
    sheet.set_column(3, 3, 36)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    workbook.close()
    return buffer.getvalue()


def write_exports(frames: dict[str, pd.DataFrame], outdir: Path) -> dict[str, Path]:
    """Write the five exports into ``outdir`` as a study service would receive them:
    clients ``;``-separated Windows-1252 with CRLF, art. 60 as xlsx (sheet ``Art60``), TWE
    ``;`` UTF-8 with LF, VDAB ``;`` UTF-8 with BOM and CRLF, trajectory changes ``;`` UTF-8
    with LF. Same frames, same bytes."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {name: outdir / filename for name, filename in EXPORT_FILES.items()}
    paths["clients"].write_bytes(_csv_text(frames["clients"], "\r\n").encode("cp1252"))
    paths["art60"].write_bytes(_xlsx_bytes(frames["art60"]))
    paths["twe"].write_bytes(_csv_text(frames["twe"], "\n").encode("utf-8"))
    paths["vdab"].write_bytes(_csv_text(frames["vdab"], "\r\n").encode("utf-8-sig"))
    paths["trajectory_changes"].write_bytes(
        _csv_text(frames["trajectory_changes"], "\n").encode("utf-8")
    )
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cob_demo calibrated",
        description="Write the seeded synthetic demo exports that reproduce the 2020 report.",
    )
    parser.add_argument(
        "--outdir", type=Path, default=Path("data/raw"), help="output directory (default: data/raw)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    paths = write_exports(generate(args.seed), args.outdir)
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
