"""The invented ICEWS-layout generator (bench/icews_synthetic.py): its files import cleanly, are marked, and are reproducible."""

from __future__ import annotations

import csv
from pathlib import Path

from coded_util import ROOT, cli
from icews_synthetic import HEADER, INVENTED_PUBLISHER, write_icews


def test_generated_file_has_the_icews_layout_and_every_row_says_it_is_invented(tmp_path: Path):
    path = write_icews(tmp_path / "invented.tab", 300, seed=1)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert tuple(rows[0]) == HEADER and len(rows) == 301
    assert all(len(r) == 20 and r[13] == INVENTED_PUBLISHER for r in rows[1:])
    assert len({r[0] for r in rows[1:]}) == 300  # event IDs are unique
    assert write_icews(tmp_path / "again.tab", 300, seed=1).read_bytes() == path.read_bytes()
    assert write_icews(tmp_path / "other.tab", 300, seed=2).read_bytes() != path.read_bytes()


def test_generated_file_imports_without_a_skipped_row(tmp_path: Path):
    write_icews(tmp_path / "invented.tab", 500, seed=3)
    done = cli("import", "icews", "invented.tab", "-o", "out", "--strict", cwd=tmp_path, home=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "imported 500 events" in done.stdout and "skipped 0" in done.stdout
