"""The synthetic demo exports: reproducible bytes, valid INSZ, and an independent tally of the
written raw files that reproduces the published tables (src/cob_demo/report_2020_tables.yaml)."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from cob_analysis.ingest import insz
from cob_demo import calibrated as synth
from cob_demo import layout

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
REFERENCE = yaml.safe_load(
    (ROOT / "src" / "cob_demo" / "report_2020_tables.yaml").read_text(encoding="utf-8")
)
TABLES = REFERENCE["tables"]
OBS_END = pd.Timestamp(CONFIG["reference_date"])
WINDOW = (
    pd.Timestamp(CONFIG["intake_window"]["from"]),
    pd.Timestamp(CONFIG["intake_window"]["to"]),
)
NO, YES = "Geen werk of onbekend", "Werk"


def round_half_up(x: float, decimals: int = 0) -> float:
    factor = 10**decimals
    return math.floor(x * factor + 0.5) / factor


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[dict[str, Path], dict[str, Path]]:
    first = synth.write_exports(synth.generate(), tmp_path_factory.mktemp("first"))
    second = synth.write_exports(
        synth.generate(synth.DEFAULT_SEED), tmp_path_factory.mktemp("second")
    )
    return first, second


@pytest.fixture(scope="module")
def raw(written) -> dict[str, pd.DataFrame]:
    """The written files read back with plain pandas and renamed to canonical columns."""
    paths = written[0]
    exports = CONFIG["exports"]

    def rename(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        columns = exports[name]["columns"]
        assert set(columns.values()) <= set(frame.columns), name
        return frame.rename(columns={v: k for k, v in columns.items()})

    read_csv = {"sep": ";", "dtype": str, "keep_default_na": False}
    clients = rename(pd.read_csv(paths["clients"], encoding="cp1252", **read_csv), "clients")
    twe = rename(pd.read_csv(paths["twe"], encoding="utf-8", **read_csv), "twe")
    vdab = rename(pd.read_csv(paths["vdab"], encoding="utf-8-sig", **read_csv), "vdab")
    changes = pd.read_csv(paths["trajectory_changes"], encoding="utf-8", **read_csv)
    headers = layout.TRAJECTORY_CHANGE_HEADERS
    if "trajectory_changes" in exports:  # optional export: the config may not name it yet
        headers = exports["trajectory_changes"]["columns"]
    assert list(changes.columns) == list(headers.values())
    changes = changes.rename(columns={v: k for k, v in headers.items()})
    art60 = rename(
        pd.read_excel(paths["art60"], sheet_name=exports["art60"]["sheet"], dtype=object), "art60"
    )
    for column in ("start_date", "end_date"):  # real Excel dates, blank = running
        assert art60[column].dropna().map(lambda d: isinstance(d, dt.datetime)).all()
        art60[column] = pd.to_datetime(art60[column])
    return {
        "clients": clients,
        "art60": art60,
        "twe": twe,
        "vdab": vdab,
        "trajectory_changes": changes,
    }


def dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="%d/%m/%Y")


def mapped(values: pd.Series, var: str) -> pd.Series:
    mapping = CONFIG["values"][var]
    present = set(values[values != ""])
    assert present <= set(mapping), f"{var}: unmapped raw values {present - set(mapping)}"
    return values.map(mapping)


@pytest.fixture(scope="module")
def population(raw) -> pd.DataFrame:
    """One row per client in the intake window (first intake), linked to VDAB, art. 60, TWE."""
    c = raw["clients"].copy()
    c["id"] = c["client_id"].map(insz.normalise)
    c["intake"] = dates(c["intake_date"])
    c = c[(c["intake"] >= WINDOW[0]) & (c["intake"] <= WINDOW[1])]
    c = c.sort_values("intake", kind="stable").drop_duplicates("id", keep="first").set_index("id")
    for var in ("trajectory", "gender", "household", "schooling"):
        c[var] = mapped(c[var], var)
    c["cohort"] = np.where(c["intake"].dt.month <= 6, "Voorjaar ", "Najaar ") + c[
        "intake"
    ].dt.year.astype(str)
    birth = dates(c["birth_date"])
    before = (c["intake"].dt.month < birth.dt.month) | (
        (c["intake"].dt.month == birth.dt.month) & (c["intake"].dt.day < birth.dt.day)
    )
    c["age"] = c["intake"].dt.year - birth.dt.year - before.astype(float)
    c["age_group"] = pd.cut(c["age"], [0, 24, 30, 200], labels=["18-24j", "25-30j", "30+"]).astype(
        object
    )

    v = raw["vdab"].copy()
    v["id"] = v["client_id"].map(insz.normalise)
    v = v[dates(v["reference_date"]) == OBS_END].set_index("id")
    assert v.index.is_unique
    c["code"] = v["status_code"].reindex(c.index).astype(float)
    werk = REFERENCE["work_recode"]["Werk"]
    c["work"] = np.where(c["code"].isin(werk), YES, NO)
    c["label"] = v["status_label"].reindex(c.index)

    a = raw["art60"].copy()
    a["id"] = a["client_id"].astype(str).map(insz.normalise)
    a = a[a["id"].isin(c.index)]
    a["intake"] = a["id"].map(c["intake"])
    a = a[(a["start_date"] >= a["intake"]) & (a["start_date"] <= OBS_END)].sort_values(
        ["id", "start_date"]
    )
    c["art60_first"] = a.groupby("id")["start_date"].min()
    c["art60_days"] = (c["art60_first"] - c["intake"]).dt.days
    c["art60_last_employer"] = a.groupby("id")["employer"].last()

    t = raw["twe"].copy()
    t["id"] = t["client_id"].map(insz.normalise)
    t = t[t["id"].isin(c.index)]
    t["start"], t["end"] = dates(t["start_date"]), dates(t["end_date"])
    t["result"] = mapped(t["result"], "twe_result")
    last = t.sort_values(["id", "start"]).groupby("id").last()
    c["twe_last_end"] = last["end"]
    c["twe_last_result"] = last["result"]
    return c


def assert_crosstab(pop: pd.DataFrame, var: str, table_id: str, keys=None) -> None:
    expected = TABLES[table_id]["rows"]
    rows = pop[var] if keys is None else pop[var].map(keys)
    tab = pd.crosstab(rows, pop["work"], margins=True, margins_name="Totaal")
    for label, cells in expected.items():
        for col, n in cells.items():
            got = int(tab.loc[label, col]) if label in tab.index and col in tab.columns else 0
            assert got == n, f"{table_id}: {label} x {col}: {got} != {n}"
    assert set(tab.index) == set(expected), f"{table_id}: rows {set(tab.index) ^ set(expected)}"
    for label, pcts in TABLES[table_id].get("pct", {}).items():
        total = tab.loc[label, "Totaal"]
        got = [round_half_up(100 * tab.loc[label].get(col, 0) / total, 1) for col in (NO, YES)]
        assert got == pcts, f"{table_id}: {label} pct {got} != {pcts}"


EXPORTS = {"clients", "art60", "twe", "vdab", "trajectory_changes"}


def test_same_seed_same_bytes(written):
    first, second = written
    assert set(first) == EXPORTS
    for name, path in first.items():
        if name in CONFIG["exports"]:
            assert path.name == Path(CONFIG["exports"][name]["path"]).name
        assert path.name == layout.EXPORT_FILES[name]
        assert path.read_bytes() == second[name].read_bytes(), name
    with zipfile.ZipFile(first["art60"]) as archive:  # no wall-clock time anywhere in the xlsx
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        assert layout.XLSX_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%S") in core


def test_encodings_and_layout(written):
    paths = written[0]
    clients = paths["clients"].read_bytes()
    assert "Geïntegreerd".encode("cp1252") in clients and b"\r\n" in clients
    paths["twe"].read_bytes().decode("utf-8")
    assert paths["vdab"].read_bytes().startswith(b"\xef\xbb\xbf")
    changes = paths["trajectory_changes"].read_bytes()
    assert "Geïntegreerd".encode() in changes and b"\r" not in changes
    assert not changes.startswith(b"\xef\xbb\xbf")
    assert changes.startswith(b"INSZ;Datum wijziging;Nieuw traject\n")
    with zipfile.ZipFile(paths["art60"]) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()
    art60 = pd.read_excel(paths["art60"], sheet_name="Art60")
    assert pd.api.types.is_datetime64_any_dtype(art60["Begindatum"])


def test_every_raw_value_is_mapped(raw):
    """All rows, also those the pipeline drops, carry values the config's value maps know."""
    for var in ("trajectory", "gender", "household", "schooling"):
        mapped(raw["clients"][var], var)
    mapped(raw["twe"]["result"], "twe_result")
    mapped(raw["trajectory_changes"]["trajectory"], "trajectory")
    levels = {
        "",
        "0",
        "<1.1",
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
    }
    assert set(raw["clients"]["nt2_level"]) <= levels | {"4.1", "4.2", "4.3", "4.4"}
    codes = {f"{code:02d}" for code in TABLES["t02_vdab_status"]["rows"]}
    assert set(raw["vdab"]["status_code"]) <= codes  # every snapshot
    recode = pd.read_csv(ROOT / "config" / "recode" / "vdab_status.csv", dtype=str)
    assert {int(c) for c in raw["vdab"]["status_code"]} <= {int(c) for c in recode["code"]}
    assert (raw["trajectory_changes"]["change_date"] != "").all()
    assert (raw["clients"]["intake_date"] != "").all()
    assert (raw["art60"]["employer"].astype(str).str.strip() != "").all()


