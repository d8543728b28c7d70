"""Command-line edges of the workflow: `python -m cob_analysis <command> ...`.

Every Snakemake rule calls the command of its own name, which reads its inputs, calls the
package function of that name and writes its outputs; so can a user. `--config-file` (or
`--config-json`) takes the (partial) resolved configuration the rule passes; missing keys fall
back to the defaults. `run` and `init-config` are the user's own commands."""

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
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        handlers=handlers,
        force=True,
    )


def _config(args: argparse.Namespace) -> dict:
    """The (partial) resolved configuration a rule passes, over the defaults."""
    from cob_analysis.config import defaults, merge

    given = {}
    if getattr(args, "config_file", None):
        given = json.loads(Path(args.config_file).read_text(encoding="utf-8"))
    elif getattr(args, "config_json", None):
        given = json.loads(args.config_json)
    return merge(defaults(), given)


# One command per rule, of the rule's name, calling the package function of that name: the
# commands only read, call and write (tests/test_architecture.py checks the names).


def cmd_ingest(args: argparse.Namespace) -> None:
    from cob_analysis.contracts import STAGED, check
    from cob_analysis.ingest.exports import ingest, raw_columns
    from cob_analysis.ingest.pseudonymise import file_sha256, resolve_key
    from cob_analysis.ingest.readers import read_export
    from cob_analysis.storage import write_json, write_parquet

    config = _config(args)
    export_cfg = config["exports"][args.export]
    paths = export_cfg["path"] if isinstance(export_cfg["path"], list) else [export_cfg["path"]]
    hashes = [file_sha256(path) for path in paths]
    key, is_demo = resolve_key(config["pseudonymisation"], hashes)

    def raws():  # one file in memory at a time
        for path, sha256 in zip(paths, hashes, strict=True):
            yield (
                str(path),
                read_export(
                    path,
                    sheet=export_cfg.get("sheet"),
                    encoding=export_cfg.get("encoding"),
                    delimiter=export_cfg.get("delimiter"),
                    columns=raw_columns(export_cfg),
                ),
                sha256,
            )

    staged, accounting = ingest(raws(), args.export, config, key, is_demo)
    write_parquet(check(staged, STAGED[args.export], f"ingest {args.export}"), args.out)
    write_json(accounting, args.qa)
    for one in accounting["files"]:
        log.info(
            "ingest %s: %s: %d rows read, %d kept, rejected %s",
            args.export,
            one["file"],
            one["rows_read"],
            one["rows_kept"],
            one["rejected"] or "none",
        )


def cmd_recode_status(args: argparse.Namespace) -> None:
    import pyarrow.parquet as pq

    from cob_analysis.link.recode import load_recode_table, recode_status
    from cob_analysis.storage import read_json, write_parquet

    config = _config(args)
    status = pq.read_table(args.vdab, columns=["status_code", "reference_date", "source_row"])
    used = recode_status(
        status,
        load_recode_table(args.recode),
        unknown_codes=config["policies"]["unknown_codes"],
        outside_validity=config["policies"]["code_outside_validity"],
        file=read_json(args.qa)["file"],
    )
    write_parquet(used, args.out)
    log.info(
        "recode_status: %d status rows with %d distinct codes; %d rows with a code missing from %s;"
        " %d rows with a code outside its validity period",
        status.num_rows,
        len(used),
        used.loc[~used["code_in_table"], "n_rows"].sum(),
        args.recode,
        used["n_rows_outside_validity"].sum(),
    )


