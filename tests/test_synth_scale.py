"""The scale generator: layout of the demo, valid and unique INSZ, reproducible, counts and
snapshot dates as designed, and the workflow runs end to end on what it writes."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from cob_analysis.ingest import insz
from cob_demo import scale as synth_scale
from cob_demo.layout import TRAJECTORY_CHANGE_HEADERS
from cob_demo.scale_design import EXPORT_STEMS
from cob_demo.scale_draws import unique_insz

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
RECODE = pd.read_csv(
    ROOT / "config" / "recode" / "vdab_status.csv", dtype=str, keep_default_na=False
)
N = 500
TEST_KEY = "scale-test-key-0123456789abcdefg"  # 32 characters, not the demo key
HEADERS = {  # the raw headers of the demo config (trajectory_changes is optional there)
    name: list(export["columns"].values()) for name, export in CONFIG["exports"].items()
}
HEADERS.setdefault("trajectory_changes", list(TRAJECTORY_CHANGE_HEADERS.values()))


@pytest.fixture(scope="module")
def tables():
    return synth_scale.generate_scale(N, "monthly", 12, seed=7)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = {}
    for fmt in ("parquet", "csv"):
        out[fmt] = synth_scale.write_scale(tmp_path_factory.mktemp(fmt), N, "monthly", 12, 7, fmt)
    return out


def _frames_from_csv(paths: dict[str, Path]) -> dict[str, pd.DataFrame]:
    encodings = {"clients": "cp1252", "vdab": "utf-8-sig"}
    return {
        name: pd.read_csv(
            path, sep=";", dtype=str, keep_default_na=False, encoding=encodings.get(name, "utf-8")
        )
        for name, path in paths.items()
    }


def test_files_written_with_the_demo_names_and_headers(written):
    for fmt, paths in written.items():
        assert set(paths) == set(EXPORT_STEMS)
        for name, path in paths.items():
            assert path.exists() and path.suffix == f".{fmt}"
            assert path.stem == EXPORT_STEMS[name]
            if fmt == "parquet":
                columns = pq.read_schema(path).names
            else:
                encoding = {"clients": "cp1252", "vdab": "utf-8-sig"}.get(name, "utf-8")
                with open(path, encoding=encoding, newline="") as handle:
                    columns = next(csv.reader(handle, delimiter=";"))
            assert columns == HEADERS[name], (fmt, name)
    # the demo's stems are the demo's file names without their suffix
    assert EXPORT_STEMS["clients"] + ".csv" == Path(CONFIG["exports"]["clients"]["path"]).name


def test_csv_layout_matches_the_demo(written):
    paths = written["csv"]
    clients = paths["clients"].read_bytes()
    assert b"\r\n" in clients and "Geïntegreerd".encode("cp1252") in clients  # Windows-1252, CRLF
    vdab = paths["vdab"].read_bytes()
    assert vdab.startswith(b"\xef\xbb\xbf") and vdab.count(b"\r\n") == vdab.count(b"\n")
    assert b"\r\n" not in paths["twe"].read_bytes()
    assert b'"' not in clients  # no quoting, like the demo


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_insz_is_valid(written, fmt):
    frames = (
        {name: pd.read_parquet(path) for name, path in written[fmt].items()}
        if fmt == "parquet"
        else _frames_from_csv(written[fmt])
    )
    for name, frame in frames.items():
        ids = frame.iloc[:, 0].map(insz.normalise)
        assert ids.notna().all(), name
        assert insz.validity_mask(ids).all(), name


def test_people_are_unique_and_dotted_spellings_normalise(tables):
    clients = tables["clients"].to_pandas()
    ids = clients["INSZ"].map(insz.normalise)
    counts = synth_scale.design_counts(N)
    assert ids.nunique() == counts["clients"] + counts["out_of_window"]
    assert clients["INSZ"].str.contains(".", regex=False).any()
    vdab_people = tables["vdab"].to_pandas()["INSZ"].nunique()
    assert (
        vdab_people == counts["vdab_clients"] + counts["out_of_window"] + counts["vdab_nonclients"]
    )


def test_insz_unique_when_many_share_a_birth_date():
    rng = np.random.default_rng(0)
    n = 2900  # one birth date for all: serials overflow into BIS numbers (month + 40, + 20)
    birth = np.full(n, np.datetime64("2001-05-17"))
    gender = (np.arange(n) % 2).astype(np.int8)
    plain, dotted = unique_insz(rng, birth, np.ones(n, bool), gender)
    values = pd.Series(plain.to_pylist())
    assert values.is_unique and insz.validity_mask(values).all()
    assert set(values.str.slice(2, 4)) == {"05", "45", "25"}  # regular and BIS months
    assert pd.Series(dotted.to_pylist()).map(insz.normalise).equals(values)
    # serial parity follows gender among the regular numbers
    serial = values.str.slice(6, 9).astype(int)
    assert ((serial % 2 == 1) == (gender == 0)).all()  # odd for men, even for women
    with pytest.raises(ValueError, match="share a birth date"):
        unique_insz(
            rng,
            np.full(3000, np.datetime64("2001-05-17")),
            np.ones(3000, bool),
            np.zeros(3000, np.int8),
        )


def test_same_seed_same_tables_and_bytes(tables, written, tmp_path):
    again = synth_scale.generate_scale(N, "monthly", 12, seed=7)
    for name in tables:
        assert tables[name].equals(again[name]), name
    for fmt, paths in written.items():
        second = synth_scale.write_scale(tmp_path / fmt, N, "monthly", 12, 7, fmt)
        for name, path in paths.items():
            if fmt == "parquet":
                assert pq.read_table(path).equals(pq.read_table(second[name])), name
            assert path.read_bytes() == second[name].read_bytes(), (fmt, name)
    other = synth_scale.generate_scale(N, "monthly", 12, seed=8)
    assert not tables["clients"].equals(other["clients"])


def test_written_parquet_holds_the_generated_tables(tables, written):
    for name, path in written["parquet"].items():
        assert pq.read_table(path).equals(tables[name].combine_chunks()), name


def test_csv_and_parquet_hold_the_same_values(written):
    from_csv = _frames_from_csv(written["csv"])
    for name, path in written["parquet"].items():
        frame = pd.read_parquet(path)
        for column in frame.columns:
            if (
                frame[column].dtype == object
                and frame[column].map(lambda v: hasattr(v, "year")).any()
            ):
                frame[column] = pd.to_datetime(frame[column]).dt.strftime("%d/%m/%Y")
        frame = frame.fillna("").astype(str)
        pd.testing.assert_frame_equal(frame, from_csv[name], check_dtype=False, obj=name)


def test_row_counts_as_designed(tables):
    counts = synth_scale.design_counts(N, "monthly", 12)
    for name, table in tables.items():
        assert table.num_rows == counts[f"rows_{name}"], name
    assert counts["rows_clients"] == N + round(0.02 * N) + round(0.005 * N)
    assert counts["rows_vdab"] == 12 * (N - round(0.02 * N) + round(0.02 * N) + round(0.01 * N))
    art60 = tables["art60"].to_pandas()
    per_person = art60.groupby("Rijksregisternummer").size()
    assert (per_person == 2).sum() == counts["art60_second"]
    clients = tables["clients"].to_pandas()
    intake = pd.to_datetime(clients["Datum intake"], format="%d/%m/%Y")
    in_window = intake.between("2017-01-01", "2018-12-31")
    ids = clients["INSZ"].map(insz.normalise)
    assert ids[in_window].nunique() == N
    assert ids[in_window].duplicated().sum() == counts["duplicate_intakes"]
    assert (~in_window).sum() == counts["out_of_window"]


def test_values_are_the_configs_raw_values(tables):
    clients = tables["clients"].to_pandas()
    for canonical, header in CONFIG["exports"]["clients"]["columns"].items():
        if canonical in CONFIG["values"]:
            assert set(clients[header].dropna()) <= set(CONFIG["values"][canonical]), canonical
    twe = tables["twe"].to_pandas()
    assert set(twe["Resultaat TWE"].dropna()) <= set(CONFIG["values"]["twe_result"])
    vdab = tables["vdab"].to_pandas()
    recode = dict(zip(RECODE["code"].astype(int), RECODE["label"], strict=True))
    codes = vdab["Categorie werkzoekende"]
    assert codes.str.fullmatch(r"\d\d").all()
    assert set(codes.astype(int)) <= set(recode)
    assert (vdab["Omschrijving categorie"] == codes.astype(int).map(recode)).all()
    # at most one status per person and snapshot
    assert not vdab.duplicated(["INSZ", "Referentiedatum"]).any()


def test_dates_as_designed(tables):
    clients = tables["clients"].to_pandas()
    intake = pd.to_datetime(clients["Datum intake"], format="%d/%m/%Y")
    assert (intake.dt.dayofweek < 5).all()
    birth = pd.to_datetime(clients["Geboortedatum"], format="%d/%m/%Y")
    assert ((intake - birth).dt.days >= 17 * 365).all()
    assert birth.isna().sum() == clients["Geslacht"].isna().sum()
    art60 = tables["art60"].to_pandas()  # date32 in the Parquet flavour
    start, end = pd.to_datetime(art60["Begindatum"]), pd.to_datetime(art60["Einddatum"])
    assert (end.isna() | (end > start)).all() and (end.dropna() <= "2020-03-31").all()
    first = (
        intake[intake.between("2017-01-01", "2018-12-31")]
        .groupby(clients["INSZ"].map(insz.normalise))
        .min()
    )
    starts = start.groupby(art60["Rijksregisternummer"]).min()
    linked = starts.index.intersection(first.index)
    assert (starts[linked] >= first[linked]).all()  # never before the intake


@pytest.mark.parametrize(
    ("snapshots", "n", "expected"),
    [
        (
            "monthly",
            12,
            [
                "30/04/2019",
                "31/05/2019",
                "30/06/2019",
                "31/07/2019",
                "31/08/2019",
                "30/09/2019",
                "31/10/2019",
                "30/11/2019",
                "31/12/2019",
                "31/01/2020",
                "29/02/2020",
                "31/03/2020",
            ],
        ),
        ("yearly", 3, ["31/03/2018", "31/03/2019", "31/03/2020"]),
        ("monthly", 1, ["31/03/2020"]),
    ],
)
def test_snapshot_dates(snapshots, n, expected):
    vdab = synth_scale.generate_scale(50, snapshots, n, seed=3)["vdab"].to_pandas()
    dates = list(dict.fromkeys(vdab["Referentiedatum"]))  # in file order
    assert dates == expected
    assert (vdab.groupby("Referentiedatum").size() == len(vdab) // n).all()


def test_bad_arguments():
    with pytest.raises(ValueError):
        synth_scale.generate_scale(10, "weekly")
    with pytest.raises(ValueError):
        synth_scale.generate_scale(10, fmt="xlsx")
    with pytest.raises(ValueError):
        synth_scale.generate_scale(0)


def test_main_writes_the_exports(tmp_path, capsys):
    assert (
        synth_scale.main(
            [
                "--clients",
                "100",
                "--snapshots",
                "yearly",
                "--n-snapshots",
                "2",
                "--format",
                "csv",
                "--outdir",
                str(tmp_path),
                "--seed",
                "5",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{stem}.csv" for stem in EXPORT_STEMS.values()
    )
    assert "vdab" in capsys.readouterr().out


# --------------------------------------------------------------------------------------------
# The workflow on a generated export
# --------------------------------------------------------------------------------------------
def _run_workflow(workdir: Path, paths: dict[str, Path], base: dict) -> subprocess.CompletedProcess:
    config = synth_scale.scale_config(
        base, paths, recode=ROOT / "config" / "recode" / "vdab_status.csv"
    )
    (workdir / "config.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(workdir),
        "--cores",
        "2",
        "--configfile",
        str(workdir / "config.yaml"),
    ]
    env = dict(
        os.environ,
        COB_PSEUDO_KEY=TEST_KEY,
        PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
    )
    result = subprocess.run(command, capture_output=True, text=True, cwd=workdir, env=env)
    if result.returncode != 0:
        raise AssertionError(
            f"snakemake failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
        )
    return result


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_workflow_runs_on_a_generated_export(tmp_path, fmt):
    n = 2000
    paths = synth_scale.write_scale(tmp_path / "raw", n, "monthly", 12, seed=11, fmt=fmt)
    base = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    if fmt == "csv":  # the optional trajectory-changes export, whether or not the config names it
        base["exports"].setdefault(
            "trajectory_changes",
            {
                "path": "unused",
                "columns": {
                    "client_id": "INSZ",
                    "change_date": "Datum wijziging",
                    "trajectory": "Nieuw traject",
                },
                "date_format": "%d/%m/%Y",
            },
        )
    workdir = tmp_path / "run"
    workdir.mkdir()
    _run_workflow(workdir, paths, base)

    counts = synth_scale.design_counts(n, "monthly", 12)
    linkage = pd.read_csv(workdir / "reports" / "qa" / "linkage.csv").set_index("export")
    classes = ["linked", "unmatched", "duplicate", "out_of_window", "rejected"]
    assert (linkage[classes].sum(axis=1) == linkage["rows_read"]).all()
    for name in ("clients", "art60", "twe", "vdab"):
        assert linkage.loc[name, "rows_read"] == counts[f"rows_{name}"], name
        assert linkage.loc[name, "rejected"] == 0, name
    assert linkage.loc["clients", "linked"] == n
    assert linkage.loc["clients", "duplicate"] == counts["duplicate_intakes"]
    assert linkage.loc["clients", "out_of_window"] == counts["out_of_window"]
    assert linkage.loc["vdab", "linked"] == counts["vdab_clients"] * 12
    assert linkage.loc["vdab", "unmatched"] == counts["vdab_nonclients"] * 12
    assert linkage.loc["vdab", "out_of_window"] == counts["out_of_window"] * 12
    assert linkage.loc["art60", "linked"] == counts["art60_clients"] + counts["art60_second"]
    assert linkage.loc["art60", "unmatched"] == counts["art60_nonclients"]
    assert linkage.loc["twe", "linked"] == counts["twe_clients"] + counts["twe_earlier"]
    if "trajectory_changes" in base["exports"]:
        assert linkage.loc["trajectory_changes", "rows_read"] == counts["rows_trajectory_changes"]
        assert linkage.loc["trajectory_changes", "linked"] == counts["changes_clients"]
    clients = pd.read_parquet(workdir / "data" / "processed" / "clients.parquet")
    assert len(clients) == n
    panel = pd.read_parquet(workdir / "data" / "processed" / "status_panel.parquet")
    assert panel["reference_date"].nunique() == 12
    assert (workdir / "reports" / "manifest.json").exists()
