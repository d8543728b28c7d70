"""Link the staged exports in DuckDB and account for every row.

Each row of each export ends in exactly one class: linked, unmatched (no intake of that person
at all), duplicate, out_of_window (the person's intakes all fall outside the window) or
rejected (refused under a policy, here or at ingest)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from cob_analysis import categories
from cob_analysis.errors import InputError
from cob_analysis.storage import TEXT, arrow_to_frame, column_names

CLASSES = ("linked", "unmatched", "duplicate", "out_of_window", "rejected")

CLIENT_COLUMNS = [
    "client_key",
    "intake_date",
    "cohort",
    "trajectory",
    "gender",
    "age_at_intake",
    "age_group",
    "nationality",
    "country_of_birth",
    "continent",
    "household",
    "nt2_level",
    "schooling",
    "reference_date",
    "status_code",
    "work_status",
    "art60_started",
    "art60_first_start",
    "days_to_art60",
    "art60_count",
    "art60_last_employer",
    "twe_last_end",
    "twe_last_result",
    "observation_end",
]


@dataclass
class Linked:
    clients: pd.DataFrame
    status_panel: pa.Table  # every snapshot of the clients in the window (Arrow: it can be large)
    art60: pa.Table  # linked contracts, with an `in_observation` flag
    twe: pa.Table
    changes: pa.Table | None  # linked trajectory changes (None: no such export)
    accounting: (
        pd.DataFrame
    )  # export, file, rows_read, linked, unmatched, duplicate, out_of_window, rejected
    notes: pd.DataFrame  # export, note, n: counted events that are not row classes
    unmatched: (
        pd.DataFrame
    )  # per export: distinct keys, unmatched keys and rows, out-of-window keys
    reference_date: pd.Timestamp
    observation_end: pd.Timestamp


def _register(con: duckdb.DuckDBPyConnection, name: str, source) -> None:
    """A frame or Arrow table as a view, or a Parquet path read by DuckDB itself (streamed:
    the rows never become Python objects)."""
    if isinstance(source, str | Path):
        con.read_parquet(Path(source).as_posix()).create_view(name)  # the path is never SQL text
    else:
        con.register(name, source)


def _memory_limit() -> str:
    """Half of the machine's memory (DuckDB's default is 80%, too much beside Python's own)."""
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return f"{max(1, pages * page_size // 2 // 2**30)}GB"
    except (ValueError, OSError, AttributeError):
        return "4GB"


def _classify_sql(table: str, dedup_cols: str) -> str:
    """Rows of `table` classed against the population (`pop`) and out-of-window keys (`oow`)."""
    return f"""
        select t.*,
          case
            when row_number() over (partition by {dedup_cols} order by t.source_row) > 1 then 'duplicate'
            when t.client_key in (select client_key from pop) then 'linked'
            when t.client_key in (select client_key from oow) then 'out_of_window'
            else 'unmatched'
          end as class
        from {table} t
    """


