"""Shared fixtures: one loaded pipeline per test session, paths to shared data."""
from pathlib import Path

import pytest

import extractor

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_b8c944c421e57824.txt"
DEV = SHARED / "corpus" / "dev.jsonl"


@pytest.fixture(scope="session")
def ex() -> extractor.Extractor:
    """The default pipeline, loaded once."""
    return extractor.load()


@pytest.fixture(scope="session")
def nlp(ex):
    return ex.nlp


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed release is not at {SEED} (../shared is absent)")
    return SEED


@pytest.fixture(scope="session")
def dev_path() -> Path:
    if not DEV.exists():
        pytest.skip(f"the dev corpus is not at {DEV} (../shared is absent)")
    return DEV


@pytest.fixture()
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"the seed release is not at {SEED} (../shared is absent)")
    return SEED.read_text(encoding="utf-8")