def test_every_insz_valid(raw):
    for name, frame in raw.items():
        ids = frame["client_id"].astype(str).map(insz.normalise)
        bad = [x for x in ids if not insz.is_valid(x)]
        assert not bad, f"{name}: invalid INSZ {bad[:5]}"
    spelled = raw["clients"]["client_id"]
    assert spelled.str.contains(".", regex=False).any() and spelled.str.fullmatch(r"\d{11}").any()


def test_rows_to_drop(raw, population):
    c = raw["clients"]
    ids = c["client_id"].map(insz.normalise)
    intake = dates(c["intake_date"])
    inside = (intake >= WINDOW[0]) & (intake <= WINDOW[1])
    assert 30 <= (~inside).sum() <= 50 and ids[~inside].is_unique
    assert not set(ids[~inside]) & set(population.index)
    duplicated = ids[inside].duplicated()
    assert 5 <= duplicated.sum() <= 10
    vdab = raw["vdab"][dates(raw["vdab"]["reference_date"]) == OBS_END]
    vdab_ids = vdab["client_id"].map(insz.normalise)
    assert 40 <= (~vdab_ids.isin(population.index)).sum() <= 80
    all_vdab_ids = raw["vdab"]["client_id"].map(insz.normalise)
    assert set(all_vdab_ids[~all_vdab_ids.isin(population.index)]) == set(
        vdab_ids[~vdab_ids.isin(population.index)]
    )
    art60_ids = raw["art60"]["client_id"].astype(str).map(insz.normalise)
    assert 10 <= (~art60_ids.isin(population.index)).sum() <= 20
    twe_ids = raw["twe"]["client_id"].map(insz.normalise)
    assert 5 <= (~twe_ids.isin(population.index)).sum() <= 15


