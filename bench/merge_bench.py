"""Benchmark (not a test): merge N generated bilateral graphs; time, peak memory, incremental cost.

    .venv/bin/python bench/merge_bench.py                 # 200 graphs x 5,000 triples (~1M)
    .venv/bin/python bench/merge_bench.py --graphs 20 --size 5000

Generates the graphs (seeded: the same files every run) with bench/synthetic.py into a temporary
folder as N-Triples, then runs each measurement in its own subprocess so that peak memory
(resource.getrusage ru_maxrss) belongs to that measurement alone:

- naive:      rdflib parses every file into one Dataset (a named graph each), nothing reconciled;
- merge:      diplograph.merge.merge_sources over all files (store: Oxigraph in memory), then the
              canonical N-Quads serialisation (timed separately);
- increment:  merge_sources over all files, then merge_into(existing, [one more file]): the time of
              that last call alone is the cost of adding one graph to an existing merge.

Prints a table and writes JSON to bench/results/merge-{graphs}x{size}.json (bench/results/ is
gitignored).
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CODES = ["AZE", "CHN", "KAZ", "RUS", "UZB", "KGZ", "TJK", "IND", "PAK", "IRN", "TUR", "MNG", "BLR", "ARM",
         "GEO", "TKM", "AFG", "BRA", "ZAF", "EGY", "ETH", "ARE", "SAU", "IDN"]


def generate(folder: Path, graphs: int, size: int) -> list[Path]:
    from synthetic import generate_bilateral_graph

    pairs = list(itertools.combinations(CODES, 2))
    paths = []
    for i in range(graphs + 1):  # one more than merged, for the incremental step
        a, b = pairs[i % len(pairs)]
        path = folder / f"g{i:04d}-{a.lower()}-{b.lower()}.nt"
        if not path.exists():
            generate_bilateral_graph(i, a, b, size).serialize(path, format="nt", encoding="utf-8")
        paths.append(path)
    return paths


def stage(name: str, files: list[str]) -> dict:
    """Run one measurement in this process (called in a subprocess)."""
    paths = [Path(f) for f in files]
    out: dict = {"stage": name}
    if name == "naive":
        from rdflib import Dataset

        t = time.perf_counter()
        ds = Dataset()
        for p in paths[:-1]:
            ds.graph(p.as_uri()).parse(p, format="nt")
        out["seconds"] = time.perf_counter() - t
        out["quads"] = sum(1 for _ in ds.quads((None, None, None, None)))
    elif name == "merge":
        from diplograph.merge import merge_sources, to_nquads

        t = time.perf_counter()
        r = merge_sources(paths[:-1])
        out["seconds"] = time.perf_counter() - t
        t = time.perf_counter()
        text = to_nquads(r)
        out["serialise_seconds"] = time.perf_counter() - t
        out["quads"] = text.count("\n")
        out["rewrites"] = len(r.report.rewrites)
        out["conflicts"] = len(r.report.conflicts)
        out["warnings"] = len(r.report.warnings)
    elif name == "increment":
        from diplograph.merge import merge_into, merge_sources

        t = time.perf_counter()
        r = merge_sources(paths[:-1], store="rdflib")  # adding to a merge needs the merge made in Python
        out["base_seconds"] = time.perf_counter() - t
        t = time.perf_counter()
        r = merge_into(r, [paths[-1]])
        out["seconds"] = time.perf_counter() - t
        out["quads"] = r.report.triples
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graphs", type=int, default=200)
    ap.add_argument("--size", type=int, default=5000, help="triples per generated graph")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--files", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.files)))
        return
    with tempfile.TemporaryDirectory(prefix="merge-bench-") as tmp:
        t = time.perf_counter()
        paths = generate(Path(tmp), args.graphs, args.size)
        gen_seconds = time.perf_counter() - t
        results = {"graphs": args.graphs, "size": args.size, "generate_seconds": gen_seconds,
                   "python": platform.python_version(), "stages": []}
        for name in ("naive", "merge", "increment"):
            proc = subprocess.run([sys.executable, __file__, "--stage", name, "--files", *map(str, paths)],
                                  capture_output=True, text=True, check=True)
            results["stages"].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    rows = [("stage", "seconds", "peak RSS MB", "quads", "notes")]
    for s in results["stages"]:
        notes = ""
        if s["stage"] == "merge":
            notes = f"+{s['serialise_seconds']:.1f}s N-Quads; {s['rewrites']} rewrites, {s['conflicts']} conflicts"
        if s["stage"] == "increment":
            notes = f"adding 1 graph to a merge of {args.graphs} (base merge {s['base_seconds']:.1f}s)"
        rows.append((s["stage"], f"{s['seconds']:.2f}", f"{s['peak_rss_mb']:.0f}", str(s["quads"]), notes))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print(f"{args.graphs} graphs x {args.size} triples (generated in {gen_seconds:.1f}s)")
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    out = Path(__file__).parent / "results" / f"merge-{args.graphs}x{args.size}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
