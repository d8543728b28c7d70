"""The light module the Snakefile reads: its ids are what the rules write, and it stays light."""

import subprocess
import sys

import pytest

from cob_analysis import categories, outputs


def test_report_table_ids_are_the_tables_report_tables_builds():
    from cob_analysis.tables.report import CROSSTABS, TABLE_IDS

    fixed = {
        "t02_vdab_status",
        "t04_work_status",
        "t07_art60_by_trajectory",
        "t08_art60_timing",
        "t09_twe_result",
        "t10_art60_employers",
    }
    assert set(TABLE_IDS) == fixed | {spec.id for spec in CROSSTABS}
    assert list(TABLE_IDS) == sorted(TABLE_IDS)


def test_analysis_and_longitudinal_ids_come_from_outputs():
    from cob_analysis import longitudinal
    from cob_analysis.survival import analyses

    assert (
        analyses.TABLE_IDS == outputs.ANALYSIS_TABLE_IDS
        and analyses.FIGURE_IDS == outputs.ANALYSIS_FIGURE_IDS
    )
    assert longitudinal.TABLE_IDS == outputs.LONGITUDINAL_TABLE_IDS
    assert longitudinal.FIGURE_IDS == outputs.LONGITUDINAL_FIGURE_IDS


@pytest.mark.parametrize("kind", outputs.COHORT_KINDS)
@pytest.mark.parametrize(
    "window",
    [
        ("2017-01-01", "2018-12-31"),
        ("2016-06-30", "2016-07-01"),
        ("2015-11-15", "2019-02-03"),
        ("2020-03-31", "2020-03-31"),
        ("2020-04-01", "2020-03-31"),
    ],
)
def test_cohorts_between_agrees_with_the_labels_of_every_day(kind, window):
    import pandas as pd

    days = pd.Series(pd.date_range(window[0], window[1], freq="D"))
    expected = (
        categories.cohort_order(categories.cohort_labels(days, kind), kind) if len(days) else []
    )
    assert outputs.cohorts_between(*window, kind) == expected


def test_unknown_cohort_kind_is_refused():
    with pytest.raises(ValueError, match="unknown cohort kind"):
        outputs.cohorts_between("2017-01-01", "2017-02-01", "decade")


def test_what_the_snakefile_imports_stays_light():
    code = (
        "import sys; from cob_analysis import config, outputs, cluster; "
        "heavy = sorted(m for m in ('pandas', 'numpy', 'lifelines', 'matplotlib', 'duckdb', 'pyarrow')"
        " if m in sys.modules); print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
