"""The vendored copies of upstream data are the files their READMEs describe, byte for byte.

A fresh clone has nothing beside it: the source text and the reference tables the code and
the tests read live in the repository (``sources/``, ``vendor/``). Each README lists every file
with its SHA-256; a copy edited by mistake, or a README that forgot a file, fails here.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|.*?`([0-9a-f]{64})`\s*\|\s*$")
FOLDERS = [ROOT / "sources", ROOT / "vendor" / "reference"]


def _listed(folder: Path) -> dict[str, str]:
    rows = {}
    for line in (folder / "README.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_vendored_file_is_listed_with_its_checksum(folder: Path) -> None:
    listed = _listed(folder)
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "README.md"}
    assert present, f"{folder} holds no vendored files"
    assert set(listed) == present
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_the_seed_graph_records_the_checksum_of_its_source_text() -> None:
    digest = _listed(ROOT / "sources")["china-azerbaijan-2024.txt"]
    assert f'dg:sha256 "{digest}"' in (ROOT / "graphs" / "china-azerbaijan-2024.ttl").read_text(encoding="utf-8")
