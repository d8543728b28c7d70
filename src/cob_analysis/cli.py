"""Command-line edges of the workflow: `python -m cob_analysis <command> ...`.

Each command reads its inputs, calls pure functions and writes its outputs. The Snakemake
rules call these; so can a user. `--config-json` takes the (partial) resolved configuration
the rule passes; missing keys fall back to the defaults."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import sys
import time
from pathlib import Path

log = logging.getLogger("cob_analysis")


def _setup_logging(log_file: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        handlers=handlers, force=True)


def _config(args: argparse.Namespace) -> dict:
    """The (partial) resolved configuration a rule passes, over the defaults."""
    from cob_analysis.config import defaults, merge

    given = {}
    if getattr(args, "config_file", None):
        given = json.loads(Path(args.config_file).read_text(encoding="utf-8"))
    elif getattr(args, "config_json", None):
        given = json.loads(args.config_json)
    return merge(defaults(), given)


def cmd_ingest(args: argparse.Namespace) -> None:
    from cob_analysis.ingest.exports import ingest_export, raw_columns
    from cob_analysis.ingest.pseudonymise import file_sha256, resolve_key
    from cob_analysis.ingest.readers import read_export
    from cob_analysis.storage import write_json, write_parquet

    config = _config(args)
    export_cfg = config["exports"][args.export]
    paths = export_cfg["path"] if isinstance(export_cfg["path"], list) else [export_cfg["path"]]
    hashes = [file_sha256(path) for path in paths]
    key, is_demo = resolve_key(config["pseudonymisation"], hashes)
    import pyarrow as pa

    tables, accountings = [], []
    for path, sha256 in zip(paths, hashes, strict=True):
        staged, accounting = ingest_export(
            read_export(path, sheet=export_cfg.get("sheet"), encoding=export_cfg.get("encoding"),
                        delimiter=export_cfg.get("delimiter"), columns=raw_columns(export_cfg)),
            args.export, export_cfg, config, key, file=str(path))
        accounting["sha256"] = sha256
        tables.append(staged)
        accountings.append(accounting)
        log.info("ingest %s: %s: %d rows read, %d kept, rejected %s", args.export, path,
                 accounting["rows_read"], accounting["rows_kept"], accounting["rejected"] or "none")
    staged = pa.concat_tables(tables)
    if len(paths) > 1:  # several files: row numbers stay per file, keep them unique for linkage
        staged = staged.set_column(staged.schema.get_field_index("source_row"), "source_row",
                                   pa.array(range(1, staged.num_rows + 1), pa.int64()))
    write_parquet(staged, args.out)
    combined = {
        "export": args.export,
        "file": ", ".join(str(p) for p in paths),
        "files": accountings,
        "rows_read": sum(a["rows_read"] for a in accountings),
        "rows_kept": sum(a["rows_kept"] for a in accountings),
        "rejected": _sum_dicts(a["rejected"] for a in accountings),
        "notes": _sum_dicts(a["notes"] for a in accountings),
        "demo_key": is_demo,
    }
    write_json(combined, args.qa)


def _sum_dicts(dicts) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return dict(sorted(out.items()))


def cmd_recode(args: argparse.Namespace) -> None:
    import pyarrow.parquet as pq

    from cob_analysis.link.recode import codes_in_use, load_recode_table
    from cob_analysis.storage import read_json, write_parquet

    config = _config(args)
    table = load_recode_table(args.recode)
    qa = read_json(args.qa)
    status = pq.read_table(args.vdab, columns=["status_code", "source_row"])
    used = codes_in_use(status, table, unknown_codes=config["policies"]["unknown_codes"], file=qa["file"])
    write_parquet(used, args.out)
    missing = used.loc[~used["code_in_table"], "n_rows"].sum()
    log.info("recode: %d status rows with %d distinct codes; %d rows with a code missing from %s",
             status.num_rows, len(used), missing, args.recode)


def cmd_link(args: argparse.Namespace) -> None:
    from cob_analysis.link.linkage import link
    from cob_analysis.safe_text import write_csv
    from cob_analysis.storage import read_arrow, read_json, write_parquet

    config = _config(args)
    staged = {name: Path(getattr(args, name)) for name in ("clients", "art60", "vdab")}
    if args.twe:
        staged["twe"] = Path(args.twe)
    if args.changes:
        staged["trajectory_changes"] = Path(args.changes)
    accounting = {name: read_json(Path(args.qa_dir) / f"{name}.json") for name in staged}
    linked = link(staged["clients"], staged["art60"], staged.get("twe"), staged["vdab"], accounting, config,
                  changes=staged.get("trajectory_changes"), status_codes=read_arrow(args.status_codes))
    write_parquet(linked.clients, args.out_clients)
    write_parquet(linked.status_panel, args.out_panel)
    write_parquet(linked.art60, args.out_art60)
    write_parquet(linked.twe, args.out_twe)
    if args.out_changes:
        changes = linked.changes
        if changes is None:  # no such export: an empty table of the same shape
            import pyarrow as pa

            changes = pa.table({"client_key": pa.array([], pa.int64()), "change_date": pa.array([], pa.date32()),
                                "trajectory": pa.array([], pa.string())})
        write_parquet(changes, args.out_changes)
    qa_dir = Path(args.reports_qa)
    qa_dir.mkdir(parents=True, exist_ok=True)
    write_csv(linked.accounting, qa_dir / "linkage.csv")
    notes = linked.notes.copy()
    rejections = [{"export": name, "note": f"rejected at ingest: {reason}", "n": n}
                  for name, acc in accounting.items() for reason, n in acc["rejected"].items()]
    ingest_notes = [{"export": name, "note": note, "n": n}
                    for name, acc in accounting.items() for note, n in acc.get("notes", {}).items()]
    notes = _concat(notes, rejections + ingest_notes)
    write_csv(notes, qa_dir / "linkage_notes.csv")
    write_csv(linked.unmatched, qa_dir / "unmatched.csv")
    for record in linked.accounting.to_dict("records"):
        log.info("link %s: %s", record["export"], ", ".join(f"{k} {v}" for k, v in record.items() if k not in ("export", "file")))
    log.info("link: %d clients in the window; reference date %s; observation end %s",
             len(linked.clients), linked.reference_date.date(), linked.observation_end.date())


def _concat(frame, records):
    import pandas as pd

    return pd.concat([frame, pd.DataFrame(records, columns=frame.columns)], ignore_index=True)


def cmd_tables(args: argparse.Namespace) -> None:
    from cob_analysis.link.recode import load_recode_table
    from cob_analysis.storage import read_parquet
    from cob_analysis.tables.report import write_all

    config = _config(args)
    clients = read_parquet(args.clients)
    ids = write_all(clients, load_recode_table(args.recode), config, Path(args.tables_dir))
    log.info("tables: wrote %d tables for %d clients: %s", len(ids), len(clients), ", ".join(ids))


def cmd_analyses(args: argparse.Namespace) -> None:
    from cob_analysis import categories
    from cob_analysis.storage import read_parquet
    from cob_analysis.survival.analyses import run_analyses

    config = _config(args)
    clients = read_parquet(args.clients)
    ids = run_analyses(
        clients,
        observation_end=clients["observation_end"].iloc[0],
        language=config["language"],
        tables_dir=Path(args.tables_dir),
        figures_dir=Path(args.figures_dir),
        cohort_order=categories.cohort_order(clients["cohort"], config["cohort"]),
        trajectory_order=list(categories.ORDER["trajectory"]),
    )
    log.info("analyses: wrote %s", ", ".join(ids))


def cmd_quality(args: argparse.Namespace) -> None:
    from cob_analysis.quality.disagreements import flag_disagreements, summarise
    from cob_analysis.safe_text import write_csv
    from cob_analysis.storage import read_parquet

    config = _config(args)
    clients = read_parquet(args.clients)
    flags = flag_disagreements(clients, read_parquet(args.art60), read_parquet(args.twe))
    summary = summarise(clients, flags, has_twe=config.get("has_twe", True))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_csv(summary, args.out)
    totals = summary[summary["group_var"] == "Totaal"]
    for row in totals.itertuples():
        log.info("disagreement %s: %d of %d clients", row.check, row.n_flagged, row.n_clients)


def cmd_public(args: argparse.Namespace) -> None:
    from cob_analysis.tables.suppression import publish_table
    from cob_analysis.tables_io import read_table

    config = _config(args)
    k = config["small_cell_threshold"]
    public_dir = Path(args.public_dir)
    public_dir.mkdir(parents=True, exist_ok=True)
    from cob_analysis.tables_io import TableMeta, write_table

    for table_id in args.ids:
        frame, meta = read_table(Path(args.tables_dir), table_id)
        note = {"nl": f"Publicatieversie: aantallen van 1 tot {k - 1} getoond als <{k}; x: verborgen zodat "
                      "geen klein aantal af te leiden is (secundaire onderdrukking).",
                "en": f"Public version: counts from 1 to {k - 1} shown as <{k}; x: hidden so that no small "
                      "count can be derived (secondary suppression)."}
        meta["notes"] = [*meta.get("notes", []), note[config["language"]]]
        write_table(publish_table(frame, meta, k), TableMeta(**meta), public_dir)
    log.info("public: %d tables with counts below %d suppressed", len(args.ids), k)


def cmd_manifest(args: argparse.Namespace) -> None:
    from cob_analysis.quality.manifest import build_manifest
    from cob_analysis.storage import write_json

    config = _config(args)
    write_json(build_manifest(args.inputs, config), args.out)


def _comparison(config: dict, tables_dir: Path):
    """Published figures beside the regenerated ones, when the config names a reference file."""
    if not config.get("reference_figures"):
        return None
    from cob_analysis.published import compare, load_published

    comparison = compare(load_published(config["reference_figures"]), tables_dir)
    log.info("published figures: %d compared, %d differ", len(comparison), int((~comparison["match"]).sum()))
    return comparison


def cmd_workbook(args: argparse.Namespace) -> None:
    from cob_analysis.workbook import write_workbook

    config = _config(args)
    tables_dir = Path(args.tables_dir)
    write_workbook(tables_dir, args.out, language=config["language"], comparison=_comparison(config, tables_dir))
    log.info("workbook: %s", args.out)


def cmd_html_report(args: argparse.Namespace) -> None:
    from cob_analysis.html_report import render_report
    from cob_analysis.storage import read_json

    config = _config(args)
    tables_dir = Path(args.tables_dir)
    render_report(tables_dir=tables_dir, figures_dir=Path(args.figures_dir), qa_dir=Path(args.qa_dir),
                  manifest=read_json(args.manifest), out_path=Path(args.out), language=config["language"],
                  comparison=_comparison(config, tables_dir))
    log.info("html report: %s", args.out)


def _key_sample_bound(fraction: float) -> int:
    """Pseudonyms are uniform over the signed 64-bit range: those at or below this bound are a
    deterministic random sample of about `fraction` of the clients."""
    return min(2**63 - 1, -(2**63) + int(fraction * 2**64))


def _sample_filter(clients_path: str, limit: int) -> list | None:
    """Parquet read filter of the deterministic client sample (None: below the limit, all).
    The bound depends only on the number of clients, so every cohort's job takes the same
    sample as one job over all clients."""
    import pyarrow.parquet as pq

    n_clients = pq.ParquetFile(clients_path).metadata.num_rows
    if n_clients <= limit:
        return None
    return [("client_key", "<=", _key_sample_bound(limit / n_clients))]


def _snapshot_dates(panel_path: str) -> list:
    import duckdb
    import pandas as pd

    rows = duckdb.execute("SELECT DISTINCT reference_date FROM read_parquet(?) WHERE reference_date IS NOT NULL "
                          "ORDER BY 1", [Path(panel_path).as_posix()]).fetchall()
    return [pd.Timestamp(row[0]) for row in rows]


def cmd_longitudinal_cohort(args: argparse.Namespace) -> None:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from cob_analysis.longitudinal import longitudinal_parts
    from cob_analysis.storage import arrow_to_frame

    config = _config(args)
    sample = _sample_filter(args.clients, config["longitudinal_max_clients"]) or []
    clients = pq.read_table(args.clients, filters=[("cohort", "==", args.cohort)] + sample)
    # the panel rows of this cohort's clients only, selected while reading
    keys = pc.unique(clients["client_key"])
    panel = pq.read_table(args.panel, filters=pc.field("client_key").isin(keys))
    parts = longitudinal_parts(arrow_to_frame(clients), arrow_to_frame(panel), dates=_snapshot_dates(args.panel),
                               durable_rule=config["durable_work"])
    parts.write(args.out_dir)
    log.info("longitudinal-cohort %s: %d clients, %d panel rows", args.cohort, clients.num_rows, panel.num_rows)


def cmd_longitudinal(args: argparse.Namespace) -> None:
    import pyarrow.parquet as pq

    from cob_analysis.longitudinal import LongitudinalParts, combine_parts, run_longitudinal
    from cob_analysis.storage import arrow_to_frame
    from cob_analysis.tables_io import add_notes

    if not args.parts and not args.panel:
        raise SystemExit("longitudinal: give --panel or --parts")
    config = _config(args)
    limit = config["longitudinal_max_clients"]
    sample = _sample_filter(args.clients, limit)
    # filters are applied while reading: the full panel is never in memory
    clients = pq.read_table(args.clients, filters=sample)
    changes = pq.read_table(args.changes, filters=sample) if args.changes else None
    note = None
    if sample:
        note = {"nl": f"Berekend op een willekeurige steekproef van {clients.num_rows} cliënten (op pseudoniem; "
                      f"longitudinal_max_clients = {limit}).",
                "en": f"Computed on a random sample of {clients.num_rows} clients (by pseudonym; "
                      f"longitudinal_max_clients = {limit})."}[config["language"]]
        log.info("longitudinal: %s", note)
    if args.parts:  # the per-cohort parts computed by `longitudinal-cohort`
        parts, panel = combine_parts([LongitudinalParts.read(d) for d in args.parts]), None
    else:
        parts, panel = None, arrow_to_frame(pq.read_table(args.panel, filters=sample))
    ids = run_longitudinal(arrow_to_frame(clients), panel, arrow_to_frame(changes) if changes is not None else None,
                           config=config, tables_dir=Path(args.tables_dir), figures_dir=Path(args.figures_dir),
                           parts=parts)
    if note:
        for table_id in ids:
            add_notes(Path(args.tables_dir), table_id, [note])
    log.info("longitudinal: wrote %s", ", ".join(ids))


def cmd_synth(args: argparse.Namespace) -> None:
    if args.clients is not None:  # exports of any size (uncalibrated), for benchmarks
        from cob_analysis import synth_scale

        argv = ["--clients", str(args.clients), "--snapshots", args.snapshots, "--n-snapshots",
                str(args.n_snapshots), "--format", args.format, "--outdir", args.outdir]
        if args.seed is not None:
            argv += ["--seed", str(args.seed)]
        code = synth_scale.main(argv)
    else:  # the calibrated demo exports
        from cob_analysis import synth

        argv = ["--outdir", args.outdir] + (["--seed", str(args.seed)] if args.seed is not None else [])
        code = synth.main(argv)
    if code:
        raise SystemExit(code)


def cmd_demo_hashes(args: argparse.Namespace) -> None:
    from importlib import resources

    from cob_analysis.ingest.pseudonymise import file_sha256

    raw_dir = Path(args.raw_dir)
    files = sorted(p for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    lines = ["# SHA-256 of the synthetic demo exports: only these may be pseudonymised with the demo key."]
    lines += [f"{file_sha256(p)}  {p.name}" for p in files]
    target = Path(str(resources.files("cob_analysis").joinpath("data/demo_exports.sha256")))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log.info("demo-hashes: %d files listed in %s", len(files), target)


def cmd_run(args: argparse.Namespace) -> int:
    """The whole workflow on a config (or the demo), then the Snakemake report."""
    from cob_analysis.runner import run_workflow

    return run_workflow(config=args.config, directory=args.directory, cores=args.cores, profile=args.profile,
                        dry_run=args.dry_run, report=not args.no_report, extra=args.snakemake_args,
                        unlock=args.unlock)


def cmd_init_config(args: argparse.Namespace) -> int:
    from cob_analysis.ingest.starter_config import run

    run(args)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cob_analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=func)
        given = p.add_mutually_exclusive_group()
        given.add_argument("--config-file", help="resolved configuration (a JSON file); defaults fill the rest")
        given.add_argument("--config-json", help="resolved configuration (JSON text); defaults fill the rest")
        p.add_argument("--log", help="also write the log to this file")
        return p

    p = sub.add_parser("run", help="run the whole workflow on your config (or the demo) and build its report")
    p.set_defaults(func=cmd_run)
    p.add_argument("--config", help="your config file (YAML); without it the demo config config/config.yaml")
    p.add_argument("--directory", default=".", help="the folder to run in: relative paths in the config are read "
                                                       "from here and outputs are written here (default: .)")
    p.add_argument("--cores", default="all", help="how many cores to use (default: all)")
    p.add_argument("--profile", help="a Snakemake profile, e.g. profiles/slurm")
    p.add_argument("--dry-run", action="store_true", help="check the config and show what would run")
    p.add_argument("--no-report", action="store_true", help="do not build reports/workflow-report.zip")
    p.add_argument("--unlock", action="store_true",
                   help="first release the lock of a run that was killed (its unfinished steps are rerun)")
    p.add_argument("snakemake_args", nargs=argparse.REMAINDER,
                   help="after --: more Snakemake arguments, e.g. -- --forceall")

    p = sub.add_parser("init-config", help="write a starter config from your own exports (headers and categories)")
    p.set_defaults(func=cmd_init_config)
    from cob_analysis.ingest.starter_config import add_arguments

    add_arguments(p)

    p = add("ingest", cmd_ingest, "read, validate and pseudonymise one export")
    p.add_argument("--export", required=True, choices=["clients", "art60", "twe", "vdab", "trajectory_changes"])
    p.add_argument("--out", required=True)
    p.add_argument("--qa", required=True)

    p = add("recode", cmd_recode, "recode VDAB status codes with the recoding table")
    p.add_argument("--vdab", required=True)
    p.add_argument("--qa", required=True, help="the ingest QA json of the vdab export")
    p.add_argument("--recode", required=True)
    p.add_argument("--out", required=True)

    p = add("link", cmd_link, "link the staged exports and account for every row")
    for name in ("clients", "art60", "vdab"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--twe", help="staged TWE export (optional: omit when there is no such export)")
    p.add_argument("--status-codes", required=True, help="the recoding of the codes in use (recode's output)")
    p.add_argument("--changes", help="staged trajectory_changes export (optional)")
    p.add_argument("--out-changes")
    p.add_argument("--qa-dir", required=True)
    p.add_argument("--out-clients", required=True)
    p.add_argument("--out-panel", required=True)
    p.add_argument("--out-art60", required=True)
    p.add_argument("--out-twe", required=True)
    p.add_argument("--reports-qa", required=True)

    p = add("tables", cmd_tables, "the cross-sectional tables of the report")
    p.add_argument("--clients", required=True)
    p.add_argument("--recode", required=True)
    p.add_argument("--tables-dir", required=True)

    p = add("analyses", cmd_analyses, "timing statistics, Kaplan-Meier curves and models")
    p.add_argument("--clients", required=True)
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--figures-dir", required=True)

    p = add("quality", cmd_quality, "disagreements between the sources")
    p.add_argument("--clients", required=True)
    p.add_argument("--art60", required=True)
    p.add_argument("--twe", required=True)
    p.add_argument("--out", required=True)

    p = add("public", cmd_public, "tables with small-cell suppression for publication")
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--public-dir", required=True)
    p.add_argument("ids", nargs="+")

    p = add("workbook", cmd_workbook, "the tables as one Excel workbook, laid out for people")
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--out", required=True)

    p = add("html-report", cmd_html_report, "one self-contained HTML report")
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--figures-dir", required=True)
    p.add_argument("--qa-dir", required=True)
    p.add_argument("--manifest", required=True)
    p.add_argument("--out", required=True)

    p = add("manifest", cmd_manifest, "input hashes, config, versions, time of run")
    p.add_argument("--out", required=True)
    p.add_argument("inputs", nargs="+")

    p = add("longitudinal-cohort", cmd_longitudinal_cohort,
            "the per-client steps of the longitudinal view for one intake cohort")
    p.add_argument("--cohort", required=True, help="the cohort's label, e.g. 'Voorjaar 2017'")
    p.add_argument("--clients", required=True)
    p.add_argument("--panel", required=True)
    p.add_argument("--out-dir", required=True)

    p = add("longitudinal", cmd_longitudinal, "repeated snapshots, durable work, trajectory changes")
    p.add_argument("--clients", required=True)
    p.add_argument("--panel", help="the status panel (computes the per-client steps here; or give --parts)")
    p.add_argument("--parts", nargs="+", help="directories written by longitudinal-cohort, one per cohort")
    p.add_argument("--changes", help="linked trajectory changes (omit when there is no such export)")
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--figures-dir", required=True)

    p = add("synth", cmd_synth, "write the seeded synthetic demo exports (or, with --clients, exports of any size)")
    p.add_argument("--outdir", default="data/raw")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--clients", type=int, default=None, help="uncalibrated exports of this many clients")
    p.add_argument("--snapshots", choices=["monthly", "yearly"], default="monthly")
    p.add_argument("--n-snapshots", type=int, default=12)
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")

    p = add("demo-hashes", cmd_demo_hashes, "record the hashes of the demo exports (after `synth`)")
    p.add_argument("--raw-dir", default="data/raw")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. Bad input and bad settings end in one message naming what to change; an
    unexpected error ends in its type and a message with identifiers masked, never a traceback
    (whose frames and chained messages could show raw rows). COB_DEBUG=1 shows the traceback."""
    import os

    from cob_analysis.config import ConfigError
    from cob_analysis.errors import InputError, PseudonymisationKeyError, mask_identifiers

    args = build_parser().parse_args(argv)
    if getattr(args, "func", None) in (cmd_run, cmd_init_config):
        return args.func(args) or 0
    _setup_logging(getattr(args, "log", None))
    started = time.perf_counter()
    try:
        args.func(args)
    except (InputError, PseudonymisationKeyError, ConfigError) as exc:  # their messages show values masked
        log.error("cob_analysis %s stopped: %s", args.command, exc)
        return 2
    except OSError as exc:
        if os.environ.get("COB_DEBUG"):
            raise
        reason = "no space left on the device" if exc.errno == errno.ENOSPC else (exc.strerror or type(exc).__name__)
        where = f" ({exc.filename})" if exc.filename else ""
        log.error("cob_analysis %s stopped: %s%s", args.command, reason, mask_identifiers(where))
        return 2
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into a message
        if os.environ.get("COB_DEBUG"):
            raise
        log.error("cob_analysis %s failed: %s: %s (set COB_DEBUG=1 to see where; the traceback may show data)",
                  args.command, type(exc).__name__, mask_identifiers(str(exc))[:500])
        return 1
    log.info("%s done in %.1f s", args.command, time.perf_counter() - started)
    return 0