def cmd_link_clients(args: argparse.Namespace) -> None:
    from cob_analysis.contracts import CLIENTS, STATUS_PANEL, check_file
    from cob_analysis.link.linkage import link_clients
    from cob_analysis.safe_text import write_csv
    from cob_analysis.storage import read_arrow, read_json, write_parquet

    config = _config(args)
    staged = {
        name: Path(path)
        for name, path in (
            ("clients", args.clients),
            ("art60", args.art60),
            ("vdab", args.vdab),
            ("twe", args.twe),
            ("trajectory_changes", args.changes),
        )
        if path
    }
    accounting = {name: read_json(Path(args.qa_dir) / f"{name}.json") for name in staged}
    linked = link_clients(
        staged["clients"],
        staged["art60"],
        staged.get("twe"),
        staged["vdab"],
        accounting,
        config,
        changes=staged.get("trajectory_changes"),
        status_codes=read_arrow(args.status_codes),
    )
    for table, path in (
        (linked.clients, args.out_clients),
        (linked.status_panel, args.out_panel),
        (linked.art60, args.out_art60),
        (linked.twe, args.out_twe),
        (linked.changes, args.out_changes),
    ):
        write_parquet(table, path)
    check_file(args.out_clients, CLIENTS)
    check_file(args.out_panel, STATUS_PANEL)
    qa_dir = Path(args.reports_qa)
    write_csv(linked.accounting, qa_dir / "linkage.csv")
    write_csv(linked.notes, qa_dir / "linkage_notes.csv")
    write_csv(linked.unmatched, qa_dir / "unmatched.csv")
    for record in linked.accounting.to_dict("records"):
        log.info(
            "link_clients %s: %s",
            record["export"],
            ", ".join(f"{k} {v}" for k, v in record.items() if k not in ("export", "file")),
        )
    log.info(
        "link_clients: %d clients in the window; reference date %s; observation end %s",
        len(linked.clients),
        linked.reference_date.date(),
        linked.observation_end.date(),
    )


def cmd_report_tables(args: argparse.Namespace) -> None:
    from cob_analysis.contracts import CLIENTS, check_file
    from cob_analysis.link.recode import load_recode_table
    from cob_analysis.storage import read_parquet
    from cob_analysis.tables.report import report_tables
    from cob_analysis.tables_io import write_table

    clients = read_parquet(check_file(args.clients, CLIENTS))
    tables = report_tables(clients, load_recode_table(args.recode), _config(args))
    for frame, meta in tables:
        write_table(frame, meta, Path(args.tables_dir))
    log.info(
        "report_tables: %d tables for %d clients: %s",
        len(tables),
        len(clients),
        ", ".join(meta.id for _, meta in tables),
    )


def cmd_analyses(args: argparse.Namespace) -> None:
    from cob_analysis.contracts import CLIENTS, check_file
    from cob_analysis.storage import read_parquet
    from cob_analysis.survival.analyses import analyses

    ids = analyses(
        read_parquet(check_file(args.clients, CLIENTS)),
        _config(args),
        Path(args.tables_dir),
        Path(args.figures_dir),
    )
    log.info("analyses: wrote %s", ", ".join(ids))


def cmd_disagreements(args: argparse.Namespace) -> None:
    from cob_analysis.contracts import CLIENTS, check_file
    from cob_analysis.quality.disagreements import disagreements
    from cob_analysis.safe_text import write_csv
    from cob_analysis.storage import read_parquet
    from cob_analysis.tables_io import TOTAL

    config = _config(args)
    summary = disagreements(
        read_parquet(check_file(args.clients, CLIENTS)),
        read_parquet(args.art60),
        read_parquet(args.twe),
        has_twe=config.get("has_twe", True),
    )
    write_csv(summary, args.out)  # creates the folder
    for row in summary[summary["group_var"] == TOTAL].itertuples():
        log.info("disagreement %s: %d of %d clients", row.check, row.n_flagged, row.n_clients)


def cmd_public_tables(args: argparse.Namespace) -> None:
    from cob_analysis.tables.suppression import public_tables
    from cob_analysis.tables_io import TableMeta, read_table, write_table

    config = _config(args)
    k = config["small_cell_threshold"]
    tables = [read_table(Path(args.tables_dir), table_id) for table_id in args.ids]
    for frame, meta in public_tables(tables, k, config["language"]):
        write_table(frame, TableMeta(**meta), Path(args.public_dir))
    log.info("public_tables: %d tables with counts below %d suppressed", len(args.ids), k)


