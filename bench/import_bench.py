"""The import benchmark: `diplograph import icews` beside its floor, on invented ICEWS-layout files.

The floor is what any importer of these rows into an RDF store has to do at least: read the rows
with the csv module, and bulk-load the triples the import produced (as N-Triples) into pyoxigraph.
:func:`import_stage` and :func:`floor_stage` run in bench/run.py workers (one process each, so
that each peak RSS is its own); the files come from :mod:`icews_synthetic` (invented rows).
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["floor_stage", "import_stage"]


def import_stage(source: str, out_dir: str) -> dict:
    """Run the importer (the library call behind `diplograph import icews`) on ``source``."""
    from diplograph.coded.importer import Importer, output_name
    from diplograph.project import Project

    skipped = []
    t = time.perf_counter()
    importer = Importer(Project(ROOT))
    target = Path(out_dir) / output_name("icews", Path(source))
    result = importer.import_file("icews", Path(source), target, skipped.append)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "events": result.imported, "skipped": result.skipped_total,
            "pairs": result.pairs, "output": str(target), "output_bytes": target.stat().st_size}


def floor_stage(source: str, produced_ttl: str) -> dict:
    """csv-read every row of ``source``, then bulk-load the produced triples (as N-Triples) into pyoxigraph."""
    import pyoxigraph as ox

    work = Path(tempfile.mkdtemp(prefix="import-floor-"))
    try:
        nt = work / "produced.nt"
        with nt.open("wb") as handle:  # not timed: the floor starts from N-Triples
            ox.serialize(ox.parse(path=produced_ttl, format=ox.RdfFormat.TURTLE), handle, ox.RdfFormat.N_TRIPLES)
        t = time.perf_counter()
        rows = 0
        with open(source, encoding="utf-8", newline="") as handle:
            for _row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows += 1
        read_seconds = time.perf_counter() - t
        store = ox.Store(str(work / "store"))
        t = time.perf_counter()
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        load_seconds = time.perf_counter() - t
        triples = len(store)
        del store
        return {"seconds": read_seconds + load_seconds, "csv_seconds": read_seconds, "bulk_load_seconds": load_seconds,
                "rows": rows - 1, "triples": triples}
    finally:
        shutil.rmtree(work, ignore_errors=True)
