"""The longitudinal VDAB panel (the snapshots around the calibrated one, walked with a Markov
chain) and the trajectory changes, on their own random stream."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cob_demo.draws import weekday_between
from cob_demo.layout import REFERENCE_DATE, SNAPSHOTS, WINDOW_FROM
from cob_demo.plausibility import (
    FIRST_YEAR_OCMW,
    HISTORY_BACKWARD,
    HISTORY_FORWARD,
    N_SECOND_CHANGES,
    N_TRAJECTORY_CHANGE_OUT_OF_WINDOW,
    NOT_YET_REGISTERED,
    NOT_YET_REGISTERED_DAYS,
    RAMP_DAYS,
    RAMP_FLOOR,
    SAME_CODE,
    SCREENING_DAYS,
    SHARE_RECORD_MISSING,
    STATE_CODES,
    STATES,
    TRAJECTORY_CHANGES,
)


def longitudinal_rng(seed: int) -> np.random.Generator:
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


def vdab_history(
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


def draw_trajectory_changes(
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
        dates.append(weekday_between(rng, lo[pick], hi[pick]))
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
            "change_date": weekday_between(
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
            "change_date": weekday_between(rng, early_intake + 60, early_intake + 400),
            "trajectory": np.where(
                early["trajectory"].to_numpy() == "SD/Activering", "Lineair", "SD/Activering"
            ),
        }
    )
    changes = pd.concat([changes.drop(columns="row"), extra], ignore_index=True)
    changes["change_date"] = changes["change_date"].to_numpy().astype("datetime64[D]")
    assert (changes["change_date"] < REFERENCE_DATE).all()
    return changes.sort_values(["change_date", "insz"], kind="stable").reset_index(drop=True)