def cmd_manifest(args: argparse.Namespace) -> None:
    from cob_analysis.quality.manifest import manifest
    from cob_analysis.storage import write_json

    write_json(manifest(args.inputs, _config(args)), args.out)


def _comparison(config: dict, tables_dir: Path):
    """Published figures beside the regenerated ones, when the config names a reference file."""
    if not config.get("reference_figures"):
        return None
    from cob_analysis.published import compare, load_published

    comparison = compare(load_published(config["reference_figures"]), tables_dir)
    log.info(
        "published figures: %d compared, %d differ",
        len(comparison),
        int((~comparison["match"]).sum()),
    )
    return comparison


def cmd_workbook(args: argparse.Namespace) -> None:
    from cob_analysis.report.workbook import workbook

    config = _config(args)
    tables_dir = Path(args.tables_dir)
    workbook(
        tables_dir,
        args.out,
        language=config["language"],
        comparison=_comparison(config, tables_dir),
        small_group=config["small_group_threshold"],
    )
    log.info("workbook: %s", args.out)


def cmd_html_report(args: argparse.Namespace) -> None:
    from cob_analysis.report.html import html_report
    from cob_analysis.storage import read_json

    config = _config(args)
    tables_dir = Path(args.tables_dir)
    html_report(
        tables_dir=tables_dir,
        figures_dir=Path(args.figures_dir),
        qa_dir=Path(args.qa_dir),
        manifest=read_json(args.manifest),
        out_path=Path(args.out),
        language=config["language"],
        comparison=_comparison(config, tables_dir),
        small_group=config["small_group_threshold"],
    )
    log.info("html_report: %s", args.out)


def cmd_export_spss(args: argparse.Namespace) -> None:
    from cob_analysis.report.spss import export_spss

    config = _config(args)
    export_spss(
        args.clients, args.sav, args.dta, language=config["language"], cohort_kind=config["cohort"]
    )
    log.info("export_spss: %s, %s", args.sav, args.dta)


def cmd_longitudinal_cohort(args: argparse.Namespace) -> None:
    from cob_analysis.contracts import CLIENTS, STATUS_PANEL, check_file
    from cob_analysis.longitudinal.run import longitudinal_cohort

    parts = longitudinal_cohort(
        check_file(args.clients, CLIENTS),
        check_file(args.panel, STATUS_PANEL),
        args.cohort,
        _config(args),
    )
    parts.write(args.out_dir)
    log.info("longitudinal_cohort %s: written to %s", args.cohort, args.out_dir)


def cmd_longitudinal(args: argparse.Namespace) -> None:
    from cob_analysis.contracts import CLIENTS, check_file
    from cob_analysis.longitudinal.run import longitudinal

    if not args.parts and not args.panel:
        raise SystemExit("longitudinal: give --panel or --parts")
    ids = longitudinal(
        check_file(args.clients, CLIENTS),
        _config(args),
        Path(args.tables_dir),
        Path(args.figures_dir),
        parts_dirs=args.parts or (),
        panel_path=args.panel,
        changes_path=args.changes,
    )
    log.info("longitudinal: wrote %s", ", ".join(ids))


def cmd_run(args: argparse.Namespace) -> int:
    """The whole workflow on a config (or the demo), then the Snakemake report."""
    from cob_analysis.runner import run_workflow

    return run_workflow(
        config=args.config,
        directory=args.directory,
        cores=args.cores,
        profile=args.profile,
        dry_run=args.dry_run,
        report=not args.no_report,
        extra=args.snakemake_args,
        unlock=args.unlock,
    )


