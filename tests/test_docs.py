"""The README documents every error code (errors.py is the one place they are defined)."""
from pathlib import Path

import pytest

from extractor.errors import all_codes

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("code", list(all_codes()))
def test_readme_lists_the_code(code):
    assert f"| {code} |" in README.read_text(encoding="utf-8")
