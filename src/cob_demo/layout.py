"""The raw layout of the demo exports: snapshot dates, file names, column headers and raw value
labels, exactly as `config/config.yaml` reads them (shared with the exports of any size)."""

from __future__ import annotations

import datetime as dt

import numpy as np

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