def link(
    clients: pd.DataFrame | pa.Table | Path,
    art60: pd.DataFrame | pa.Table | Path,
    twe: pd.DataFrame | pa.Table | Path | None,
    vdab: pd.DataFrame | pa.Table | Path,
    ingest_accounting: dict[str, dict],
    config: dict,
    changes: pd.DataFrame | pa.Table | None = None,
    status_codes: pd.DataFrame | pa.Table | None = None,
) -> Linked:
    """Link staged (pseudonymised) exports into one row per client in the intake window.

    `status_codes` is the recoding applied to the codes present (`recode.codes_in_use`:
    status_code, work_status, status_category, code_in_table); when None, `vdab` must carry
    those columns itself. `twe` is None when there is no TWE export (no TWE rows, no
    accounting row for it)."""
    policies = config["policies"]
    window_from = pd.Timestamp(config["intake_window"]["from"])
    window_to = pd.Timestamp(config["intake_window"]["to"])
    con = duckdb.connect()
    # let DuckDB spill to disk rather than take the machine's memory (large VDAB panels)
    con.execute(f"SET memory_limit = '{_memory_limit()}'")
    _register(con, "clients_raw", clients)
    _register(con, "art60_raw", art60)
    if twe is not None:
        _register(con, "twe_raw", twe)
    else:  # no TWE export: no rows, with the key type of the clients
        con.execute("""create temp view twe_raw as select client_key, NULL::DATE as start_date, NULL::DATE as end_date,
                       NULL::VARCHAR as result, source_row from clients_raw where false""")
    _register(con, "vdab_raw", vdab)
    if status_codes is None:
        con.execute("create temp view vdab_coded as select * from vdab_raw")
    else:
        con.register("status_codes", status_codes)
        con.execute("""create temp view vdab_coded as
            select v.*, c.work_status, c.status_category, c.code_in_table
            from vdab_raw v left join status_codes c using (status_code)""")
    if changes is not None:
        _register(con, "changes_raw", changes)

    # Intakes: window, then the first intake per person; later ones are duplicates.
    window = {"window_from": window_from.date(), "window_to": window_to.date()}
    con.execute(
        """
        create temp table intakes as
        select *,
          case
            when intake_date < $window_from or intake_date > $window_to then 'out_of_window'
            when row_number() over (partition by client_key, (intake_date between $window_from and $window_to)
                 order by intake_date, source_row) > 1 then 'duplicate'
            else 'linked'
          end as class
        from clients_raw
    """,
        window,
    )
    duplicates = con.sql(
        "select source_row from intakes where class = 'duplicate' order by source_row"
    ).df()
    if len(duplicates) and policies["duplicate_intakes"] == "error":
        raise InputError(
            ingest_accounting["clients"]["file"],
            "client_id",
            "more than one intake of the same person in the window",
            rows=duplicates["source_row"],
            hint="set policies.duplicate_intakes: keep_first to keep the first intake",
        )
    con.execute("create temp table pop as select * from intakes where class = 'linked'")
    if not con.sql("select count(*) from pop").fetchall()[0][0]:
        first, last, n = con.sql(
            "select min(intake_date), max(intake_date), count(*) from intakes"
        ).fetchall()[0]
        raise InputError(
            ingest_accounting["clients"]["file"],
            "intake_date",
            f"no intake in the intake window {window_from.date()} to {window_to.date()} "
            f"(the export's {n} intakes run from {pd.Timestamp(first).date()} to {pd.Timestamp(last).date()})",
            hint="set intake_window in the config to the period of the intakes to study",
        )
    con.execute("""create temp table oow as
        select distinct client_key from intakes where client_key not in (select client_key from pop)""")

    # VDAB status rows. Only people with several rows for one date need a closer look (exact
    # duplicates, conflicting codes); every other row is classed by its key alone. Few passes
    # over the rows: this is the largest table.
    con.execute("""create temp table vdab_multi as
        select v.client_key, v.reference_date, v.source_row, v.status_code from vdab_raw v
        semi join (select client_key, reference_date from vdab_raw group by all having count(*) > 1) g
          using (client_key, reference_date)""")
    con.execute("""create temp table vdab_special as
        with d as (
          select *, row_number() over (partition by client_key, reference_date, status_code order by source_row) > 1
                 as is_duplicate from vdab_multi
        ), c as (
          select client_key, reference_date from d where not is_duplicate group by all
          having count(distinct status_code) > 1
        )
        select d.source_row, d.status_code,
               case when d.is_duplicate then 'duplicate' else 'conflict' end as class
        from d left join c using (client_key, reference_date)
        where d.is_duplicate or c.client_key is not null""")
    conflicts = con.sql(
        "select source_row, status_code from vdab_special where class = 'conflict' order by 1"
    ).df()
    if len(conflicts) and policies["conflicting_status"] == "error":
        raise InputError(
            ingest_accounting["vdab"]["file"],
            "status_code",
            "two different status codes for one person and reference date",
            values=conflicts["status_code"],
            rows=conflicts["source_row"],
            hint="set policies.conflicting_status: drop to count and skip them",
        )
    vdab_rejected = len(conflicts)
    con.execute("""create temp view vdab_c as
        select v.*, case
            when s.class = 'conflict' then 'rejected'
            when s.class is not null then s.class
            when v.client_key in (select client_key from pop) then 'linked'
            when v.client_key in (select client_key from oow) then 'out_of_window'
            else 'unmatched' end as class
        from vdab_coded v left join vdab_special s using (source_row)""")
    # the two text columns as ENUMs: Arrow dictionaries in memory (a byte per row, not a string)
    text_columns = ("work_status", "status_category")
    source = "status_codes" if status_codes is not None else "vdab_raw"
    for column in text_columns:
        con.execute(f"""create type {column}_t as enum (
            select distinct {column} from {source} where {column} is not null order by 1)""")
    panel = con.sql(f"""select client_key, reference_date, status_code,
                            {", ".join(f"cast({c} as {c}_t) as {c}" for c in text_columns)}, code_in_table
                        from vdab_c where class = 'linked'""").to_arrow_table()
    con.register("panel", panel)
    linked_dates = dict(con.sql("select reference_date, count(*) from panel group by 1").fetchall())

    if config.get("reference_date"):
        reference_date = pd.Timestamp(config["reference_date"])
        if not any(pd.Timestamp(d) == reference_date for d in linked_dates):
            dates = sorted(str(d) for d in linked_dates)
            raise InputError(
                ingest_accounting["vdab"]["file"],
                "reference_date",
                f"no VDAB status of any client at the configured reference_date {reference_date.date()}",
                hint=f"reference dates of linked clients in the export: {dates}",
            )
    else:
        if not linked_dates:
            raise InputError(
                ingest_accounting["vdab"]["file"], "client_id", "no VDAB row links to any client"
            )
        reference_date = pd.Timestamp(max(linked_dates))
    obs_end = pd.Timestamp(config.get("observation_end") or reference_date)

    dates = {"obs_end": obs_end.date()}
    late = con.execute("select source_row from pop where intake_date > $obs_end", dates).df()
    if len(late):
        raise InputError(
            ingest_accounting["clients"]["file"],
            "intake_date",
            f"intake after the observation end {obs_end.date()}",
            rows=late["source_row"],
            hint="move observation_end (or reference_date) later, or the intake window earlier",
        )

    # Art. 60 contracts and TWE trajectories.
    con.execute(
        f"create temp table art60_c as {_classify_sql('art60_raw', 'client_key, start_date, end_date, employer')}"
    )
    con.execute(
        f"create temp table twe_c as {_classify_sql('twe_raw', 'client_key, start_date, end_date, result')}"
    )
    early = con.sql("""
        select a.source_row from art60_c a join pop p using (client_key)
        where a.class = 'linked' and a.start_date < p.intake_date order by a.source_row
    """).df()
    if len(early):
        if policies["art60_before_intake"] == "error":
            raise InputError(
                ingest_accounting["art60"]["file"],
                "start_date",
                "art. 60 contract starts before the client's intake",
                rows=early["source_row"],
                hint="set policies.art60_before_intake: drop to count and skip them",
            )
        con.register("early_rows", early)
        con.execute(
            "update art60_c set class = 'rejected' where source_row in (select source_row from early_rows)"
        )
    after_end = con.execute(
        """select source_row from art60_c where class = 'linked'
                               and start_date > $obs_end order by source_row""",
        dates,
    ).df()
    if len(after_end) and policies["art60_after_observation_end"] == "error":
        raise InputError(
            ingest_accounting["art60"]["file"],
            "start_date",
            f"art. 60 contract starts after the observation end {obs_end.date()}",
            rows=after_end["source_row"],
        )

    changes_linked = None
    if changes is not None:
        con.execute(
            f"create temp table changes_c as {_classify_sql('changes_raw', 'client_key, change_date, trajectory')}"
        )
        before = con.sql("""select c.source_row from changes_c c join pop p using (client_key)
                            where c.class = 'linked' and c.change_date < p.intake_date order by 1""").df()
        if len(before):
            raise InputError(
                ingest_accounting["trajectory_changes"]["file"],
                "change_date",
                "trajectory change before the client's intake",
                rows=before["source_row"],
            )
        changes_linked = con.sql("""select client_key, change_date, trajectory from changes_c
                                    where class = 'linked' order by client_key, change_date, source_row""").to_arrow_table()

    # One row per client.
    clients_out = con.sql(
        """
        with a as (
          select client_key,
            min(start_date) as art60_first_start,
            count(*) as art60_count,
            -- arg_max_null: the last contract's employer even when it is blank (arg_max skips NULLs)
            arg_max_null(employer, (start_date, coalesce(end_date::DATE, DATE '9999-12-31'), source_row))
              as art60_last_employer
          from art60_c where class = 'linked' and start_date <= $obs_end
          group by client_key
        ), t as (
          select client_key,
            -- the last trajectory's end and result, NULL while it runs (arg_max would skip to an earlier one)
            arg_max_null(end_date, (start_date, source_row)) as twe_last_end,
            arg_max_null(result, (start_date, source_row)) as twe_last_result
          from twe_c where class = 'linked' group by client_key
        ), s as (
          select client_key, status_code, work_status from panel
          where reference_date = $reference_date
        )
        select p.client_key, p.intake_date, p.trajectory, p.gender, p.age_at_intake, p.nationality,
          p.country_of_birth, p.continent, p.household, p.nt2_level, p.schooling,
          s.status_code, coalesce(s.work_status, 'Onbekend') as work_status,
          a.art60_first_start is not null as art60_started, a.art60_first_start,
          datediff('day', p.intake_date, a.art60_first_start) as days_to_art60,
          coalesce(a.art60_count, 0) as art60_count, a.art60_last_employer,
          t.twe_last_end, t.twe_last_result
        from pop p left join a using (client_key) left join t using (client_key) left join s using (client_key)
        order by p.intake_date, p.client_key
    """,
        params={**dates, "reference_date": reference_date.date()},
    ).to_arrow_table()
    clients_out = arrow_to_frame(clients_out)  # text stays in Arrow memory
    clients_out["cohort"] = categories.cohort_labels(clients_out["intake_date"], config["cohort"])
    clients_out["age_group"] = categories.age_group(clients_out["age_at_intake"])
    clients_out["reference_date"] = reference_date
    clients_out["observation_end"] = obs_end
    for column in ("status_code", "days_to_art60", "art60_count", "age_at_intake"):
        clients_out[column] = clients_out[column].astype("Int64")
    for column in (
        "trajectory",
        "gender",
        "nationality",
        "country_of_birth",
        "continent",
        "household",
        "nt2_level",
        "schooling",
        "work_status",
        "art60_last_employer",
        "twe_last_result",
    ):
        clients_out[column] = clients_out[column].astype(TEXT)
    for column in ("intake_date", "art60_first_start", "twe_last_end"):
        clients_out[column] = pd.to_datetime(clients_out[column])
    clients_out = clients_out[CLIENT_COLUMNS].reset_index(drop=True)

    art60_linked = con.sql(
        """
        select client_key, start_date, end_date, employer, start_date <= $obs_end as in_observation
        from art60_c where class = 'linked' order by client_key, start_date, source_row
    """,
        params=dates,
    ).to_arrow_table()
    twe_linked = con.sql("""select client_key, start_date, end_date, result from twe_c
                            where class = 'linked' order by client_key, start_date, source_row""").to_arrow_table()

    # Accounting: every row read ends in one class.
    class_tables = {"clients": "intakes", "art60": "art60_c", "twe": "twe_c", "vdab": "vdab_c"}
    if twe is None:
        del class_tables["twe"]
    if changes is not None:
        class_tables["trajectory_changes"] = "changes_c"
    rows, key_rows = [], []
    for export, table in class_tables.items():
        # one pass per export: rows and distinct keys per class, and distinct keys over all
        stats = con.sql(f"""select class, count(*) as n, count(distinct client_key) as keys
                            from {table} group by grouping sets ((class), ())""").fetchall()
        counts = {cls: int(n) for cls, n, _ in stats if cls is not None}
        keys = {cls: int(k) for cls, _, k in stats}
        ingest = ingest_accounting[export]
        record = {"export": export, "file": ingest["file"], "rows_read": ingest["rows_read"]}
        for cls in CLASSES:
            record[cls] = counts.get(cls, 0)
        record["rejected"] += sum(ingest["rejected"].values())
        rows.append(record)
        if export != "clients":
            key_rows.append(
                {
                    "export": export,
                    "distinct_keys": keys.get(None, 0),
                    "unmatched_keys": keys.get("unmatched", 0),
                    "unmatched_rows": counts.get("unmatched", 0),
                    "out_of_window_keys": keys.get("out_of_window", 0),
                }
            )
    accounting = pd.DataFrame(rows)
    check_accounting(accounting)

    notes = pd.DataFrame(
        [
            {
                "export": "art60",
                "note": "started after the observation end (censored, not an event)",
                "n": len(after_end),
            },
            {"export": "art60", "note": "rejected: started before the intake", "n": len(early)},
            {"export": "vdab", "note": "rejected: conflicting status codes", "n": vdab_rejected},
            {
                "export": "clients",
                "note": "clients without a VDAB status at the reference date",
                "n": int(clients_out["status_code"].isna().sum()),
            },
            {
                "export": "vdab",
                "note": "linked rows with a code missing from the recoding table (Onbekend)",
                "n": int(
                    con.sql(
                        "select count(*) from panel where not coalesce(code_in_table, false)"
                    ).fetchall()[0][0]
                ),
            },
        ]
    )
    if status_codes is not None and "valid_from" in column_names(status_codes):
        outside = con.sql("""select count(*) from panel p join status_codes c using (status_code)
            where p.reference_date < c.valid_from or p.reference_date > c.valid_to""").fetchall()[
            0
        ][0]
        if outside:  # policies.code_outside_validity: keep
            notes.loc[len(notes)] = [
                "vdab",
                "linked rows with a code outside its validity period in the recoding table "
                "(recoded as the table says)",
                int(outside),
            ]
    under_age = int((clients_out["age_at_intake"] < categories.ADULT_AGE).sum())
    if under_age:  # ages outside every group: counted and shown
        notes.loc[len(notes)] = [
            "clients",
            "clients younger than 18 at intake (in no age group)",
            under_age,
        ]
    unmatched = pd.DataFrame(key_rows)
    con.close()
    panel = panel.drop_columns(["code_in_table"])
    return Linked(
        clients_out,
        panel,
        art60_linked,
        twe_linked,
        changes_linked,
        accounting,
        notes,
        unmatched,
        reference_date,
        obs_end,
    )


