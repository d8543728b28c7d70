"""Small, seeded, plausible frames for unit tests.

`make_clients` builds a `data/processed/clients.parquet`-shaped frame (docs/architecture.md):
dates as `datetime.date` objects (what pandas gives for Parquet date32 columns), nullable
integer columns, canonical Dutch values, and art. 60 starts whose timing depends on the
trajectory so that curves differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

TRAJECTORIES = ["VDAB", "SD/Activering", "Lineair", "Jongerenproject (ESF)"]
COHORTS = ["Voorjaar 2017", "Najaar 2017", "Voorjaar 2018", "Najaar 2018"]

_TRAJECTORY_P = [0.297, 0.132, 0.381, 0.190]
# mean days to a first art. 60 for those who will start one, and the share who ever would
_ART60_MEAN_DAYS = {"VDAB": 420, "SD/Activering": 230, "Lineair": 560, "Jongerenproject (ESF)": 400}
_ART60_EVER = {"VDAB": 0.50, "SD/Activering": 0.80, "Lineair": 0.45, "Jongerenproject (ESF)": 0.65}
_WORK_P = {"VDAB": 0.60, "SD/Activering": 0.55, "Lineair": 0.40, "Jongerenproject (ESF)": 0.57}
_HOUSEHOLDS = ["Aanvragers met gezin ten laste", "Alleenstaande", "Samenwoner", "Onbekend"]
_HOUSEHOLD_P = [0.166, 0.738, 0.087, 0.009]
_NT2 = ["0", "<1.1", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "4.2"]
_NT2_P = [0.445, 0.185, 0.170, 0.119, 0.035, 0.026, 0.007, 0.010, 0.001, 0.002]
_SCHOOLING = ["Geen", "Laag", "Midden", "Hoog"]
_SCHOOLING_P = [0.002, 0.568, 0.221, 0.209]
_ORIGIN = [  # nationality, continent, probability
    ("Somalië", "Afrika", 0.20),
    ("Eritrea", "Afrika", 0.15),
    ("Ethiopië", "Afrika", 0.05),
    ("Afghanistan", "Azië", 0.22),
    ("Syrië", "Azië", 0.20),
    ("Irak", "Azië", 0.12),
    ("Oekraïne", "Europa", 0.03),
    ("Venezuela", "Amerika", 0.02),
    ("Palestina", "Azië", 0.01),
]
_EMPLOYERS = ["ZORGBEDRIJF ANTWERPEN", "OPNIEUW & CO", "STAD ANTWERPEN", "DE KRINGWINKEL"]


def _cohort(day: dt.date) -> str:
    return f"{'Voorjaar' if day.month <= 6 else 'Najaar'} {day.year}"


def make_clients(
    n: int = 500,
    seed: int = 0,
    *,
    observation_end: dt.date = dt.date(2020, 3, 31),
    intake_from: dt.date = dt.date(2017, 1, 1),
    intake_to: dt.date = dt.date(2018, 12, 31),
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    span = (intake_to - intake_from).days
    intake = [intake_from + dt.timedelta(days=int(d)) for d in rng.integers(0, span + 1, n)]
    trajectory = rng.choice(TRAJECTORIES, size=n, p=_TRAJECTORY_P)
    young = trajectory == "Jongerenproject (ESF)"
    age = np.where(young, rng.integers(18, 25, n), rng.integers(18, 58, n))
    age_group = np.where(age < 25, "18-24j", np.where(age <= 30, "25-30j", "30+"))
    gender = rng.choice(["Man", "Vrouw"], size=n, p=[0.82, 0.18]).astype(object)
    origin = rng.choice(len(_ORIGIN), size=n, p=[o[2] for o in _ORIGIN])
    nt2 = rng.choice(_NT2, size=n, p=_NT2_P).astype(object)
    age_out = pd.array(age, dtype="Int64")
    age_group = age_group.astype(object)
    # a few missing values, as in the report (gender and age of 2 clients, NT2 of 3)
    for column_values in (gender, age_group):
        column_values[rng.choice(n, size=max(1, n // 800), replace=False)] = None
    nt2[rng.choice(n, size=max(1, n // 500), replace=False)] = None
    age_out[pd.isna(age_group)] = pd.NA

    first_start: list[dt.date | None] = []
    count: list[int] = []
    for day, traj in zip(intake, trajectory, strict=True):
        if rng.random() < _ART60_EVER[traj]:
            wait = int(rng.gamma(2.0, _ART60_MEAN_DAYS[traj] / 2.0))
            start = day + dt.timedelta(days=wait)
            if start <= observation_end:
                first_start.append(start)
                count.append(int(rng.integers(1, 3)))
                continue
        first_start.append(None)
        count.append(0)
    started = np.array([s is not None for s in first_start])
    days = pd.array(
        [(s - d).days if s is not None else None for s, d in zip(first_start, intake, strict=True)],
        dtype="Int64",
    )
    work_p = np.array([_WORK_P[t] for t in trajectory]) - np.where(gender == "Vrouw", 0.25, 0.0)
    work_draw = rng.random(n) < work_p
    unknown = rng.random(n) < 0.08
    work_status = np.where(unknown, "Onbekend", np.where(work_draw, "Werk", "Geen werk"))
    status_code = pd.array(
        [
            None if w == "Onbekend" else int(rng.choice([78, 90] if w == "Werk" else [0, 5]))
            for w in work_status
        ],
        dtype="Int64",
    )
    keys = [hashlib.sha256(f"{seed}-{i}".encode()).hexdigest() for i in range(n)]
    employer = [_EMPLOYERS[int(rng.integers(0, len(_EMPLOYERS)))] if s else None for s in started]
    return pd.DataFrame(
        {
            "client_key": keys,
            "intake_date": intake,
            "cohort": [_cohort(d) for d in intake],
            "trajectory": trajectory.astype(object),
            "gender": gender,
            "age_at_intake": age_out,
            "age_group": age_group,
            "nationality": [_ORIGIN[i][0] for i in origin],
            "continent": [_ORIGIN[i][1] for i in origin],
            "household": rng.choice(_HOUSEHOLDS, size=n, p=_HOUSEHOLD_P).astype(object),
            "nt2_level": nt2,
            "schooling": rng.choice(_SCHOOLING, size=n, p=_SCHOOLING_P).astype(object),
            "reference_date": [observation_end] * n,
            "status_code": status_code,
            "work_status": work_status.astype(object),
            "art60_started": started,
            "art60_first_start": first_start,
            "days_to_art60": days,
            "art60_count": pd.array(count, dtype="Int64"),
            "art60_last_employer": employer,
            "twe_last_end": [None] * n,
            "twe_last_result": [None] * n,
            "observation_end": [observation_end] * n,
        }
    )
