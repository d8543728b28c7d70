"""Quality-assurance tables: unmatched keys per source (pseudonymised counts only)."""

from __future__ import annotations

import pandas as pd


def unmatched_keys(staged: dict[str, pd.DataFrame], linked) -> pd.DataFrame:
    """Per source export: how many distinct pseudonymised keys (and rows) match no intake at all,
    and how many keys belong to people whose intakes all fall outside the window."""
    known = set(staged["clients"]["client_key"].dropna())
    population = set(linked.clients["client_key"])
    rows = []
    for name in [n for n in ("art60", "twe", "vdab", "trajectory_changes") if n in staged]:
        keys = staged[name]["client_key"].dropna()
        unmatched = keys[~keys.isin(known)]
        out_of_window = keys[keys.isin(known) & ~keys.isin(population)]
        rows.append({"export": name, "distinct_keys": int(keys.nunique()),
                     "unmatched_keys": int(unmatched.nunique()), "unmatched_rows": len(unmatched),
                     "out_of_window_keys": int(out_of_window.nunique())})
    return pd.DataFrame(rows)