def cmd_init_config(args: argparse.Namespace) -> int:
    from cob_analysis.ingest.starter_config import run

    run(args)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cob_analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_text: str, *aliases: str) -> argparse.ArgumentParser:
        """A command; `aliases` are its names before they were the rule's (users' scripts)."""
        p = sub.add_parser(name, help=help_text, aliases=list(aliases))
        p.set_defaults(func=func)
        given = p.add_mutually_exclusive_group()
        given.add_argument(
            "--config-file", help="resolved configuration (a JSON file); defaults fill the rest"
        )
        given.add_argument(
            "--config-json", help="resolved configuration (JSON text); defaults fill the rest"
        )
        p.add_argument("--log", help="also write the log to this file")
        return p

    p = sub.add_parser(
        "run", help="run the whole workflow on your config (or the demo) and build its report"
    )
    p.set_defaults(func=cmd_run)
    p.add_argument(
        "--config", help="your config file (YAML); without it the demo config config/config.yaml"
    )
    p.add_argument(
        "--directory",
        default=".",
        help="the folder to run in: relative paths in the config are read "
        "from here and outputs are written here (default: .)",
    )
    p.add_argument("--cores", default="all", help="how many cores to use (default: all)")
    p.add_argument("--profile", help="a Snakemake profile, e.g. profiles/slurm")
    p.add_argument(
        "--dry-run", action="store_true", help="check the config and show what would run"
    )
    p.add_argument(
        "--no-report", action="store_true", help="do not build reports/workflow-report.zip"
    )
    p.add_argument(
        "--unlock",
        action="store_true",
        help="first release the lock of a run that was killed (its unfinished steps are rerun)",
    )
    p.add_argument(
        "snakemake_args",
        nargs=argparse.REMAINDER,
        help="after --: more Snakemake arguments, e.g. -- --forceall",
    )

    p = sub.add_parser(
        "init-config", help="write a starter config from your own exports (headers and categories)"
    )
    p.set_defaults(func=cmd_init_config)
    from cob_analysis.ingest.starter_config import add_arguments

    add_arguments(p)

    p = add("ingest", cmd_ingest, "read, validate and pseudonymise one export")
    p.add_argument(
        "--export", required=True, choices=["clients", "art60", "twe", "vdab", "trajectory_changes"]
    )
    p.add_argument("--out", required=True)
    p.add_argument("--qa", required=True)

    p = add(
        "recode_status",
        cmd_recode_status,
        "recode VDAB status codes with the recoding table",
        "recode",
    )
    p.add_argument("--vdab", required=True)
    p.add_argument("--qa", required=True, help="the ingest QA json of the vdab export")
    p.add_argument("--recode", required=True)
    p.add_argument("--out", required=True)

    p = add(
        "link_clients",
        cmd_link_clients,
        "link the staged exports and account for every row",
        "link",
    )
    for name in ("clients", "art60", "vdab"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--twe", help="staged TWE export (optional: omit when there is no such export)")
    p.add_argument(
        "--status-codes",
        required=True,
        help="the recoding of the codes in use (recode_status's output)",
    )
    p.add_argument("--changes", help="staged trajectory_changes export (optional)")
    p.add_argument("--out-changes", required=True)
    p.add_argument("--qa-dir", required=True)
    p.add_argument("--out-clients", required=True)
    p.add_argument("--out-panel", required=True)
    p.add_argument("--out-art60", required=True)
    p.add_argument("--out-twe", required=True)
    p.add_argument("--reports-qa", required=True)

    p = add(
        "report_tables", cmd_report_tables, "the cross-sectional tables of the report", "tables"
    )
    p.add_argument("--clients", required=True)
    p.add_argument("--recode", required=True)
    p.add_argument("--tables-dir", required=True)

    p = add("analyses", cmd_analyses, "timing statistics, Kaplan-Meier curves and models")
    p.add_argument("--clients", required=True)
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--figures-dir", required=True)

    p = add("disagreements", cmd_disagreements, "disagreements between the sources", "quality")
    p.add_argument("--clients", required=True)
    p.add_argument("--art60", required=True)
    p.add_argument("--twe", required=True)
    p.add_argument("--out", required=True)

    p = add(
        "public_tables",
        cmd_public_tables,
        "tables with small-cell suppression for publication",
        "public",
    )
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--public-dir", required=True)
    p.add_argument("ids", nargs="+")

    p = add("workbook", cmd_workbook, "the tables as one Excel workbook, laid out for people")
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--out", required=True)

    p = add("html_report", cmd_html_report, "one self-contained HTML report", "html-report")
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--figures-dir", required=True)
    p.add_argument("--qa-dir", required=True)
    p.add_argument("--manifest", required=True)
    p.add_argument("--out", required=True)

    p = add("export_spss", cmd_export_spss, "clients.parquet for SPSS (.sav) and Stata (.dta)")
    p.add_argument("--clients", required=True)
    p.add_argument("--sav", required=True)
    p.add_argument("--dta", required=True)

    p = add("manifest", cmd_manifest, "input hashes, config, versions, time of run")
    p.add_argument("--out", required=True)
    p.add_argument("inputs", nargs="+")

    p = add(
        "longitudinal_cohort",
        cmd_longitudinal_cohort,
        "the per-client steps of the longitudinal view for one intake cohort",
        "longitudinal-cohort",
    )
    p.add_argument("--cohort", required=True, help="the cohort's label, e.g. 'Voorjaar 2021'")
    p.add_argument("--clients", required=True)
    p.add_argument("--panel", required=True)
    p.add_argument("--out-dir", required=True)

    p = add(
        "longitudinal", cmd_longitudinal, "repeated snapshots, durable work, trajectory changes"
    )
    p.add_argument("--clients", required=True)
    p.add_argument(
        "--panel", help="the status panel (computes the per-client steps here; or give --parts)"
    )
    p.add_argument(
        "--parts", nargs="+", help="directories written by longitudinal_cohort, one per cohort"
    )
    p.add_argument(
        "--changes", help="linked trajectory changes (omit when there is no such export)"
    )
    p.add_argument("--tables-dir", required=True)
    p.add_argument("--figures-dir", required=True)

    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. Bad input and bad settings end in one message naming what to change; an
    unexpected error ends in its type and a message with identifiers masked, never a traceback
    (whose frames and chained messages could show raw rows). COB_DEBUG=1 shows the traceback."""
    import os

    from cob_analysis.config import ConfigError
    from cob_analysis.contracts import ContractError
    from cob_analysis.errors import InputError, PseudonymisationKeyError, mask_identifiers

    args = build_parser().parse_args(argv)
    if getattr(args, "func", None) in (cmd_run, cmd_init_config):
        return args.func(args) or 0
    _setup_logging(getattr(args, "log", None))
    started = time.perf_counter()
    try:
        args.func(args)
    except (
        InputError,
        PseudonymisationKeyError,
        ConfigError,
        ContractError,
    ) as exc:  # values masked
        log.error("cob_analysis %s stopped: %s", args.command, exc)
        return 2
    except OSError as exc:
        if os.environ.get("COB_DEBUG"):
            raise
        reason = (
            "no space left on the device"
            if exc.errno == errno.ENOSPC
            else (exc.strerror or type(exc).__name__)
        )
        where = f" ({exc.filename})" if exc.filename else ""
        log.error("cob_analysis %s stopped: %s%s", args.command, reason, mask_identifiers(where))
        return 2
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into a message
        if os.environ.get("COB_DEBUG"):
            raise
        log.error(
            "cob_analysis %s failed: %s: %s (set COB_DEBUG=1 to see where; the traceback may show data)",
            args.command,
            type(exc).__name__,
            mask_identifiers(str(exc))[:500],
        )
        return 1
    log.info("%s done in %.1f s", args.command, time.perf_counter() - started)
    return 0
