"""The design of the exports of any size: file stems and formats, snapshots, the intake window, the
shares of each kind of row, the VDAB codes and the work/no-work chain, the profile's weights."""

from __future__ import annotations

import numpy as np

EXPORT_STEMS = {
    "clients": "sd_intakes_2017_2018",
    "art60": "ocmw_art60_contracten",
    "twe": "twe_trajecten",
    "vdab": "vdab_werkzoekendenstatus",
    "trajectory_changes": "trajectwijzigingen",
}
FORMATS = ("parquet", "csv")
SNAPSHOTS = ("monthly", "yearly")

WINDOW_FROM = np.datetime64("2017-01-01")
WINDOW_TO = np.datetime64("2018-12-31")
REFERENCE_DATE = np.datetime64("2020-03-31")  # the last snapshot; art. 60 ends after it: running
TWE_EXPORT_DATE = np.datetime64("2020-03-20")

# Shares (of the in-window clients unless said otherwise).
SHARE_OUT_OF_WINDOW = 0.02
SHARE_DUPLICATE = 0.005
SHARE_ART60 = 0.50
SHARE_SECOND_CONTRACT = 0.20  # of the art. 60 clients
SHARE_OOW_ART60 = 0.30  # of the out-of-window people
SHARE_CHANGE = 0.10  # of the clients and of the out-of-window people: a trajectory change
SHARE_TWE = 0.25
SHARE_EARLIER_TWE = 0.10  # of the TWE clients
SHARE_NO_VDAB = 0.02  # clients VDAB does not know
SHARE_NONCLIENT = 0.01  # of the rows of art. 60 and TWE, of the clients in VDAB
SHARE_UNKNOWN_BIRTH = 0.001
SHARE_DOTTED_CLIENTS = 0.10
SHARE_DOTTED_TWE = 0.50

# VDAB codes (a subset of config/recode/vdab_status.csv, with its labels) and weights.
WORK_CODES = {
    78: ("Uitgeschreven wegens werk", 40),
    90: ("Voltijds werkende vrij ingeschreven werkzoekende", 30),
    89: ("Werkt regelmatig met interim", 8),
    80: ("Deeltijdse werknemer met uitkeringen", 6),
    93: ("Vrij ingeschreven deeltijdse werknemers", 4),
    7: ("Vrijwillig deeltijdse werknemer", 3),
    10: ("Werknemer in opzegtermijn of met verbrekingsvergoeding", 2),
    19: ("Jobstudent", 1),
    82: ("Deeltijds werkende jongere in beroepsinschakelingstijd", 1),
}
NO_WORK_CODES = {
    5: ("Verplicht ingeschreven O.C.M.W.", 40),
    0: ("Uitkeringsgerechtigd volledig werkloos", 25),
    79: ("Gewone uitschrijving", 10),
    3: ("Vrij ingeschreven werkzoekende, niet werkend", 8),
    85: ("Werkzoekenden in individuele beroepsopleiding", 4),
    14: ("Werkzoekende uitgesloten van het recht op uitkeringen", 2),
    2: ("Werkzoekende (art 36) in beroepsinschakelingstijd", 1),
    6: ("Werkzoekende erkend als persoon met een handicap", 1),
    30: ("Persoon met volledige vrijstelling, actief in wijk-werken", 1),
    76: ("Uitgeschreven wegens ziekte", 1),
    77: ("Uitgeschreven wegens hervatting studies", 1),
    97: (
        "Werklozen vrijgesteld van beschikbaarheid voor de arbeidsmarkt wegens het volgen van "
        "studies, opleiding of stage",
        1,
    ),
    9: ("Beroep bij arbeidsrechtbank tegen RIZIV-beslissing", 0.5),
    11: ("Leerling deeltijds of duaal leren", 0.5),
}
P_WORK_FIRST = 0.35  # work at the first snapshot
P_FIND_WORK = 0.04  # per month without work
P_LOSE_WORK = 0.02  # per month with work
P_CODE_CHANGE = 0.05  # per month, another code within the same state

# Intakes
TRAJECTORY_WEIGHTS = (0.30, 0.13, 0.38, 0.19)  # in RAW_TRAJECTORY order
HOUSEHOLD_WEIGHTS = (0.17, 0.70, 0.03, 0.10)  # in RAW_HOUSEHOLD order
SCHOOLING_WEIGHTS = (0.01, 0.56, 0.22, 0.21)  # in RAW_SCHOOLING order
NT2_LEVELS = (None, "0", "<1.1", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.2")
NT2_WEIGHTS = (0.005, 0.44, 0.18, 0.17, 0.12, 0.035, 0.027, 0.007, 0.01, 0.002, 0.002, 0.005)