def check_accounting(accounting: pd.DataFrame) -> None:
    """rows read = linked + unmatched + duplicate + out of window + rejected, per export."""
    total = accounting[list(CLASSES)].sum(axis=1)
    broken = accounting[total != accounting["rows_read"]]
    if len(broken):
        raise AssertionError(f"row accounting does not add up:\n{broken.to_string(index=False)}")


EMPTY_CHANGES = pa.schema(
    [("client_key", pa.int64()), ("change_date", pa.date32()), ("trajectory", pa.string())]
)


def link_clients(
    clients,
    art60,
    twe,
    vdab,
    ingest_accounting: dict[str, dict],
    config: dict,
    changes=None,
    status_codes=None,
) -> Linked:
    """Rule `link_clients`: `link`, with the notes of ingest (rows rejected, values masked)
    among the linkage notes and an empty trajectory-change table when there is no such export."""
    linked = link(
        clients,
        art60,
        twe,
        vdab,
        ingest_accounting,
        config,
        changes=changes,
        status_codes=status_codes,
    )
    counted = [
        {"export": name, "note": f"rejected at ingest: {reason}", "n": n}
        for name, acc in ingest_accounting.items()
        for reason, n in acc["rejected"].items()
    ]
    counted += [
        {"export": name, "note": note, "n": n}
        for name, acc in ingest_accounting.items()
        for note, n in acc.get("notes", {}).items()
    ]
    linked.notes = pd.concat(
        [linked.notes, pd.DataFrame(counted, columns=linked.notes.columns)], ignore_index=True
    )
    if linked.changes is None:
        linked.changes = EMPTY_CHANGES.empty_table()
    return linked
