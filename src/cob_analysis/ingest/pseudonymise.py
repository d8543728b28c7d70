"""Keyed pseudonyms: HMAC-SHA256 of the normalised national register number.

A pseudonym is the first 64 bits of the HMAC as a signed integer (`client_key`, int64): an
integer key keeps the large tables (a row per person and VDAB snapshot) compact and their joins
fast. Two different people share a 64-bit pseudonym with probability about n^2 / 2^65 (1 in a
million for five million people); ingest stops when it sees two numbers with one pseudonym in
a file (a clash between files or exports, rarer still, would go unseen).

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

from cob_analysis.errors import PseudonymisationKeyError

log = logging.getLogger(__name__)

# Published on purpose: it protects nothing and is accepted only for the synthetic demo exports.
DEMO_KEY = "cob-analysis-demo-key-2017-2018-NOT-SECRET"
PSEUDONYM_BITS = 64
_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104)


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def demo_hashes() -> set[str]:
    text = (
        resources.files("cob_analysis")
        .joinpath("data/demo_exports.sha256")
        .read_text(encoding="utf-8")
    )
    return {
        line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")
    }


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
            log.warning(
                "Pseudonymising the synthetic demo exports with the PUBLISHED demo key (not secret)."
            )
            return DEMO_KEY.encode(), True
        raise PseudonymisationKeyError(
            f"No pseudonymisation key: set the environment variable {env_name} or "
            "pseudonymisation.key_file (a file outside the repository). "
            + (
                "The demo key is only accepted for the embedded demo exports."
                if settings.get("allow_demo_key")
                else ""
            )
        )
    if key == DEMO_KEY and not all_demo:
        raise PseudonymisationKeyError(
            f"The {source} holds the published demo key, which is refused for real exports: "
            "choose a secret key and keep it outside the repository."
        )
    if len(key) < 16:
        raise PseudonymisationKeyError(f"The key from the {source} is shorter than 16 characters.")
    return key.encode(), key == DEMO_KEY


def pseudonym(normalised_id: str, key: bytes) -> int:
    """The pseudonym of one normalised number (the reference for `pseudonym_sql`)."""
    digest = hmac.digest(key, normalised_id.encode("utf-8"), "sha256")
    return int.from_bytes(digest[: PSEUDONYM_BITS // 8], "big", signed=True)


KEY_RELATION = "cob_hmac_key"


def register_key(con, key: bytes) -> None:
    """Make the padded HMAC keys available to `pseudonym_sql` on this DuckDB connection.

    They travel as a registered Arrow table, never as text in a query: an error message, a
    log or a profile that shows the SQL shows no key material."""
    import pyarrow as pa

    block = (hashlib.sha256(key).digest() if len(key) > _BLOCK else key).ljust(_BLOCK, b"\0")
    pads = pa.table(
        {
            "inner_pad": pa.array([bytes(b ^ 0x36 for b in block)], pa.binary()),
            "outer_pad": pa.array([bytes(b ^ 0x5C for b in block)], pa.binary()),
        }
    )
    con.register(KEY_RELATION, pads)


def pseudonym_sql(text: str) -> str:
    """DuckDB expression giving `pseudonym(text, key)` for a VARCHAR expression, vectorised,
    on a connection where `register_key(con, key)` was called.

    HMAC written out (RFC 2104): SHA-256 of (key XOR opad) followed by the SHA-256 of
    (key XOR ipad) followed by the message; the first 16 hex digits read as a two's-complement
    64-bit integer."""
    inner = f"(SELECT inner_pad FROM {KEY_RELATION})"
    outer = f"(SELECT outer_pad FROM {KEY_RELATION})"
    digest = f"sha256({outer} || unhex(sha256({inner} || encode({text}))))"
    unsigned = f"CAST(CAST('0x' || substr({digest}, 1, 16) AS UBIGINT) AS HUGEINT)"
    # two's complement with the digest evaluated once: (u + 2^63) mod 2^64 - 2^63
    return (
        f"CAST(({unsigned} + CAST(9223372036854775808 AS HUGEINT)) % CAST(18446744073709551616 AS HUGEINT)"
        f" - CAST(9223372036854775808 AS HUGEINT) AS BIGINT)"
    )