def test_population_and_vdab_status(population):
    assert len(population) == REFERENCE["population"]["n_clients"]
    assert population["code"].notna().all()
    t02 = TABLES["t02_vdab_status"]
    counts = population["code"].astype(int).value_counts()
    assert int(counts.sum()) == t02["total"]
    for code, (label, n, pct) in t02["rows"].items():
        assert int(counts.get(code, 0)) == n, code
        assert round_half_up(100 * n / t02["total"], 1) == pct
        assert set(population.loc[population["code"] == code, "label"]) == {label}
    t04 = TABLES["t04_work_status"]
    work = population["work"].value_counts()
    for label, (n, _pct) in t04["rows"].items():
        assert int(work[label]) == n


def test_crosstabs(population):
    assert_crosstab(population, "cohort", "t05_cohort_work")
    casefold = {"SD/Activering": "SD/activering"}
    assert_crosstab(
        population, "trajectory", "t06_trajectory_work", keys=lambda x: casefold.get(x, x)
    )
    assert_crosstab(population, "gender", "t11_gender_work")
    assert_crosstab(population, "household", "t13_household_work")
    nt2 = population["nt2_level"].replace("", "")
    assert_crosstab(population.assign(nt2=nt2), "nt2", "t14_nt2_work")
    assert_crosstab(population, "age_group", "t15_agegroup_work")
    assert_crosstab(population, "schooling", "t16_schooling_work")
    # the two clients without gender are the two without a birth date
    assert population["gender"].isna().sum() == 2
    assert (population["gender"].isna() == population["age"].isna()).all()


def test_gender_household(population):
    t12 = TABLES["t12_gender_household"]
    tab = pd.crosstab(
        population["household"], population["gender"], margins=True, margins_name="Totaal"
    )
    for label, cells in t12["rows"].items():
        for col, n in cells.items():
            assert int(tab.loc[label, col]) == n, (label, col)
    for label, pcts in t12["pct"].items():
        got = [
            round_half_up(100 * tab.loc[label, col] / tab.loc["Totaal", col], 1)
            for col in ("Man", "Vrouw", "Totaal")
        ]
        assert got == pcts, label


