"""Load, complete and validate the configuration.

Defaults (`data/defaults.yaml`) are merged key by key under the user's config, dates are
normalised to ISO text, and the result is validated against `schemas/config.schema.json`
(unknown keys are refused)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

EXPORTS = ("clients", "art60", "twe", "vdab", "trajectory_changes")
REQUIRED_EXPORTS = ("clients", "art60", "vdab")
OPTIONAL_EXPORTS = ("twe", "trajectory_changes")
DEMO_CONFIG = "config/config.yaml"
SHIPPED_RECODE = "config/recode/vdab_status.csv"


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key."""


def _package_text(name: str) -> str:
    return resources.files("cob_analysis").joinpath(name).read_text(encoding="utf-8")


def defaults() -> dict[str, Any]:
    return yaml.safe_load(_package_text("data/defaults.yaml"))


def schema() -> dict[str, Any]:
    return json.loads(_package_text("schemas/config.schema.json"))


def _iso_dates(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _iso_dates(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_iso_dates(v) for v in obj]
    if isinstance(obj, dt.datetime):
        return obj.date().isoformat()
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: dicts are merged key by key, anything else in `override` wins.

    Value maps and column maps replace the default wholesale (merging them would let a default
    raw value slip into a user's mapping)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if (
            isinstance(value, dict)
            and isinstance(out.get(key), dict)
            and key not in ("columns", "values", "exports")
        ):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def resolve(user_config: dict[str, Any]) -> dict[str, Any]:
    """Defaults + user config, validated. Raises ConfigError naming the offending key."""
    config = _iso_dates(merge(defaults(), dict(user_config)))
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        lines = []
        for error in errors:
            where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
            lines.append(f"  {where}: {error.message}")
        raise ConfigError("Invalid configuration:\n" + "\n".join(lines))
    if config["intake_window"]["from"] > config["intake_window"]["to"]:
        raise ConfigError("intake_window: 'from' is after 'to'")
    config["exports"] = {
        name: export for name, export in config["exports"].items() if export is not None
    }
    for name, export in config["exports"].items():
        if isinstance(export["path"], str):
            export["path"] = [export["path"]]
        if name in REQUIRED_EXPORTS and "client_id" not in export["columns"]:
            raise ConfigError(f"exports.{name}.columns: client_id is not mapped")
    return config


def for_workflow(
    cli_config: dict[str, Any], configfiles: list[str], workdir: str | Path, basedir: str | Path
) -> tuple[dict[str, Any], list[str]]:
    """The workflow's configuration and the files it came from.

    With `--configfile` (one or more), that config plus the package defaults, nothing else:
    a user's config never inherits the demo's exports or settings. Without one, the demo config
    `config/config.yaml` of the working directory, with any `--config key=value` on top.
    `recode: null` becomes the reviewed table shipped with the workflow."""
    if configfiles:
        config, sources = (
            resolve(cli_config),
            [_relative_to(Path(f), Path(workdir)) for f in configfiles],
        )
    else:
        demo = Path(workdir) / DEMO_CONFIG
        if not demo.exists():
            raise ConfigError(
                f"no config given and no demo config {DEMO_CONFIG} in {Path(workdir).resolve()}: "
                "run with --configfile my.yaml (see README, 'Running on your own exports')"
            )
        with open(demo, encoding="utf-8") as handle:
            config = resolve(merge(yaml.safe_load(handle) or {}, cli_config))
        sources = [DEMO_CONFIG]
    if not config.get("recode"):
        config["recode"] = str(Path(basedir) / SHIPPED_RECODE)
    check_paths(config, workdir)
    return config, sources


def _relative_to(path: Path, folder: Path) -> str:
    """`path` relative to `folder` when it lies inside it (a moved study folder stays the same run)."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_paths(config: dict[str, Any], workdir: str | Path) -> None:
    """Refuse, before anything is written, an output folder that holds an input (raw data are
    immutable) and an input that does not exist."""
    base = Path(workdir).resolve()

    def absolute(path: str) -> Path:
        return (base / Path(path).expanduser()).resolve()

    outputs = {key: absolute(folder) for key, folder in config["output"].items()}
    inputs = [
        (f"exports.{name}.path", path)
        for name, export in config["exports"].items()
        for path in export["path"]
    ]
    inputs.append(("recode", config["recode"]))
    if config.get("reference_figures"):
        inputs.append(("reference_figures", config["reference_figures"]))
    for where, path in inputs:
        for key, folder in outputs.items():
            if _inside(absolute(path), folder):
                raise ConfigError(
                    f"{where}: the input {path} lies inside output.{key} ({config['output'][key]}); "
                    "outputs may never overwrite raw data: choose an output folder apart from the exports"
                )
    missing = [(where, path) for where, path in inputs if not absolute(path).is_file()]
    if missing:
        lines = "\n".join(f"  {where}: {path}" for where, path in missing)
        raise ConfigError(f"input files not found (relative paths are read from {base}):\n{lines}")


def write_rule_config(subset: dict[str, Any], folder: str | Path) -> str:
    """Write the config keys one rule depends on to `folder/<hash of the content>.json`; return
    the path. The rule gets this short path instead of the config on its command line (short
    commands, logs and errors); a change of any key changes the path, a Snakemake param, and so
    reruns that rule and no other. Written once, atomically (parallel parsing is safe)."""
    import hashlib
    import os

    text = json.dumps(subset, sort_keys=True, ensure_ascii=False, indent=1)
    path = Path(folder) / (hashlib.sha256(text.encode("utf-8")).hexdigest()[:20] + ".json")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return path.as_posix()


def load(path: str | Path) -> dict[str, Any]:
    """Read a YAML config file and resolve it."""
    with open(path, encoding="utf-8") as handle:
        return resolve(yaml.safe_load(handle) or {})


def observation_end(config: dict[str, Any], reference_date: str) -> str:
    """The censoring date: `observation_end`, else the reference date in force."""
    return config.get("observation_end") or reference_date
