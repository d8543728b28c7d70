import hmac
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from cob_analysis.errors import PseudonymisationKeyError
from cob_analysis.ingest.pseudonymise import (
    DEMO_KEY,
    demo_hashes,
    file_sha256,
    pseudonym,
    pseudonym_sql,
    register_key,
    resolve_key,
)

ROOT = Path(__file__).resolve().parents[1]
DEMO_FILES = sorted((ROOT / "data" / "raw").iterdir())
DEMO_HASHES = [file_sha256(p) for p in DEMO_FILES]


def test_every_demo_export_is_listed():
    assert {file_sha256(p) for p in DEMO_FILES} == demo_hashes()


def test_demo_key_only_for_the_demo_exports(tmp_path):
    key, is_demo = resolve_key({"allow_demo_key": True}, DEMO_HASHES)
    assert key == DEMO_KEY.encode() and is_demo
    other = tmp_path / "real.csv"
    other.write_text("INSZ;x\n", encoding="utf-8")
    with pytest.raises(PseudonymisationKeyError, match="No pseudonymisation key"):
        resolve_key({"allow_demo_key": True}, [file_sha256(other)])
    with pytest.raises(PseudonymisationKeyError, match="No pseudonymisation key"):
        resolve_key({"allow_demo_key": False}, DEMO_HASHES)


def test_demo_key_in_the_environment_is_refused_for_real_exports(tmp_path, monkeypatch):
    other = tmp_path / "real.csv"
    other.write_text("INSZ;x\n", encoding="utf-8")
    monkeypatch.setenv("COB_PSEUDO_KEY", DEMO_KEY)
    with pytest.raises(PseudonymisationKeyError, match="published demo key"):
        resolve_key({}, [file_sha256(other)])


def test_key_from_environment_or_file(tmp_path, monkeypatch):
    other = tmp_path / "real.csv"
    other.write_text("INSZ;x\n", encoding="utf-8")
    key_file = tmp_path / "key.txt"
    key_file.write_text("a-long-secret-key-from-a-file\n", encoding="utf-8")
    assert resolve_key({"key_file": str(key_file)}, [file_sha256(other)]) == (
        b"a-long-secret-key-from-a-file",
        False,
    )
    monkeypatch.setenv("COB_PSEUDO_KEY", "short")
    with pytest.raises(PseudonymisationKeyError, match="shorter than 16"):
        resolve_key({}, [file_sha256(other)])


def test_pseudonyms_are_keyed_stable_and_distinct():
    one = pseudonym("85073003328", b"k" * 20)
    assert one == pseudonym("85073003328", b"k" * 20) and isinstance(one, int)
    assert -(2**63) <= one < 2**63
    assert one != pseudonym("90010112345", b"k" * 20)
    assert pseudonym("85073003328", b"j" * 20) != one
    assert "85073003328" not in str(one)


def test_pseudonym_is_the_first_64_bits_of_the_hmac():
    digest = hmac.digest(b"k" * 20, b"85073003328", "sha256")
    assert pseudonym("85073003328", b"k" * 20) == int.from_bytes(digest[:8], "big", signed=True)


@pytest.mark.parametrize("key", [b"k" * 20, b"long-" * 30, "sleutel-éè-0123456789".encode()])
def test_sql_pseudonym_equals_python(key):
    values = [f"{i * 7919 % 10**11:011d}" for i in range(500)] + ["85073003328", "éè", ""]
    con = duckdb.connect()
    con.register("t", pa.table({"v": values}))
    register_key(con, key)
    query = f"SELECT {pseudonym_sql('v')} FROM t"
    assert key.hex() not in query and key.decode("utf-8", "replace") not in query
    got = [row[0] for row in con.sql(query).fetchall()]
    assert got == [pseudonym(v, key) for v in values]
    assert min(got) < 0 < max(got)  # both halves of the signed range occur
