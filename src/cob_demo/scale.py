"""Synthetic exports of any size, vectorised (for benchmarks and scale tests).

The calibrated demo generator (:mod:`cob_demo.calibrated`) reproduces the 2020 report for 1,662
clients and is not meant to grow. This one is **uncalibrated**: plausible, independent
distributions, built with numpy and pyarrow column by column (no Python loop over rows), so that
a million clients with twelve monthly VDAB snapshots are written in seconds.

It writes the exports of the demo with the same raw headers and raw values (the demo's
``config/config.yaml`` works unchanged; only ``exports.*.path`` changes), as Parquet or CSV:

- ``clients`` (``sd_intakes_2017_2018``): ``n_clients`` intakes in 2017-2018, plus 2% distinct
  people with an intake outside the window and 0.5% later duplicate intakes of clients;
- ``art60`` (``ocmw_art60_contracten``): one contract for 50% of the clients, a second for 20% of
  those, one for 30% of the out-of-window people, plus 1% rows of non-clients;
- ``twe`` (``twe_trajecten``): one trajectory for 25% of the clients, an earlier closed one for
  10% of those, plus 1% rows of non-clients;
- ``vdab`` (``vdab_werkzoekendenstatus``): one row per snapshot for 98% of the clients, for every
  out-of-window person and for non-clients (1% of the number of clients);
- ``trajectory_changes`` (``trajectwijzigingen``): one change for 10% of the clients and of the
  out-of-window people (an optional export: used only when the config names it).

``design_counts`` gives these numbers exactly. The art. 60 export is an xlsx in the demo; at
scale it is Parquet or CSV like the others (``ocmw_art60_contracten.parquet``/``.csv``).

Raw values as in the demo: INSZ as text (``YYMMDDSSSCC``; 10% of the intake rows and half of
the TWE and trajectory-change rows spelled ``YY.MM.DD-SSS.CC``), valid mod-97 check digits (the
``2`` prefix for births from 2000 on), unique per person (serials ranked within birth date and
gender; BIS numbers, month + 40 or + 20, when a birth date runs out of serials; month and day ``00``
for the 0.1% with an unknown birth date, who also have no gender). Dates are ``dd/mm/yyyy``
text, except the art. 60 dates in Parquet, which are native ``date32`` (as the xlsx holds real
dates). Blanks are nulls in Parquet and empty fields in CSV. CSV files are ``;``-separated with
the demo's encodings and line ends (intakes Windows-1252 CRLF, VDAB UTF-8 with BOM CRLF, the
others UTF-8 LF). VDAB codes are two-digit text (``05``) from ``config/recode/vdab_status.csv``
with its labels; the snapshots are month ends (``monthly``) or 31 March of successive years
(``yearly``), the last one 31/03/2020 (the config's ``reference_date``). Each client's status
follows a two-state (work / no work) Markov chain over the snapshots.

The same arguments give the same tables (and the same bytes).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from cob_demo import scale_design as design
from cob_demo.calibration import CALIBRATION
from cob_demo.layout import (
    ART60_HEADERS,
    CLIENT_HEADERS,
    RAW_GENDER,
    RAW_HOUSEHOLD,
    RAW_SCHOOLING,
    RAW_TRAJECTORY,
    RAW_TWE_RESULT,
    TRAJECTORY_CHANGE_HEADERS,
    TWE_HEADERS,
    VDAB_HEADERS,
)
from cob_demo.plausibility import NATIONALITIES, OTHER_EMPLOYERS
from cob_demo.scale_draws import (
    People,
    choice,
    day_strings,
    draw_people,
    format_dates,
    months_between,
    native_dates,
    pick,
    random_weekdays,
    snapshot_dates,
    unique_insz,
    weekday,
)
from cob_demo.scale_files import CSV_LAYOUT, write_csv, write_parquet


# --------------------------------------------------------------------------------------------
# The population and the exports
# --------------------------------------------------------------------------------------------
class _Generator:
    def __init__(self, n_clients: int, snapshots: str, n_snapshots: int, seed: int, fmt: str):
        if n_clients < 1:
            raise ValueError("n_clients must be at least 1")
        if fmt not in design.FORMATS:
            raise ValueError(f"fmt must be one of {design.FORMATS}, got {fmt!r}")
        self.n = int(n_clients)
        self.fmt = fmt
        self.dates = snapshot_dates(snapshots, n_snapshots)
        self.rng = np.random.default_rng(seed)
        self.day_text = day_strings()
        self.counts = design_counts(n_clients, snapshots, n_snapshots)
        self._build()

    # -- people and intakes
    def _build(self) -> None:
        rng, n, c = self.rng, self.n, self.counts
        n_oow, n_dup = c["out_of_window"], c["duplicate_intakes"]

        intake = random_weekdays(rng, str(design.WINDOW_FROM), str(design.WINDOW_TO), n)
        trajectory = choice(rng, design.TRAJECTORY_WEIGHTS, n)
        young = trajectory == 3  # Jongerenproject (ESF)
        n_early = n_oow // 2
        oow_intake = np.r_[
            random_weekdays(rng, "2016-10-03", "2016-12-30", n_early),
            random_weekdays(rng, "2019-01-02", "2019-03-29", n_oow - n_early),
        ]
        oow_trajectory = choice(rng, design.TRAJECTORY_WEIGHTS, n_oow)
        n_other = c["vdab_nonclients"] + c["art60_nonclients"] + c["twe_nonclients"]
        other_ref = np.full(n_other, np.datetime64("2018-01-01"))

        birth, known, gender = draw_people(
            rng,
            np.r_[intake, oow_intake, other_ref],
            np.r_[young, oow_trajectory == 3, np.zeros(n_other, bool)],
            0.8,
        )
        plain, dotted = unique_insz(rng, birth, known, gender)
        self.people = People(birth, known, gender, plain, dotted)
        self.intake = np.r_[intake, oow_intake]  # persons 0..n+n_oow-1 have intakes
        self.trajectory = np.r_[trajectory, oow_trajectory]
        self.oow = np.arange(n, n + n_oow)
        others = np.arange(n + n_oow, n + n_oow + n_other)
        self.vdab_others = others[: c["vdab_nonclients"]]
        self.art60_others = others[
            c["vdab_nonclients"] : c["vdab_nonclients"] + c["art60_nonclients"]
        ]
        self.twe_others = others[c["vdab_nonclients"] + c["art60_nonclients"] :]

        # later duplicate intakes of clients with an intake until 2018-09-28
        eligible = np.flatnonzero(intake <= np.datetime64("2018-09-28"))
        self.dup_of = (
            np.sort(rng.choice(eligible, n_dup, replace=False)) if n_dup else np.zeros(0, np.int64)
        )
        later = intake[self.dup_of] + rng.integers(14, 91, n_dup)
        self.dup_intake = np.minimum(weekday(later), design.WINDOW_TO)
        self.dup_trajectory = np.where(
            rng.random(n_dup) < 0.5, self.trajectory[self.dup_of], 1 + rng.integers(0, 2, n_dup)
        )

        # attributes of everyone with an intake (index: person)
        m = n + n_oow
        self.household = choice(rng, design.HOUSEHOLD_WEIGHTS, m)
        self.schooling = choice(rng, design.SCHOOLING_WEIGHTS, m)
        self.nt2 = choice(rng, design.NT2_WEIGHTS, m)
        nat_w = [x[3] for x in NATIONALITIES]
        self.nationality = choice(rng, nat_w, m)

        # VDAB population: 98% of the clients, all out-of-window people, the non-clients
        known_to_vdab = np.sort(rng.permutation(n)[: c["vdab_clients"]])
        self.vdab_people = np.r_[known_to_vdab, self.oow, self.vdab_others]
        self.vdab_work_bias = np.r_[
            (self.schooling[known_to_vdab] == 3) * 0.1,
            np.zeros(len(self.oow) + len(self.vdab_others)),
        ]

    # -- exports
    def clients(self) -> pa.Table:
        rng, n = self.rng, self.n
        person = np.r_[np.arange(n), self.dup_of, self.oow]
        intake = np.r_[self.intake[:n], self.dup_intake, self.intake[self.oow]]
        trajectory = np.r_[self.trajectory[:n], self.dup_trajectory, self.trajectory[self.oow]]
        kind = np.r_[
            np.zeros(n, np.int8),
            np.ones(len(self.dup_of), np.int8),
            np.full(len(self.oow), 2, np.int8),
        ]
        order = np.lexsort((kind, intake))
        person, intake, trajectory = person[order], intake[order], trajectory[order]
        dotted = rng.random(len(person)) < design.SHARE_DOTTED_CLIENTS
        people = self.people
        ids = _choose_text(dotted, people.insz_dotted, people.insz_plain, person)
        gender = people.gender[person]
        nt2 = self.nt2[person]
        birth = np.where(people.birth_known[person], people.birth[person], np.datetime64("NaT"))
        nat = self.nationality[person]
        columns = {
            CLIENT_HEADERS["client_id"]: ids,
            CLIENT_HEADERS["intake_date"]: format_dates(intake, self.day_text),
            CLIENT_HEADERS["trajectory"]: pick(RAW_TRAJECTORY.values(), trajectory),
            CLIENT_HEADERS["gender"]: pick(
                [RAW_GENDER["Man"], RAW_GENDER["Vrouw"]], np.maximum(gender, 0), mask=gender < 0
            ),
            CLIENT_HEADERS["birth_date"]: format_dates(birth, self.day_text),
            CLIENT_HEADERS["nationality"]: pick([x[0] for x in NATIONALITIES], nat),
            CLIENT_HEADERS["household"]: pick(RAW_HOUSEHOLD.values(), self.household[person]),
            CLIENT_HEADERS["nt2_level"]: pick(design.NT2_LEVELS, nt2, mask=nt2 == 0),
            CLIENT_HEADERS["schooling"]: pick(RAW_SCHOOLING.values(), self.schooling[person]),
            CLIENT_HEADERS["country_of_birth"]: pick([x[1] for x in NATIONALITIES], nat),
            CLIENT_HEADERS["continent"]: pick([x[2] for x in NATIONALITIES], nat),
        }
        return pa.table(columns)

    def art60(self) -> pa.Table:
        rng, n, c = self.rng, self.n, self.counts
        holders = np.sort(rng.permutation(n)[: c["art60_clients"]])
        second = np.sort(rng.choice(len(holders), c["art60_second"], replace=False))
        has_second = np.zeros(len(holders), bool)
        has_second[second] = True
        days = 14 + np.floor(rng.gamma(2.0, 220.0, len(holders))).astype(np.int64)
        start1 = weekday(self.intake[holders] + days)
        duration1 = np.where(
            has_second, rng.integers(60, 301, len(holders)), rng.integers(182, 731, len(holders))
        )
        end1 = start1 + duration1
        start2 = weekday(end1[second] + rng.integers(7, 61, len(second)))
        end2 = start2 + rng.integers(182, 731, len(second))
        oow_holders = (
            np.sort(rng.choice(self.oow, c["art60_oow"], replace=False))
            if c["art60_oow"]
            else self.oow[:0]
        )
        start_oow = weekday(self.intake[oow_holders] + rng.integers(30, 400, len(oow_holders)))
        end_oow = start_oow + rng.integers(182, 731, len(oow_holders))
        start_other = random_weekdays(rng, "2017-03-01", "2020-02-28", len(self.art60_others))
        end_other = start_other + rng.integers(182, 731, len(self.art60_others))

        person = np.r_[holders, holders[second], oow_holders, self.art60_others]
        start = np.r_[start1, start2, start_oow, start_other]
        end = np.r_[end1, end2, end_oow, end_other]
        end = np.where(end > design.REFERENCE_DATE, np.datetime64("NaT"), end)
        employer_names = list(CALIBRATION["art60_last_employers"]) + list(OTHER_EMPLOYERS)
        weights = 1.0 / np.arange(1, len(employer_names) + 1) ** 0.9
        employer = choice(rng, weights, len(person))
        order = np.argsort(start, kind="stable")
        person, start, end, employer = person[order], start[order], end[order], employer[order]
        if self.fmt == "parquet":
            start_col, end_col = native_dates(start), native_dates(end)
        else:
            start_col, end_col = (
                format_dates(start, self.day_text),
                format_dates(end, self.day_text),
            )
        return pa.table(
            {
                ART60_HEADERS["client_id"]: self.people.insz_plain.take(pa.array(person)),
                ART60_HEADERS["start_date"]: start_col,
                ART60_HEADERS["end_date"]: end_col,
                ART60_HEADERS["employer"]: pick(employer_names, employer),
            }
        )

    def twe(self) -> pa.Table:
        rng, n, c = self.rng, self.n, self.counts
        people = np.sort(rng.permutation(n)[: c["twe_clients"]])
        earlier = np.sort(rng.choice(len(people), c["twe_earlier"], replace=False))
        start = weekday(self.intake[people] + rng.integers(30, 701, len(people)))
        e_start = weekday(self.intake[people[earlier]] + rng.integers(7, 61, len(earlier)))
        e_end = e_start + rng.integers(60, 201, len(earlier))
        start[earlier] = weekday(e_end + rng.integers(7, 61, len(earlier)))
        o_start = random_weekdays(rng, "2017-06-01", "2019-12-31", len(self.twe_others))
        person = np.r_[people, people[earlier], self.twe_others]
        start = np.r_[start, e_start, o_start]
        end = start + rng.integers(180, 541, len(person))
        end[len(people) : len(people) + len(earlier)] = e_end
        running = end > design.TWE_EXPORT_DATE
        end = np.where(running, np.datetime64("NaT"), end)
        result = choice(rng, (0.5, 0.42, 0.05, 0.03), len(person))
        result[len(people) : len(people) + len(earlier)] = rng.integers(0, 2, len(earlier))
        order = np.argsort(start, kind="stable")
        person, start, end, result, running = (
            person[order],
            start[order],
            end[order],
            result[order],
            running[order],
        )
        dotted = rng.random(len(person)) < design.SHARE_DOTTED_TWE
        return pa.table(
            {
                TWE_HEADERS["client_id"]: _choose_text(
                    dotted, self.people.insz_dotted, self.people.insz_plain, person
                ),
                TWE_HEADERS["start_date"]: format_dates(start, self.day_text),
                TWE_HEADERS["end_date"]: format_dates(end, self.day_text),
                TWE_HEADERS["result"]: pick(RAW_TWE_RESULT.values(), result, mask=running),
            }
        )

    def trajectory_changes(self) -> pa.Table:
        rng, n, c = self.rng, self.n, self.counts
        clients = np.sort(rng.permutation(n)[: c["changes_clients"]])
        oow = (
            np.sort(rng.choice(self.oow, c["changes_oow"], replace=False))
            if c["changes_oow"]
            else self.oow[:0]
        )
        person = np.r_[clients, oow]
        date = np.minimum(
            weekday(self.intake[person] + rng.integers(7, 401, len(person))),
            np.datetime64("2020-03-20"),
        )
        new = (self.trajectory[person] + rng.integers(1, 4, len(person))) % 4
        order = np.lexsort((person, date))
        person, date, new = person[order], date[order], new[order]
        dotted = rng.random(len(person)) < design.SHARE_DOTTED_TWE
        return pa.table(
            {
                TRAJECTORY_CHANGE_HEADERS["client_id"]: _choose_text(
                    dotted, self.people.insz_dotted, self.people.insz_plain, person
                ),
                TRAJECTORY_CHANGE_HEADERS["change_date"]: format_dates(date, self.day_text),
                TRAJECTORY_CHANGE_HEADERS["trajectory"]: pick(RAW_TRAJECTORY.values(), new),
            }
        )

    def vdab_batches(self) -> Iterator[pa.Table]:
        """One table per snapshot (oldest first): the VDAB export in reference-date order."""
        rng = self.rng
        people = self.vdab_people
        n = len(people)
        work_codes, no_work_codes = list(design.WORK_CODES), list(design.NO_WORK_CODES)
        codes = work_codes + no_work_codes
        code_text = pa.array([f"{k:02d}" for k in codes], pa.string())
        labels = pa.array(
            [design.WORK_CODES[k][0] for k in work_codes]
            + [design.NO_WORK_CODES[k][0] for k in no_work_codes]
        )
        w_work = [design.WORK_CODES[k][1] for k in work_codes]
        w_none = [design.NO_WORK_CODES[k][1] for k in no_work_codes]
        offset = len(work_codes)
        ids = self.people.insz_plain.take(pa.array(people))
        steps = np.r_[1, months_between(self.dates)]
        working = rng.random(n) < design.P_WORK_FIRST + self.vdab_work_bias
        code = np.where(working, choice(rng, w_work, n), offset + choice(rng, w_none, n))
        for i, date in enumerate(self.dates):
            if i:
                months = steps[i]
                p_find = 1 - (1 - design.P_FIND_WORK) ** months
                p_lose = 1 - (1 - design.P_LOSE_WORK) ** months
                p_change = 1 - (1 - design.P_CODE_CHANGE) ** months
                u = rng.random(n)
                switch = np.where(working, u < p_lose, u < p_find)
                working = working ^ switch
                redraw = switch | (rng.random(n) < p_change)
                fresh = np.where(working, choice(rng, w_work, n), offset + choice(rng, w_none, n))
                code = np.where(redraw, fresh, code)
            date_text = format_dates(np.array([date]), self.day_text)[0].as_py()
            yield pa.table(
                {
                    VDAB_HEADERS["client_id"]: ids,
                    VDAB_HEADERS["reference_date"]: pa.repeat(pa.scalar(date_text, pa.string()), n),
                    VDAB_HEADERS["status_code"]: code_text.take(pa.array(code)),
                    VDAB_HEADERS["status_label"]: labels.take(pa.array(code)),
                }
            )


def _choose_text(
    use_first: np.ndarray, first: pa.Array, second: pa.Array, person: np.ndarray
) -> pa.Array:
    """``first[person]`` where ``use_first`` else ``second[person]`` (text, vectorised)."""
    import pyarrow.compute as pc

    return pc.if_else(
        pa.array(use_first), first.take(pa.array(person)), second.take(pa.array(person))
    )


def design_counts(
    n_clients: int, snapshots: str = "monthly", n_snapshots: int = 12
) -> dict[str, int]:
    """How many people and rows each export gets for ``n_clients`` clients (the design)."""
    n = int(n_clients)
    art60_clients = int(round(design.SHARE_ART60 * n))
    art60_second = int(round(design.SHARE_SECOND_CONTRACT * art60_clients))
    out_of_window = int(round(design.SHARE_OUT_OF_WINDOW * n))
    art60_oow = int(round(design.SHARE_OOW_ART60 * out_of_window))
    art60_nonclients = int(round(design.SHARE_NONCLIENT * (art60_clients + art60_second)))
    twe_clients = int(round(design.SHARE_TWE * n))
    twe_earlier = int(round(design.SHARE_EARLIER_TWE * twe_clients))
    twe_nonclients = int(round(design.SHARE_NONCLIENT * (twe_clients + twe_earlier)))
    changes_clients = int(round(design.SHARE_CHANGE * n))
    changes_oow = int(round(design.SHARE_CHANGE * out_of_window))
    vdab_clients = n - int(round(design.SHARE_NO_VDAB * n))
    vdab_nonclients = int(round(design.SHARE_NONCLIENT * n))
    duplicate_intakes = int(round(design.SHARE_DUPLICATE * n))
    snapshot_dates(snapshots, n_snapshots)  # validates
    return {
        "clients": n,
        "out_of_window": out_of_window,
        "duplicate_intakes": duplicate_intakes,
        "art60_clients": art60_clients,
        "art60_second": art60_second,
        "art60_oow": art60_oow,
        "art60_nonclients": art60_nonclients,
        "twe_clients": twe_clients,
        "twe_earlier": twe_earlier,
        "twe_nonclients": twe_nonclients,
        "changes_clients": changes_clients,
        "changes_oow": changes_oow,
        "vdab_clients": vdab_clients,
        "vdab_nonclients": vdab_nonclients,
        "snapshots": n_snapshots,
        "rows_clients": n + out_of_window + duplicate_intakes,
        "rows_art60": art60_clients + art60_second + art60_oow + art60_nonclients,
        "rows_twe": twe_clients + twe_earlier + twe_nonclients,
        "rows_vdab": (vdab_clients + out_of_window + vdab_nonclients) * n_snapshots,
        "rows_trajectory_changes": changes_clients + changes_oow,
    }


def _tables(n_clients: int, snapshots: str, n_snapshots: int, seed: int, fmt: str):
    gen = _Generator(n_clients, snapshots, n_snapshots, seed, fmt)
    # fixed order of random draws: clients, art60, twe, changes, then VDAB snapshot by snapshot
    tables = {"clients": gen.clients(), "art60": gen.art60(), "twe": gen.twe()}
    tables["trajectory_changes"] = gen.trajectory_changes()
    return tables, gen.vdab_batches()


def generate_scale(
    n_clients: int,
    snapshots: str = "monthly",
    n_snapshots: int = 12,
    seed: int = 1,
    fmt: str = "parquet",
) -> dict[str, pa.Table]:
    """The four raw exports as Arrow tables with the raw headers and raw text values, keyed
    ``clients``, ``art60``, ``twe`` and ``vdab`` (the VDAB table has one chunk per snapshot).
    ``fmt`` only decides the art. 60 dates: native ``date32`` for Parquet, text for CSV."""
    tables, vdab = _tables(n_clients, snapshots, n_snapshots, seed, fmt)
    return {**tables, "vdab": pa.concat_tables(list(vdab))}


def export_paths(outdir: str | Path, fmt: str = "parquet") -> dict[str, Path]:
    return {name: Path(outdir) / f"{stem}.{fmt}" for name, stem in design.EXPORT_STEMS.items()}


def write_scale(
    outdir: str | Path,
    n_clients: int,
    snapshots: str = "monthly",
    n_snapshots: int = 12,
    seed: int = 1,
    fmt: str = "parquet",
) -> dict[str, Path]:
    """Generate and write the four exports into ``outdir`` (``<stem>.parquet`` or ``.csv``).
    VDAB is streamed one snapshot at a time, so memory stays near one snapshot's rows."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = export_paths(outdir, fmt)
    tables, vdab = _tables(n_clients, snapshots, n_snapshots, seed, fmt)
    parts = {name: [table] for name, table in tables.items()}
    parts["vdab"] = vdab
    for name in design.EXPORT_STEMS:
        if fmt == "parquet":
            write_parquet(parts[name], paths[name])
        else:
            write_csv(parts[name], paths[name], *CSV_LAYOUT[name])
    return paths


