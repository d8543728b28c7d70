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
``vdab_history``. The optional trajectory-change export (``trajectwijzigingen.csv``) holds
the changes after the screening (``panel.draw_trajectory_changes``): mostly VDAB -> SD/Activering and
Lineair -> SD/Activering, shortly before a first art. 60. Both use their own random stream
(``longitudinal_rng``), so the calibrated exports and the 2020 snapshot are byte for byte what
they were without them.

This module (and the tests) are the only code that knows the published figures; they live in
``cob_demo.calibration``. The parts: ``layout`` (raw file names, headers, labels),
``calibration``, ``plausibility`` (invented, unpublished shares), ``draws`` (seeded helpers),
``population`` (clients, art. 60, TWE, extra rows) and ``panel`` (VDAB history, trajectory
changes); this module puts them together and writes the files.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cob_analysis.ingest import insz
from cob_demo.calibration import CALIBRATION
from cob_demo.draws import make_insz, random_weekdays, to_weekday
from cob_demo.layout import (
    ART60_HEADERS,
    ART60_SHEET,
    CLIENT_HEADERS,
    EXPORT_FILES,
    RAW_GENDER,
    RAW_HOUSEHOLD,
    RAW_SCHOOLING,
    RAW_TRAJECTORY,
    RAW_TWE_RESULT,
    REFERENCE_DATE,
    SNAPSHOTS,
    TRAJECTORY_CHANGE_HEADERS,
    TWE_HEADERS,
    VDAB_HEADERS,
    WINDOW_TO,
    XLSX_TIMESTAMP,
)
from cob_demo.panel import draw_trajectory_changes, longitudinal_rng, vdab_history
from cob_demo.plausibility import (
    N_ART60_NONCLIENT_CONTRACTS,
    N_DUPLICATES,
    N_OUT_OF_WINDOW,
    N_TWE_NONCLIENT_ROWS,
    N_VDAB_NONCLIENTS,
    SHARE_DOTTED_INSZ,
    SHARE_NONCLIENT_OTHER_SNAPSHOT,
)
from cob_demo.population import (
    calibrated_employer_names,
    draw_art60,
    draw_clients,
    draw_people,
    draw_twe,
)

DEFAULT_SEED = 20200331


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
    clients = draw_clients(rng)
    contracts = draw_art60(rng, clients)
    twe = draw_twe(rng, clients)

    taken: set[str] = set()
    clients["insz"] = make_insz(
        rng,
        clients["birth_date"].to_numpy().astype("datetime64[D]"),
        clients["gender"].to_numpy(),
        taken,
    )

    # out-of-window intakes (distinct people) and later duplicate intakes of clients
    n_early = N_OUT_OF_WINDOW // 2
    out_intake = np.r_[
        random_weekdays(rng, "2016-10-03", "2016-12-30", n_early),
        random_weekdays(rng, "2019-01-02", "2019-03-29", N_OUT_OF_WINDOW - n_early),
    ]
    outside = draw_people(rng, N_OUT_OF_WINDOW, out_intake)
    outside["insz"] = make_insz(
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
    duplicates["intake_date"] = np.minimum(to_weekday(later), WINDOW_TO)
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
    others = np.array(make_insz(rng, others_birth, others_gender, taken), dtype=object)
    vdab_others = others[:N_VDAB_NONCLIENTS]
    art60_others = others[N_VDAB_NONCLIENTS : N_VDAB_NONCLIENTS + N_ART60_NONCLIENT_CONTRACTS]
    # TWE rows of non-clients: some with an art. 60 too, some with a TWE only
    twe_others = np.r_[art60_others[:6], others[-(N_TWE_NONCLIENT_ROWS - 6) :]]

    # ---- art. 60 export
    names = calibrated_employer_names()
    other_start = random_weekdays(rng, "2017-03-01", "2020-02-28", len(art60_others))
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
    tw_start = random_weekdays(rng, "2017-06-01", "2019-12-31", len(twe_others))
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
    long_rng = longitudinal_rng(seed)
    intake_all = np.r_[
        clients["intake_date"].to_numpy().astype("datetime64[D]"),
        np.full(len(vdab_others), np.datetime64("NaT"), dtype="datetime64[D]"),
    ]
    history = vdab_history(long_rng, intake_all, code_2020)
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
    changes = draw_trajectory_changes(long_rng, clients, outside)
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
