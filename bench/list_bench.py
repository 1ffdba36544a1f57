"""Benchmark (not a test): ``diplograph validate`` and ``merge`` on one long RDF list (issue 11, item 18).

    .venv/bin/python bench/list_bench.py                       # lists of 25k, 50k and 100k cells
    .venv/bin/python bench/list_bench.py --cells 10000 20000

Each run is the real command line in its own process, on a copy of the test fixture project,
with a file ``ex:a ex:list ( 0 1 2 … ) .`` (invented data). Prints seconds, peak memory
(``ru_maxrss`` of the child) and the ratio to the previous size: linear time doubles with the
cells. Before the merge labelled tree-shaped blank nodes itself, rdflib's canonicaliser took
110 s for 2,000 cells.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "project"


def run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of ``python -m diplograph ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    env = {**os.environ, "DIPLOGRAPH_HOME": str(cwd)}
    done = subprocess.run([sys.executable, "-m", "diplograph", *args], cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"diplograph {' '.join(args)} failed: {done.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024  # ru_maxrss of children is the largest so far


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(FIXTURE, project)
        print("| command | cells | seconds | peak RSS MB (largest so far) | × previous |")
        print("|---|---:|---:|---:|---:|")
        for command in (["validate"], ["merge", "-o", "m.trig"]):
            previous = None
            for cells in options.cells:
                path = project / f"list-{cells}.ttl"
                path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:list ( "
                                + " ".join(map(str, range(cells))) + " ) .\n", encoding="utf-8")
                seconds, peak = run([command[0], str(path), *command[1:]], project)
                ratio = f"{seconds / previous:.2f}" if previous else ""
                print(f"| {command[0]} | {cells} | {seconds:.2f} | {peak:.0f} | {ratio} |", flush=True)
                previous = seconds


if __name__ == "__main__":
    main()
