"""Quality-assurance tables: unmatched keys per source (pseudonymised counts only)."""

from __future__ import annotations

import pandas as pd


def unmatched_keys(staged: dict[str, pd.DataFrame], linked) -> pd.DataFrame:
    """Per source export: how many distinct pseudonymised keys (and rows) match no intake at all."""
    known = set(staged["clients"]["client_key"].dropna())
    population = set(linked.clients["client_key"])
    rows = []
    for name in ("art60", "twe", "vdab"):
        keys = staged[name]["client_key"].dropna()
        unmatched = keys[~keys.isin(known)]
        out_of_window = keys[keys.isin(known) & ~keys.isin(population)]
        rows.append({"export": name, "distinct_keys": int(keys.nunique()),
                     "unmatched_keys": int(unmatched.nunique()), "unmatched_rows": len(unmatched),
                     "out_of_window_keys": int(out_of_window.nunique())})
    covered = {name: set(staged[name]["client_key"]) for name in ("art60", "twe", "vdab")}
    rows.append({"export": "clients", "distinct_keys": len(population),
                 "unmatched_keys": len(population - covered["vdab"]), "unmatched_rows": len(population - covered["vdab"]),
                 "out_of_window_keys": len(known - population)})
    return pd.DataFrame(rows)