def test_art60_by_trajectory_and_timing(population):
    t07, t08 = TABLES["t07_art60_by_trajectory"], TABLES["t08_art60_timing"]
    started = population["art60_first"].notna()
    n_all, n_art60 = len(population), int(started.sum())
    for label, (n, pct_all, n_with, pct_art60, pct_within) in t07["rows"].items():
        sel = (
            population["trajectory"] == label
            if label != "Totaal"
            else population["trajectory"].notna()
        )
        assert int(sel.sum()) == n, label
        assert int((sel & started).sum()) == n_with, label
        assert round_half_up(100 * n / n_all, 1) == pct_all
        assert round_half_up(100 * n_with / n_art60, 1) == pct_art60
        assert round_half_up(100 * n_with / n, 1) == pct_within
    for label, (n, mean, sd) in t08["rows"].items():
        sel = started & ((population["trajectory"] == label) if label != "Totaal" else True)
        days = population.loc[sel, "art60_days"]
        assert len(days) == n, label
        assert round_half_up(days.mean()) == mean, (label, days.mean())
        assert round_half_up(days.std(ddof=1)) == sd, (label, days.std(ddof=1))
        # the same after writing with one decimal first
        assert round_half_up(round_half_up(days.mean(), 1)) == mean
        assert round_half_up(round_half_up(days.std(ddof=1), 1)) == sd
    first = population.loc[started]
    assert (first["art60_first"] >= first["intake"]).all()
    assert (first["art60_first"] <= OBS_END).all()


def test_art60_contracts_are_consistent(raw, population):
    a = raw["art60"].copy()
    a["id"] = a["client_id"].astype(str).map(insz.normalise)
    a = a[a["id"].isin(population.index)]
    assert (a["start_date"] >= a["id"].map(population["intake"])).all()
    assert (a["start_date"] <= OBS_END).all()
    ended = a["end_date"].notna()
    assert (a.loc[ended, "end_date"] >= a.loc[ended, "start_date"]).all()
    assert (a.loc[ended, "end_date"] <= OBS_END).all()
    per_client = a.groupby("id").size()
    assert 0.15 <= (per_client > 1).mean() <= 0.25
    assert a["employer"].nunique() == TABLES["t10_art60_employers"]["n_distinct_employers"]


def test_last_employers(population):
    t10 = TABLES["t10_art60_employers"]
    counts = population["art60_last_employer"].value_counts()
    assert len(counts) == t10["n_distinct_employers"]
    shown = counts[counts >= t10["min_count_shown"]]
    assert shown.to_dict() == t10["rows"]


def test_twe_results(population):
    t09 = TABLES["t09_twe_result"]
    end = population["twe_last_end"]
    closed = end.notna() & end.dt.year.isin([2019, 2020]) & (end <= OBS_END)
    counts = population.loc[closed, "twe_last_result"].value_counts()
    assert int(counts.sum()) == t09["total"]
    for label, (n, pct) in t09["rows"].items():
        assert int(counts[label]) == n
        assert round_half_up(100 * n / t09["total"]) == pct
    started = population["art60_first"].notna()
    assert not (closed & ~started).any()
    running = started & ~closed
    assert population.loc[running, "twe_last_end"].isna().all()
    assert population.loc[running, "twe_last_result"].isna().all()
    assert population.loc[~started, "twe_last_result"].isna().all()
    assert population.loc[~started, "twe_last_end"].isna().all()


def test_plausibility(population):
    youth = population[population["trajectory"] == "Jongerenproject (ESF)"]
    assert youth["age"].between(18, 24).all()
    assert population["age"].dropna().between(18, 70).all()
    women = population["gender"] == "Vrouw"
    men = population["gender"] == "Man"
    assert (population.loc[women, "schooling"] == "Hoog").mean() > (
        population.loc[men, "schooling"] == "Hoog"
    ).mean()
    assert (population.loc[women, "code"] == 5).mean() > (population.loc[men, "code"] == 5).mean()
    assert (population.loc[men, "code"] == 0).mean() > (population.loc[women, "code"] == 0).mean()
    old = population["age_group"] == "30+"
    young = population["age_group"].isin(["18-24j", "25-30j"])
    assert (population.loc[old, "code"] == 5).mean() > (population.loc[young, "code"] == 5).mean()
    assert (population.loc[old, "code"] == 78).mean() < (population.loc[young, "code"] == 78).mean()
    for continent in ("Afrika", "Azië"):
        share = (population.loc[population["continent"] == continent, "work"] == YES).mean()
        assert 0.4 <= share <= 0.6, continent


