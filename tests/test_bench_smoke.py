"""Smoke test of the benchmark's code path (bench/run.py --quick on a ~2k-triple world), so it does not rot.

Not a timing test: it checks that every section runs and lands in the JSON, that the synthetic
world conforms to the shapes (pyshacl: no violation) and that the named queries answer on it.
The world is invented data (bench/synthetic.py), not claims about real states.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_quick_run_writes_every_section(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "2k", "--quick", "--import-rows", "2k",
         "--out", str(tmp_path / "results"), "--cache", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads((tmp_path / "results" / "latest.json").read_text(encoding="utf-8"))
    assert {"command", "machine", "sizes", "html", "summary"} <= set(results)
    size = results["sizes"]["2k"]
    assert 2000 <= size["triples"] < 3500
    for section in ("load", "validation", "inference", "queries", "merge", "build"):
        assert section in size, section
    for engine in ("rdflib", "memory", "pyoxigraph"):
        assert size["load"][engine]["seconds"] > 0 and size["load"][engine]["peak_rss_mb"] > 0
    assert size["load"]["rdflib"]["quads"] == size["load"]["memory"]["quads"] == size["load"]["pyoxigraph"]["quads"]
    assert size["load"]["memory"]["meta_quads"] > 0  # the merge's provenance graph, on top of the files
    pyshacl = size["validation"]["pyshacl"]
    assert pyshacl["Violation"] == 0 and pyshacl["conforms"]
    assert size["inference"]["owlrl"]["kept"] > 0
    for section in ("validation", "inference"):
        r = size[section]["fast"]
        assert r["available"] and r["seconds"] > 0, r
    assert size["validation"]["identical"] and size["inference"]["identical"]
    queries = size["queries"]["queries"]
    assert len(queries) >= 30
    for name, q in queries.items():
        for engine in ("rdflib", "memory", "server", "server-direct"):
            assert "seconds" in q[engine], (name, engine, q[engine])
    assert size["queries"]["zero_rows_competency"] == []  # every competency query answers on the world
    assert {"naive", "merge"} <= set(size["merge"])
    assert size["merge"]["merge"]["quads"] > 0
    build = size["build"]
    assert build["build"]["violations"] == 0 and build["build"]["queries_run"] >= 20, build["build"]
    assert set(build["build"]["stages"]) == {"load", "validate", "checks", "infer", "queries", "write"}
    assert build["floor"]["seconds"] > 0 and build["build_vs_floor_time"] > 0
    imported = results["import"]["2k"]
    assert imported["diplograph"]["events"] == 2000 and imported["diplograph"]["skipped"] == 0
    assert imported["floor"]["rows"] == 2000 and imported["floor"]["triples"] > 2000
    assert imported["ratio_vs_floor"] > 0 and imported["diplograph"]["peak_rss_mb"] > 0
    html = results["html"]["2k"]
    assert html["diplograph"]["nodes"] > 0 and html["pyvis"]["html_bytes"] > 0
    assert (tmp_path / "results" / "latest.md").read_text(encoding="utf-8").startswith("# diplograph benchmark")


@pytest.mark.slow
def test_serve_load_bench_runs_and_reports_every_run(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "serve_load.py"), "--clients", "20", "--seconds", "1",
         "--warmup", "0.5", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    [report] = tmp_path.glob("serve-load-*.json")
    results = json.loads(report.read_text(encoding="utf-8"))
    assert set(results["runs"]) == {f"{s}-{m}" for s in ("oxigraph", "diplograph") for m in ("keepalive", "close")}
    for run in results["runs"].values():
        assert run["requests"] > 0 and run["wrong"] == 0 and run["p99_ms"] > 0, run
    assert results["p99_ratio_keepalive"] and results["p99_ratio_close"]
