"""Keyed pseudonyms: HMAC-SHA256 of the normalised national register number.

The key comes from the environment (`COB_PSEUDO_KEY` by default) or from a key file outside
the repository. The published demo key may only pseudonymise the embedded synthetic exports,
recognised by their SHA-256 hashes (`data/demo_exports.sha256` in the package)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from importlib import resources
from pathlib import Path

from .errors import PseudonymisationKeyError

log = logging.getLogger(__name__)

# Published on purpose: it protects nothing and is accepted only for the synthetic demo exports.
DEMO_KEY = "cob-analysis-demo-key-2017-2018-NOT-SECRET"
KEY_LENGTH_HEX = 32  # 128-bit pseudonyms: no collision in any realistic population


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def demo_hashes() -> set[str]:
    text = resources.files("cob_analysis").joinpath("data/demo_exports.sha256").read_text(encoding="utf-8")
    return {line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")}


def resolve_key(settings: dict, input_hashes: list[str]) -> tuple[bytes, bool]:
    """Return (key, is_demo_key) for inputs with these SHA-256 hashes. Refuses the demo key for
    anything but the demo exports."""
    env_name = settings.get("key_env") or "COB_PSEUDO_KEY"
    key: str | None = os.environ.get(env_name)
    source = f"environment variable {env_name}"
    if not key and settings.get("key_file"):
        key_file = Path(settings["key_file"]).expanduser()
        if not key_file.exists():
            raise PseudonymisationKeyError(f"pseudonymisation.key_file {key_file} does not exist")
        key = key_file.read_text(encoding="utf-8").strip()
        source = f"key file {key_file}"
    known = demo_hashes()
    all_demo = bool(input_hashes) and all(h in known for h in input_hashes)
    if not key:
        if settings.get("allow_demo_key") and all_demo:
            log.warning("Pseudonymising the synthetic demo exports with the PUBLISHED demo key (not secret).")
            return DEMO_KEY.encode(), True
        raise PseudonymisationKeyError(
            f"No pseudonymisation key: set the environment variable {env_name} or "
            "pseudonymisation.key_file (a file outside the repository). "
            + ("The demo key is only accepted for the embedded demo exports." if settings.get("allow_demo_key") else "")
        )
    if key == DEMO_KEY and not all_demo:
        raise PseudonymisationKeyError(
            f"The {source} holds the published demo key, which is refused for real exports: "
            "choose a secret key and keep it outside the repository."
        )
    if len(key) < 16:
        raise PseudonymisationKeyError(f"The key from the {source} is shorter than 16 characters.")
    return key.encode(), key == DEMO_KEY


def pseudonym(normalised_id: str, key: bytes) -> str:
    return hmac.digest(key, normalised_id.encode("utf-8"), "sha256").hex()[:KEY_LENGTH_HEX]
