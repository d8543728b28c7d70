"""Published figures: the reference file as a long frame, and the comparison at the published
precision with the CSV tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_workbook import make_reference, make_tables

from cob_analysis import published
from cob_analysis.tables_io import TableMeta, write_table

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "src" / "cob_demo" / "report_2020_tables.yaml"


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return published.load_published(REFERENCE)


def test_one_row_per_printed_number(reference):
    assert list(reference.columns[:5]) == ["table_id", "row", "col", "published", "decimals"]
    counts = reference.groupby("table_id").size().to_dict()
    assert counts == {
        "t02_vdab_status": 15 * 2 + 1,  # n and pct per code, and the total
        "t04_work_status": 2 * 2 + 1,
        "t05_cohort_work": 5 * 3 + 5 * 2,  # counts with Totaal column, two row percentages per row
        "t06_trajectory_work": 25,
        "t07_art60_by_trajectory": 5 * 5,
        "t08_art60_timing": 5 * 3,
        "t09_twe_result": 4 * 2 + 1,
        "t10_art60_employers": 25,
        "t11_gender_work": 3 * 3 + 3 * 2,
        "t12_gender_household": 5 * 3 + 4 * 3,  # column percentages of Man, Vrouw and Totaal
        "t13_household_work": 25,
        "t14_nt2_work": 13 * 3,  # no percentages printed
        "t15_agegroup_work": 4 * 3 + 4 * 2,
        "t16_schooling_work": 25,
    }
    assert not reference.duplicated(["table_id", "row", "col"]).any()


def test_values_columns_and_precision(reference):
    at = reference.set_index(["table_id", "row", "col"])
    assert at.loc[("t05_cohort_work", "Najaar 2017", "Werk"), "published"] == 172
    assert at.loc[("t05_cohort_work", "Najaar 2017", "Werk %"), "published"] == 56.0
    assert at.loc[("t05_cohort_work", "Najaar 2017", "Werk %"), "decimals"] == 1  # printed "56.0"
    assert at.loc[("t12_gender_household", "Totaal", "Totaal"), "published"] == 1660
    assert at.loc[("t12_gender_household", "Onbekend", "Totaal %"), "published"] == 0.7
    assert at.loc[("t02_vdab_status", "5", "pct"), "published"] == 28.0
    assert at.loc[("t02_vdab_status", "5", "pct"), "decimals"] == 1
    assert at.loc[("t02_vdab_status", "Totaal", "n"), "published"] == 1662
    assert (
        at.loc[("t07_art60_by_trajectory", "Totaal", "pct_art60_within_trajectory"), "published"]
        == 46.0
    )
    assert at.loc[("t10_art60_employers", "ZORGBEDRIJF ANTWERPEN", "n"), "published"] == 96
    # printed as integers: t08 means and SDs, t09 percentages
    assert (reference.loc[reference["table_id"] == "t08_art60_timing", "decimals"] == 0).all()
    t09 = reference[reference["table_id"] == "t09_twe_result"]
    assert (t09["decimals"] == 0).all()
    assert at.loc[("t09_twe_result", "Geen werk", "pct"), "published"] == 51
    assert at.loc[("t08_art60_timing", "Totaal", "mean_days"), "published"] == 448


def test_report_spellings_mapped_to_canonical_labels(reference):
    t06 = reference[reference["table_id"] == "t06_trajectory_work"]
    assert "SD/Activering" in set(t06["row"]) and "SD/activering" not in set(t06["row"])
    assert set(t06.loc[t06["row"] == "SD/Activering", "row_as_printed"]) == {"SD/activering"}
    t14 = reference[reference["table_id"] == "t14_nt2_work"]
    assert "Niet geregistreerd" in set(t14["row"]) and "" not in set(t14["row"])
    assert {"0", "<1.1", "1.1", "4.2"} <= set(t14["row"])


def _tables_from_reference(reference: pd.DataFrame, tables_dir: Path, language: str = "nl") -> None:
    """CSV tables that hold exactly the published numbers (crosstab long form, t02 codes, stats)."""
    en = {
        "Totaal": "Total",
        "Werk": "Work",
        "Geen werk of onbekend": "No work or unknown",
        "SD/Activering": "SD/Activation",
        "Niet geregistreerd": "Not registered",
        "Vrouw": "Woman",
    }
    tr = (lambda v: en.get(v, v)) if language == "en" else (lambda v: v)
    for table_id, part in reference.groupby("table_id", sort=False):
        pct = part["col"].str.endswith(" %")
        if pct.any() or table_id in ("t14_nt2_work",) or part["col"].isin(["Werk", "Man"]).any():
            counts = part[~pct].rename(columns={"published": "n"})[["row", "col", "n"]]
            pcts = (
                part[pct]
                .assign(col=lambda f: f["col"].str[:-2])
                .rename(columns={"published": "pct"})
            )
            frame = counts.merge(pcts[["row", "col", "pct"]], on=["row", "col"], how="left")
            frame = frame.assign(row=frame["row"].map(tr), col=frame["col"].map(tr))
            write_table(frame, TableMeta(id=table_id, title=table_id, kind="crosstab"), tables_dir)
        elif table_id == "t02_vdab_status":
            wide = part.pivot(index="row", columns="col", values="published").reset_index()
            wide.insert(0, "code", wide["row"].where(wide["row"] != "Totaal", ""))
            wide["label"] = wide["row"].where(wide["row"] == "Totaal", "x").map(tr)
            write_table(
                wide[["code", "label", "n", "pct"]],
                TableMeta(id=table_id, title="t02", kind="oneway"),
                tables_dir,
            )
        else:
            wide = part.pivot(index="row", columns="col", values="published").reset_index()
            first = (
                "trajectory"
                if table_id in ("t07_art60_by_trajectory", "t08_art60_timing")
                else "row"
            )
            wide = wide.rename(columns={"row": first})
            wide[first] = wide[first].map(tr)
            write_table(wide, TableMeta(id=table_id, title=table_id, kind="stats"), tables_dir)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_compare_finds_every_published_figure(reference, tmp_path, language):
    _tables_from_reference(reference, tmp_path, language)
    out = published.compare(reference, tmp_path)
    assert len(out) == len(reference)
    assert out["match"].dtype == bool
    missing = out[out["regenerated"].isna()]
    assert missing.empty, missing[["table_id", "row", "col"]].to_string()
    assert out["match"].all()
    assert (out["regenerated"] == out["published"]).all()


def test_compare_rounds_half_up_at_the_published_precision(tmp_path):
    tables = tmp_path / "tables"
    write_table(
        pd.DataFrame(
            {
                "trajectory": ["VDAB", "Lineair", "Totaal"],
                "n": [10, 20, 30],
                "mean_days": [448.5, 250.49, 12.25],
                "sd_days": [232.4, 0.5, 1.0],
            }
        ),
        TableMeta(id="tx_timing", title="x", kind="stats"),
        tables,
    )
    ref = tmp_path / "ref.yaml"
    ref.write_text(
        "tables:\n"
        "  tx_timing:\n"
        "    columns: [n, mean_days, sd_days]\n"
        "    rows:\n"
        "      VDAB: [10, 449, 232]\n"  # 448.5 -> 449 (banker's rounding would give 448)
        "      Lineair: [20, 250, 1]\n"  # 0.5 -> 1
        "      Totaal: [30, 12.3, 1.00]\n",  # 12.25 -> 12.3 at one decimal; 1.00 two decimals
        encoding="utf-8",
    )
    out = published.compare(published.load_published(ref), tables)
    assert out["match"].all(), out.to_string()
    at = out.set_index(["row", "col"])
    assert at.loc[("Totaal", "mean_days"), "decimals"] == 1
    assert at.loc[("Totaal", "sd_days"), "decimals"] == 2
    assert at.loc[("VDAB", "mean_days"), "regenerated"] == 448.5
    assert at.loc[("VDAB", "mean_days"), "regenerated_rounded"] == 449


def test_compare_marks_differences_and_missing_figures(tmp_path):
    tables = tmp_path / "tables"
    make_tables(tables)
    ref = make_reference(tables, tmp_path / "ref.yaml")
    reference = published.load_published(ref)
    assert published.compare(reference, tables)["match"].all()

    frame = pd.read_csv(tables / "t05_cohort_work.csv", dtype=str, keep_default_na=False)
    frame.loc[(frame["row"] == "Najaar 2017") & (frame["col"] == "Werk"), "n"] = "999"
    frame.to_csv(tables / "t05_cohort_work.csv", index=False, lineterminator="\n")
    (tables / "t08_art60_timing.csv").unlink()
    out = published.compare(reference, tables)
    differ = out[~out["match"]]
    assert set(differ["table_id"]) == {"t05_cohort_work", "t08_art60_timing"}
    t05 = differ[differ["table_id"] == "t05_cohort_work"]
    assert t05[["row", "col"]].values.tolist() == [["Najaar 2017", "Werk"]]
    assert t05["regenerated"].iloc[0] == 999
    assert t05["source_column"].iloc[0] == "n" and pd.notna(t05["source_row"].iloc[0])
    t08 = differ[differ["table_id"] == "t08_art60_timing"]
    assert t08["regenerated"].isna().all() and len(t08) == 15

    summary = published.summarise(out).set_index("table_id")
    assert summary.loc["t05_cohort_work", "n_diff"] == 1
    assert summary.loc["t08_art60_timing", "n_match"] == 0


def test_generic_over_table_ids_and_shapes(tmp_path):
    ref = tmp_path / "ref.yaml"
    ref.write_text(
        "tables:\n"
        "  x99_new_table:\n"
        "    rows:\n"
        "      A: {Ja: 1, Nee: 3, Totaal: 4}\n"
        "      Totaal: {Ja: 1, Nee: 3, Totaal: 4}\n"
        "    pct:\n"
        "      A: [25.0, 75.0, 100.0]\n"
        "  y01_counts:\n"
        "    rows: {P: 5, Q: 7}\n"
        "  not_a_table: {title: only text}\n",
        encoding="utf-8",
    )
    frame = published.load_published(ref)
    assert set(frame["table_id"]) == {"x99_new_table", "y01_counts"}
    assert set(frame.loc[frame["table_id"] == "x99_new_table", "col"]) == {
        "Ja",
        "Nee",
        "Totaal",
        "Ja %",
        "Nee %",
        "Totaal %",
    }
    assert frame.loc[frame["table_id"] == "y01_counts", "col"].tolist() == ["n", "n"]


def test_a_pct_row_that_fits_no_columns_is_refused(tmp_path):
    ref = tmp_path / "ref.yaml"
    ref.write_text(
        "tables:\n  t:\n    rows:\n      A: {x: 1, y: 2, Totaal: 3}\n    pct:\n      A: [1.0]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="prints 1 percentages but has"):
        published.load_published(ref)
