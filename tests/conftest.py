import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo_config():
    from cob_analysis import config

    return config.load(ROOT / "config" / "config.yaml")


@pytest.fixture
def key():
    return b"unit-test-key-0123456789"


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch):
    monkeypatch.delenv("COB_PSEUDO_KEY", raising=False)
    yield


def ids(n, start=1):
    """n distinct valid national register numbers."""
    from cob_analysis.ingest import insz

    return [insz.make(f"19{80 + i % 20:02d}-0{1 + i % 9}-1{i % 9}", start + i) for i in range(n)]


os.environ.setdefault("MPLBACKEND", "Agg")
