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
REQUIRED_EXPORTS = ("clients", "art60", "twe", "vdab")


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
    for name, export in config["exports"].items():
        if isinstance(export["path"], str):
            export["path"] = [export["path"]]
        if name in REQUIRED_EXPORTS and "client_id" not in export["columns"]:
            raise ConfigError(f"exports.{name}.columns: client_id is not mapped")
    return config


def load(path: str | Path) -> dict[str, Any]:
    """Read a YAML config file and resolve it."""
    with open(path, encoding="utf-8") as handle:
        return resolve(yaml.safe_load(handle) or {})


def observation_end(config: dict[str, Any], reference_date: str) -> str:
    """The censoring date: `observation_end`, else the reference date in force."""
    return config.get("observation_end") or reference_date
