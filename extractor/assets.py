"""Locate and read the pipeline assets shipped in ``models/``.

In an installed wheel ``models/`` is the package ``extractor.models``; in a
source checkout it is the folder beside the package.
"""
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator, Union

from .errors import ExtractorError, Errors

PathLike = Union[str, Path]


@lru_cache(maxsize=1)
def models_dir() -> Path:
    """The folder that holds the shipped assets."""
    try:
        path = Path(str(resources.files("extractor.models")))
        if (path / "config.json").exists():
            return path
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "models"


def asset_path(name: PathLike) -> Path:
    """Resolve ``name``: an existing path as given, else a file in ``models/``."""
    path = Path(name)
    if path.exists():
        return path
    shipped = models_dir() / path
    if not shipped.exists():
        raise ExtractorError(Errors.E001.format(path=name, folder=models_dir()))
    return shipped


def read_jsonl(name: PathLike) -> Iterator[dict]:
    """Yield the objects of a JSONL asset, skipping blank and ``//`` comment lines."""
    path = asset_path(name)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise ExtractorError(
                    Errors.E002.format(path=path, line=number, msg=exc.msg)
                ) from None


def read_json(name: PathLike) -> object:
    """Read a JSON asset."""
    path = asset_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ExtractorError(Errors.E002.format(path=path, line=exc.lineno, msg=exc.msg)) from None