def scale_config(
    base: dict, paths: dict[str, str | Path], recode: str | Path | None = None
) -> dict:
    """A copy of ``base`` (the demo config as loaded from YAML) for generated exports: the
    export paths replaced (nothing else about the exports changes), no reference figures and no
    demo key (set ``COB_PSEUDO_KEY``); ``recode`` replaces the recoding table's path if given."""
    import copy

    config = copy.deepcopy(base)
    for name, path in paths.items():
        if name in config["exports"]:  # an optional export the config leaves out stays out
            config["exports"][name]["path"] = str(path)
    config["reference_figures"] = None
    config["pseudonymisation"] = {"allow_demo_key": False}
    if recode is not None:
        config["recode"] = str(recode)
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cob_demo scale",
        description="Write uncalibrated synthetic exports of any size (same layout as the demo).",
    )
    parser.add_argument(
        "--clients", type=int, required=True, help="number of clients in the intake window"
    )
    parser.add_argument(
        "--snapshots",
        choices=design.SNAPSHOTS,
        default="monthly",
        help="VDAB snapshots: month ends or yearly (default: monthly)",
    )
    parser.add_argument(
        "--n-snapshots", type=int, default=12, help="number of VDAB snapshots (default: 12)"
    )
    parser.add_argument(
        "--format",
        choices=design.FORMATS,
        default="parquet",
        dest="fmt",
        help="file format (default: parquet)",
    )
    parser.add_argument("--outdir", type=Path, default=Path("data/scale"), help="output directory")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    paths = write_scale(
        args.outdir, args.clients, args.snapshots, args.n_snapshots, args.seed, args.fmt
    )
    counts = design_counts(args.clients, args.snapshots, args.n_snapshots)
    for name, path in paths.items():
        print(f"{name}: {path} ({counts['rows_' + name]} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
