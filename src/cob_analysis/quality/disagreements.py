"""Where the sources disagree: the report's unexplained discrepancies, counted per group."""

from __future__ import annotations

import pandas as pd

from cob_analysis.categories import WORK
from cob_analysis.i18n import text
from cob_analysis.tables_io import TOTAL, percentage

# The description column is written in the canonical language (Dutch); the HTML report
# shows `check.<name>.description` of the catalogue in its language.
CHECKS = {
    name: text(f"check.{name}.description", "nl")
    for name in (
        "art60_running_no_work",
        "art60_running_code_5",
        "twe_work_result_no_work",
        "work_without_art60_or_twe",
    )
}
TWE_WORK_RESULTS = ("NEC", "NEC in SE-bedrijf", "SEC")
# Without a TWE export the TWE check cannot be made and the last one looks at art. 60 alone.
NEEDS_TWE = ("twe_work_result_no_work",)
WITHOUT_TWE = {"work_without_art60_or_twe": text("check.work_without_art60.description", "nl")}


def flag_disagreements(
    clients: pd.DataFrame, art60: pd.DataFrame, twe: pd.DataFrame
) -> pd.DataFrame:
    """One boolean column per check, one row per client (client_key kept)."""
    reference = clients.set_index("client_key")["reference_date"]
    contracts = art60.assign(reference=art60["client_key"].map(reference))
    running = contracts[
        (contracts["start_date"] <= contracts["reference"])
        & (contracts["end_date"].isna() | (contracts["end_date"] >= contracts["reference"]))
    ]
    running_keys = set(running["client_key"])
    has_art60 = set(art60["client_key"])
    has_twe = set(twe["client_key"])
    working = clients["work_status"] == WORK
    art60_running = clients["client_key"].isin(running_keys)
    return pd.DataFrame(
        {
            "client_key": clients["client_key"],
            "art60_running_no_work": art60_running & ~working,
            "art60_running_code_5": art60_running & (clients["status_code"] == 5).fillna(False),
            "twe_work_result_no_work": clients["twe_last_result"]
            .isin(TWE_WORK_RESULTS)
            .fillna(False)
            & ~working,
            "work_without_art60_or_twe": working & ~clients["client_key"].isin(has_art60 | has_twe),
        }
    )


def summarise(
    clients: pd.DataFrame,
    flags: pd.DataFrame,
    by: tuple[str, ...] = ("trajectory", "cohort"),
    has_twe: bool = True,
) -> pd.DataFrame:
    """Long table: check, description, group_var, group, n_clients, n_flagged, pct.

    Without a TWE export the checks that need it are left out and the others say so."""
    frame = clients[list(by)].join(flags.drop(columns="client_key"))
    checks = (
        dict(CHECKS)
        if has_twe
        else {c: WITHOUT_TWE.get(c, d) for c, d in CHECKS.items() if c not in NEEDS_TWE}
    )
    rows = []
    for check, description in checks.items():
        rows.append(
            {
                "check": check,
                "description": description,
                "group_var": TOTAL,
                "group": TOTAL,
                "n_clients": len(frame),
                "n_flagged": int(frame[check].sum()),
            }
        )
        for var in by:
            grouped = frame.groupby(var, observed=True, sort=True)[check].agg(["size", "sum"])
            for group, row in grouped.iterrows():
                rows.append(
                    {
                        "check": check,
                        "description": description,
                        "group_var": var,
                        "group": group,
                        "n_clients": int(row["size"]),
                        "n_flagged": int(row["sum"]),
                    }
                )
    out = pd.DataFrame(rows)
    out["pct"] = percentage(out["n_flagged"], out["n_clients"], 1)
    return out


def disagreements(
    clients: pd.DataFrame, art60: pd.DataFrame, twe: pd.DataFrame, has_twe: bool = True
) -> pd.DataFrame:
    """Rule `disagreements`: the checks per client, summarised per trajectory and cohort."""
    return summarise(clients, flag_disagreements(clients, art60, twe), has_twe=has_twe)