# --------------------------------------------------------------------------------------------
# The longitudinal panel and the trajectory changes
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def panel(raw, population) -> pd.DataFrame:
    """Population clients x snapshot: the VDAB code (NaN: no record) and whether it means work."""
    v = raw["vdab"].copy()
    v["id"] = v["client_id"].map(insz.normalise)
    v["date"] = dates(v["reference_date"])
    v = v[v["id"].isin(population.index)]
    assert not v.duplicated(["id", "date"]).any()
    wide = v.pivot(index="id", columns="date", values="status_code").reindex(population.index)
    return wide.astype(float)


def test_vdab_snapshots(raw, population, panel):
    snapshots = sorted(pd.Timestamp(d) for d in layout.SNAPSHOTS)
    assert sorted(dates(raw["vdab"]["reference_date"]).unique()) == snapshots
    assert OBS_END in snapshots
    intake = population["intake"]
    for date in snapshots:
        before = intake > date
        # no status before the intake; nearly everybody with an intake before has one
        assert panel.loc[before, date].isna().all(), date
        present = panel.loc[~before, date].notna().mean()
        assert present > 0.9, (date, present)
    assert panel[OBS_END].notna().all()  # the calibrated snapshot: everybody
    # the first snapshot holds the 2017 cohorts and part of Voorjaar 2018 only
    assert 900 <= panel[snapshots[0]].notna().sum() <= 1200


def test_vdab_history_is_plausible(panel):
    werk = REFERENCE["work_recode"]["Werk"]
    snapshots = list(panel.columns)
    work = {d: panel[d].isin(werk).where(panel[d].notna()) for d in snapshots}
    y19, y20, y21 = (pd.Timestamp(f"{y}-03-31") for y in (2019, 2020, 2021))
    # who works in 2020 more often already worked in 2019, and mostly still does in 2021
    assert work[y19][work[y20] == 1].mean() > 0.5 > 0.15 > work[y19][work[y20] == 0].mean()
    assert work[y21][work[y20] == 1].mean() > 0.75
    # the share working grows with the time since intake
    shares = [work[d].mean() for d in snapshots]
    assert shares == sorted(shares)
    # deregistered because of work (78) persists; newcomers carry code 05
    assert (panel.loc[panel[y20] == 78, y21] == 78).mean() > 0.75
    first = snapshots[0]
    assert (panel[first] == 5).sum() > 0.5 * panel[first].notna().sum()


def test_trajectory_changes(raw, population):
    ch = raw["trajectory_changes"].copy()
    ch["id"] = ch["client_id"].map(insz.normalise)
    ch["date"] = dates(ch["change_date"])
    ch["new"] = mapped(ch["trajectory"], "trajectory")
    assert (ch["date"].dt.dayofweek < 5).all()
    assert (ch["date"] < OBS_END).all()
    outside = ~ch["id"].isin(population.index)
    assert 1 <= outside.sum() <= 5  # people whose intake is outside the window
    ch = ch[~outside].sort_values(["id", "date"], kind="stable")
    ch["old"] = ch.groupby("id")["new"].shift().fillna(ch["id"].map(population["trajectory"]))
    assert (ch["new"] != ch["old"]).all()
    days = (ch["date"] - ch["id"].map(population["intake"])).dt.days
    assert (days >= 7).all()
    share = ch["id"].nunique() / len(population)
    assert 0.10 <= share <= 0.20, share
    assert (ch["new"] == "SD/Activering").mean() > 0.75
    pairs = (ch["old"] + " -> " + ch["new"]).value_counts()
    assert set(pairs.index[:2]) == {"VDAB -> SD/Activering", "Lineair -> SD/Activering"}
    # VDAB -> SD/Activering mostly shortly before a first art. 60
    vdab_sd = ch[(ch["old"] == "VDAB") & (ch["new"] == "SD/Activering")]
    first = vdab_sd["id"].map(population["art60_first"])
    assert (first.notna() & (first > vdab_sd["date"])).mean() > 0.75
    # the report's 44%: VDAB-trajectory clients (at screening) who started an art. 60
    vdab = population[population["trajectory"] == "VDAB"]
    assert round_half_up(100 * vdab["art60_first"].notna().mean()) == 44
    assert ch.groupby("id").size().max() == 2


def test_other_seed_still_calibrated():
    frames = synth.generate(seed=7)
    assert set(frames) == EXPORTS


def test_main_writes_files(tmp_path, capsys):
    assert synth.main(["--outdir", str(tmp_path), "--seed", "11"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(layout.EXPORT_FILES.values())
