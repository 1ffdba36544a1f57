"""Benchmark (not a test): every engine pair of diplograph, side by side, on synthetic worlds.

    .venv/bin/python bench/run.py --sizes 10k,100k,1M          # the full run (bench/RESULTS.md)
    .venv/bin/python bench/run.py --sizes 2k --quick           # seconds: the smoke test's run

For each size a synthetic diplomatic world (`bench/synthetic.py`, `write_world`, seeded) is
written as Turtle and N-Triples to ``bench/results/cache/`` and loaded with the ontology and the
reference graphs, as a project would be. Then, each engine in its OWN subprocess (so that its peak
RSS, ``ru_maxrss`` from ``os.wait4`` on that child, belongs to it alone), in the same run:

- ``load``: rdflib parses every file into a ``Dataset`` (a named graph each) vs diplograph's
  ``memory`` store (:func:`diplograph.dataset.assemble`: the project's dataset, entities
  reconciled, in Oxigraph in memory) vs raw
  pyoxigraph ``Store.bulk_load``;
- ``validation``: pyshacl vs the fast engine (:func:`diplograph.validation.validator`
  ``"reference"`` and ``"fast"``); results compared on (severity, focus node, path,
  value, constraint component);
- ``inference``: owlrl vs the fast reasoner (:func:`diplograph.reasoning.reasoner` ``"reference"``
  and ``"fast"``);
  the kept triples compared (after owlrl's noise is removed: :func:`infer` already drops it, and
  the fast output is filtered the same way before comparing if it differs). For both sections,
  each engine gets the same files already parsed into its own store, untimed: a plain rdflib
  ``Graph`` for pyshacl and owlrl, the default graph of a pyoxigraph ``Store`` (loaded by
  Oxigraph) for the fast engines (``fast``), as ``diplograph validate/infer --engine fast``
  give them a working store copied inside Oxigraph; ``fast-rdflib`` gives the fast engines the
  rdflib graph instead, copy timed, for comparison;
- ``queries``: every named query (``queries/*.rq`` and ``queries/checks/*.rq``) on rdflib's
  in-memory store and engine vs the ``memory`` store (Oxigraph) vs Oxigraph's server over HTTP
  (``diplograph serve``'s :class:`~diplograph.serve.SparqlServer`, and Oxigraph's own
  ``oxigraph serve-read-only`` on the same database folder), on ontology + reference + world + the inferred graph
  (the inference section's output), so the queries that read entailments return rows; row counts
  and a hash of the rows compared between engines;
- ``merge``: 200 bilateral graphs of (size / 200) triples each (``bench/merge_bench.py``'s
  generator and stages): rdflib parse of every file vs ``diplograph.merge.merge_sources``;
- ``html`` (on the worlds of ``--html-sizes``, default 10k and 100k): projection, then the page of
  ``diplograph viz`` (:func:`diplograph.viz.render_html`) vs pyvis's default page
  (``bench/viz_bench.py``), build time and memory, and time to interactive in headless Chromium.

Reference engines that would run longer than ``--cap`` seconds (estimated from the previous size
of this run, linearly, or from ``--estimate-from`` results) are skipped and say so. Results:
``bench/results/bench-<time>.json`` (and ``latest.json``) plus a Markdown table
(``bench-<time>.md``), written after every section so an interrupted run keeps what it measured.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

RESULTS = HERE / "results"
CACHE = RESULTS / "cache"
SECTIONS = ("load", "validation", "inference", "queries", "merge", "build", "html", "import", "network")
#: Run only when named (`--sections network`): minutes of Chromium on a 5,000-node page (network_bench.py).
OPT_IN = ("network",)
TARGETS = {"load_vs_rdflib": 10.0, "load_vs_pyoxigraph": 1.3, "queries_geomean": 30.0, "validation": 20.0,
           "inference": 20.0, "memory_ratio": 0.4, "build_seconds_1m": 40.0, "build_peak_mb_1m": 1536}


# ==================================================================================================
# helpers shared by parent and workers
# ==================================================================================================


def parse_size(text: str) -> int:
    text = text.strip().lower()
    mult = 1
    if text.endswith("k"):
        mult, text = 1000, text[:-1]
    elif text.endswith("m"):
        mult, text = 1_000_000, text[:-1]
    return int(float(text) * mult)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def rss_now_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def hwm_of(pid: int) -> float | None:
    """Peak RSS (VmHWM) of another live process, MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


_NUMBER = re.compile(r"[+-]?[0-9]+\.[0-9]+")


def _canon(cell: str) -> str:
    """Decimals by value: Oxigraph writes "38.0"^^xsd:decimal back as "38", rdflib keeps "38.0"."""
    if _NUMBER.fullmatch(cell):
        cell = cell.rstrip("0").rstrip(".")
        if cell == "-0":  # and "-0.0" as "0"
            cell = "0"
    return cell


def rows_digest(rows: list[tuple[str, ...]]) -> str:
    """A hash of the rows as a multiset (order ignored), decimals compared by value."""
    h = hashlib.sha256()
    for row in sorted(tuple(_canon(c) for c in r) for r in rows):
        h.update("\x1f".join(row).encode("utf-8") + b"\x1e")
    return h.hexdigest()[:16]


def make_project(folder: Path, world_ttl: Path, seed: bool = False) -> Path:
    """A project folder: the repository's ontology and reference graphs, and the world as its one
    source graph (with ``seed``, the repository's own source graphs beside it)."""
    (folder / "graphs").mkdir(parents=True, exist_ok=True)
    links = [(folder / "ontology", ROOT / "ontology"),
             (folder / "graphs" / "reference", ROOT / "graphs" / "reference"),
             (folder / "queries", ROOT / "queries"),
             (folder / "graphs" / "world.ttl", world_ttl)]
    if seed:
        links += [(folder / "graphs" / p.name, p) for p in sorted((ROOT / "graphs").glob("*.ttl"))]
        links += [(folder / "sources", ROOT / "sources")]
    for link, target in links:
        if not link.exists():
            link.symlink_to(target)
    return folder


# ==================================================================================================
# workers (each runs in its own process: `run.py --worker '{json}'`, prints one JSON line)
# ==================================================================================================


def _plain_inputs(spec: dict, with_data: bool = True):
    """Plain rdflib graphs: data (reference + world; None unless ``with_data``), shapes, ontology."""
    from rdflib import Graph

    from diplograph.project import Project

    project = Project(Path(spec["project"]))
    data = None
    if with_data:
        data = Graph()
        for f in project.reference_files:
            data.parse(f, format="turtle")
        data.parse(spec["world_nt"], format="nt")
    shapes = Graph()
    for f in project.shapes_files:
        shapes.parse(f, format="turtle")
    ontology = Graph()
    for f in project.ontology_files:
        ontology.parse(f, format="turtle")
    return data, shapes, ontology


def w_load(spec: dict) -> dict:
    from diplograph.iris import graph_iri
    from diplograph.project import Project

    project = Project(Path(spec["project"]))
    files = [(graph_iri("ontology"), f) for f in project.ontology_files]
    files += [(graph_iri("shapes"), f) for f in project.shapes_files]
    files += [(graph_iri("reference", f.stem), f) for f in project.reference_files]
    files += [(graph_iri("source", f.stem), f) for f in project.source_files]
    engine = spec["engine"]
    if engine == "rdflib":
        from rdflib import Dataset
    elif engine == "memory":
        from diplograph.dataset import assemble
        from diplograph.store import graph_sizes
    else:
        import pyoxigraph as ox
    before = rss_now_mb()
    t = time.perf_counter()
    if engine == "rdflib":
        ds = Dataset()
        for name, f in files:
            ds.graph(name).parse(f, format="turtle")
        seconds = time.perf_counter() - t
        quads = sum(1 for _ in ds.quads((None, None, None, None)))
    elif engine == "memory":
        assembled = assemble(project, store="memory")
        seconds = time.perf_counter() - t
        sizes = graph_sizes(assembled.dataset)
        meta = sizes.pop(graph_iri("meta"), 0)  # the merge's provenance graph: not in any file
        return {"seconds": seconds, "quads": sum(sizes.values()), "meta_quads": meta, "rss_before_load_mb": before}
    else:
        store = ox.Store()
        for name, f in files:
            store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, base_iri=f.resolve().as_uri(),
                            to_graph=ox.NamedNode(str(name)))
        seconds = time.perf_counter() - t
        quads = len(store)
    return {"seconds": seconds, "quads": quads, "rss_before_load_mb": before}


def _oxigraph_input(spec: dict):
    """The fast engines' input: data (reference + world) in the default graph of a working store.

    Loaded by Oxigraph itself from the same files rdflib parses for pyshacl and owlrl; like that
    parse, not timed.
    """
    from diplograph.project import Project
    from diplograph.store import WorkingStore

    project = Project(Path(spec["project"]))
    return WorkingStore.of_files(*project.reference_files, spec["world_nt"])


def _inputs(spec: dict):
    """(data, shapes, ontology) for the worker's engine: rdflib graphs, or an Oxigraph store as data."""
    native = spec["engine"] == "fast"  # its native input; "fast-rdflib" starts from the rdflib graph
    data, shapes, ontology = _plain_inputs(spec, with_data=not native)
    return (_oxigraph_input(spec) if native else data), shapes, ontology


def w_validate(spec: dict) -> dict:
    from rdflib import BNode, URIRef

    data, shapes, ontology = _inputs(spec)
    from diplograph.validation import validator

    run = validator("reference" if spec["engine"] == "pyshacl" else "fast").validate
    t = time.perf_counter()
    report = run(data, shapes, ontology)
    seconds = time.perf_counter() - t

    def key(r) -> str:
        path = str(r.path) if isinstance(r.path, URIRef) else ""
        value = "" if r.value is None or isinstance(r.value, BNode) else r.value.n3()
        return "\t".join((r.severity, str(r.focus_node), path, value, str(r.constraint_component or "")))

    keys = sorted(key(r) for r in report.results)
    Path(spec["out"]).write_text("\n".join(keys) + "\n", encoding="utf-8")
    counts = {s: sum(1 for r in report.results if r.severity == s) for s in ("Violation", "Warning", "Info")}
    return {"available": True, "seconds": seconds, "conforms": report.conforms, "results": len(keys), **counts}


def w_infer(spec: dict) -> dict:
    data, _shapes, ontology = _inputs(spec)
    del _shapes
    from diplograph.reasoning import reasoner

    run = reasoner("reference" if spec["engine"] == "owlrl" else "fast").infer
    t = time.perf_counter()
    result = run(data, ontology)
    seconds = time.perf_counter() - t
    lines = sorted({f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in result.inferred})
    Path(spec["out"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"available": True, "seconds": seconds, "kept": len(lines), "same_as": len(result.same_as),
            "produced": result.counts.get("produced")}


def w_queries(spec: dict) -> dict:
    import signal

    from diplograph.iris import graph_iri
    from diplograph.project import Project
    from diplograph.queries import list_queries, run_query

    project = Project(Path(spec["project"]))
    queries = list_queries(project.queries_dir)
    engine = spec["engine"]
    cap, reps = spec["query_cap"], spec["reps"]
    out: dict = {"queries": {}}
    t = time.perf_counter()
    server = None
    if engine in ("rdflib", "memory"):
        from diplograph.dataset import assemble

        assembled = assemble(project, store=engine)
        if spec.get("inferred"):
            assembled.dataset.graph(graph_iri("inferred")).parse(spec["inferred"], format="nt")
            assembled.with_inferred = True

        def ask(q):
            res = run_query(assembled, q)
            return res.as_strings()
        runners = {engine: ask}
    else:  # diplograph serve, and Oxigraph's own server on the same folder
        import gc
        import http.client

        import pyoxigraph as ox

        from diplograph.serve import SparqlServer, prepare_db

        db = Path(spec["db"])
        prepare_db(project, db)
        if spec.get("inferred"):
            store = ox.Store(str(db))
            store.bulk_load(path=spec["inferred"], format=ox.RdfFormat.N_TRIPLES,
                            to_graph=ox.NamedNode(str(graph_iri("inferred"))))
            store.flush()
            del store
            gc.collect()
        out["prepare_db_seconds"] = time.perf_counter() - t
        server = SparqlServer(db, bind="127.0.0.1:0", timeout=cap).start()
        # Oxigraph's own server on the same folder (read-only too): what the checks in front cost.
        from serve_load import free_port, wait_answering

        direct_port = free_port()
        direct = subprocess.Popen(
            [shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph", "serve-read-only",
             "--location", str(db), "--bind", f"127.0.0.1:{direct_port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_answering(direct_port)

        def http_runner(port: int):
            conn = [http.client.HTTPConnection("127.0.0.1", port, timeout=cap + 5)]

            def ask(q):
                for attempt in (0, 1):
                    try:
                        conn[0].request("POST", "/query", body=q.text.encode("utf-8"), headers={
                            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
                        resp = conn[0].getresponse()
                        body = resp.read()
                        break
                    except (OSError, http.client.HTTPException):
                        conn[0].close()
                        conn[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=cap + 5)
                        if attempt:
                            raise
                if resp.status != 200:
                    raise RuntimeError(f"HTTP {resp.status}: {body[:200]!r}")
                doc = json.loads(body)
                columns = doc["head"].get("vars", [])
                rows = []
                for b in doc["results"]["bindings"]:
                    row = []
                    for c in columns:
                        term = b.get(c)
                        row.append("" if term is None else ("_:" + term["value"] if term["type"] == "bnode" else term["value"]))
                    rows.append(tuple(row))
                return rows
            return ask
        runners = {"server": http_runner(server.port), "server-direct": http_runner(direct_port)}
    out["setup_seconds"] = time.perf_counter() - t

    class Cap(Exception):
        pass

    def on_alarm(*_):
        raise Cap()

    signal.signal(signal.SIGALRM, on_alarm)
    for name, ask in runners.items():
        res: dict = {}
        skip = spec.get("skip", {}).get(name, {})
        for q in queries:
            if q.name in skip:
                res[q.name] = {"check": q.is_check, "error": skip[q.name]}
                continue
            times, rows, err = [], None, None
            for i in range(1 + reps):
                signal.alarm(max(1, math.ceil(cap)))
                try:
                    t0 = time.perf_counter()
                    rows = ask(q)
                    times.append(time.perf_counter() - t0)
                except Exception as exc:  # noqa: BLE001 - record and go on
                    if isinstance(exc, Cap) or isinstance(exc.__cause__, Cap):  # run_query wraps it in a QueryError
                        err = f"capped: slower than {cap:g} s"
                    else:
                        err = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
                finally:
                    signal.alarm(0)
                if err or sum(times) > max(2.0, cap / 4):
                    break
            entry = {"check": q.is_check}
            if times:
                entry.update(seconds=statistics.median(times[1:] if len(times) > 2 else times), runs=len(times),
                             first_seconds=times[0], rows=len(rows), digest=rows_digest(rows))
            if err:
                entry["error"] = err
            res[q.name] = entry
        out["queries"][name] = res
    if server is not None:
        engines = [engine.process.pid for engine in list(server.pool._all)] if server.pool else []
        out["server_peak_rss_mb"] = max((hwm_of(pid) or 0 for pid in engines), default=None)
        server.stop()
        direct.terminate()
        direct.wait(10)
    return out



def w_merge(spec: dict) -> dict:
    from merge_bench import stage

    return stage(spec["engine"], spec["files"])


def w_html(spec: dict) -> dict:
    import networkx as nx  # noqa: F401  (imported by both pages)

    from diplograph.dataset import assemble
    from diplograph.project import Project
    from diplograph.projection import project

    loaded = assemble(Project(Path(spec["project"])), store="memory")
    t = time.perf_counter()
    G = project(loaded)
    projection_seconds = time.perf_counter() - t
    folder = Path(spec["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    if spec["engine"] == "diplograph":
        from diplograph.viz import render_html

        page = render_html(G, folder / "diplograph.html", title="synthetic world")
    else:
        from viz_bench import pyvis_default_page

        page = pyvis_default_page(G, folder)
    return {"seconds": time.perf_counter() - t, "projection_seconds": projection_seconds, "page": str(page),
            "nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "html_bytes": page.stat().st_size}


def w_browser(spec: dict) -> dict:
    from playwright.sync_api import sync_playwright

    from viz_bench import CHROMIUM, measure

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for engine, page in spec["pages"].items():
            out[engine] = measure(browser, Path(page), "ours" if engine == "diplograph" else "pyvis", spec["cap"])
        browser.close()
    return out


def w_build(spec: dict) -> dict:
    """`diplograph build` end to end (the library call the CLI makes), its stage times."""
    from diplograph.build import build
    from diplograph.project import Project

    t = time.perf_counter()
    report = build(Project(Path(spec["project"])), Path(spec["out"]), engine=spec["engine"])
    seconds = time.perf_counter() - t
    out = Path(spec["out"])
    return {"seconds": seconds, "stages": report.seconds, "triples_asserted": report.triples_asserted,
            "triples_inferred": report.triples_inferred, "violations": report.violations,
            "queries_run": report.queries_run, "dataset_nq_bytes": (out / "dataset.nq").stat().st_size}


def w_build_floor(spec: dict) -> dict:
    """The raw floor of a build: pyoxigraph bulk-loads every file, the fast engines validate and
    infer, every named query runs on Oxigraph, and the quads are dumped as N-Quads."""
    import pyoxigraph as ox

    from diplograph.project import Project
    from diplograph.queries import list_queries

    project = Project(Path(spec["project"]))
    stages: dict[str, float] = {}
    t = time.perf_counter()
    store = ox.Store()
    files = project.ontology_files + project.shapes_files + project.reference_files + project.source_files
    for i, path in enumerate(files):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(),
                        to_graph=ox.NamedNode(f"urn:floor:{i}"))
    stages["load"] = time.perf_counter() - t
    t = time.perf_counter()
    data, shapes, ontology = _inputs({**spec, "engine": "fast", "world_nt": spec["nt"]})
    stages["inputs"] = time.perf_counter() - t
    from diplograph.reasoning import reasoner
    from diplograph.validation import validator

    t = time.perf_counter()
    validator("fast").validate(data, shapes, ontology)
    stages["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    data = _oxigraph_input({**spec, "world_nt": spec["nt"]})  # the validator adds the ontology to its
    stages["inputs"] += time.perf_counter() - t  # store: the reasoner gets a fresh one (shapes, ontology reused)
    t = time.perf_counter()
    reasoner("fast").infer(data, ontology)
    stages["infer"] = time.perf_counter() - t
    t = time.perf_counter()
    for q in list_queries(project.queries_dir):
        try:
            list(store.query(q.text, use_default_graph_as_union=True))
        except (SyntaxError, OSError, ValueError):
            pass  # the floor is a lower bound: a query Oxigraph alone cannot run costs it nothing
    stages["queries"] = time.perf_counter() - t
    t = time.perf_counter()
    store.dump(str(Path(spec["out"])), format=ox.RdfFormat.N_QUADS)
    stages["dump"] = time.perf_counter() - t
    # "inputs" (handing the engines their graphs) is not part of the floor's work
    return {"seconds": sum(v for k, v in stages.items() if k != "inputs"), "stages": stages}


def w_import(spec: dict) -> dict:
    from import_bench import floor_stage, import_stage

    if spec["engine"] == "diplograph":
        return import_stage(spec["source"], spec["out"])
    return floor_stage(spec["source"], spec["produced"])


WORKERS = {"import": w_import, "load": w_load, "validate": w_validate, "infer": w_infer, "queries": w_queries, "merge": w_merge,
           "html": w_html, "browser": w_browser, "build": w_build, "build_floor": w_build_floor}


def worker_main(spec: dict) -> None:
    result = WORKERS[spec["kind"]](spec)
    result["worker_peak_rss_self_mb"] = __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()


# ==================================================================================================
# parent
# ==================================================================================================


def run_worker(spec: dict, timeout: float, log) -> dict:
    """Run one worker; its result plus ``peak_rss_mb`` (ru_maxrss of that child from os.wait4) and ``wall_seconds``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)],
                                stdout=out, stderr=err, cwd=str(ROOT), start_new_session=True)
        status, usage, timed_out = None, None, False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t > timeout:
                timed_out = True
                os.killpg(proc.pid, 9)
                _pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        text, errtext = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    result: dict
    if timed_out:
        result = {"error": f"timed out after {timeout:.0f} s"}
    elif proc.returncode != 0:
        result = {"error": f"exit {proc.returncode}: " + " | ".join(errtext.strip().splitlines()[-3:])[:600]}
    else:
        try:
            result = json.loads(text.strip().splitlines()[-1])
        except (ValueError, IndexError):
            result = {"error": "no JSON from worker: " + text[-300:]}
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1) if usage else None
    result["wall_seconds"] = round(wall, 2)
    if "error" in result:
        log(f"    ! {spec['kind']}/{spec.get('engine', '')}: {result['error'][:300]}")
    return result


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    except OSError:
        pass
    versions = {}
    for mod in ("rdflib", "pyoxigraph", "pyshacl", "owlrl", "oxrdflib", "pyvis", "networkx"):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod)
        except Exception:  # noqa: BLE001
            versions[mod] = "?"
    try:
        oxv = subprocess.run([str(Path(sys.executable).with_name("oxigraph")), "--version"], capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
    except Exception:  # noqa: BLE001
        oxv = "?"
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {"nproc": os.cpu_count(), "memory": mem, "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions, "oxigraph_cli": oxv,
            "loadavg_at_start": load, "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def ratio(a, b):
    if not a or not b:
        return None
    return a / b


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def estimate(prev: dict | None, n: int) -> float | None:
    """Linear estimate of a reference engine's seconds at ``n`` triples from a previous (size, seconds)."""
    if not prev:
        return None
    return prev["seconds"] * n / prev["triples"]


class Bench:
    def __init__(self, args) -> None:
        self.args = args
        self.quick = args.quick
        stamp = time.strftime("%Y%m%dT%H%M%S")
        self.out_dir = Path(args.out)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.cache = Path(args.cache)
        self.json_path = self.out_dir / f"bench-{stamp}.json"
        self.md_path = self.out_dir / f"bench-{stamp}.md"
        self.results: dict = {
            "command": " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/run.py", *sys.argv[1:]]),
            "machine": machine_info(), "args": vars(args), "sizes": {}, "targets": TARGETS,
        }
        self.prev_ref: dict[str, dict] = {}  # engine -> {"triples", "seconds"} of the last size it ran at
        self.prev_queries: dict[str, dict] = {}  # query -> {"triples", "seconds"} of its last rdflib run
        if args.estimate_from:
            for size in json.loads(Path(args.estimate_from).read_text())["sizes"].values():
                for q, v in size.get("queries", {}).get("queries", {}).items():
                    if v.get("rdflib", {}).get("seconds"):
                        self.prev_queries[q] = {"triples": size["triples"], "seconds": v["rdflib"]["seconds"]}
                for sec, eng in (("validation", "pyshacl"), ("inference", "owlrl")):
                    r = size.get(sec, {}).get(eng, {})
                    if r.get("seconds"):
                        self.prev_ref[eng] = {"triples": size["triples"], "seconds": r["seconds"]}
        self.tmp = Path(tempfile.mkdtemp(prefix="diplograph-bench-"))

    def log(self, text: str) -> None:
        print(text, flush=True)

    def save(self) -> None:
        self.results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        text = json.dumps(self.results, indent=1, default=str) + "\n"
        for path in (self.json_path, self.out_dir / "latest.json"):
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        md = markdown(self.results)
        for path in (self.md_path, self.out_dir / "latest.md"):
            tmp = path.with_suffix(".tmp")
            tmp.write_text(md, encoding="utf-8")
            os.replace(tmp, path)

    def world(self, n: int) -> tuple[Path, Path, float, int]:
        from synthetic import write_world

        self.cache.mkdir(parents=True, exist_ok=True)
        ttl = self.cache / f"world-{n}-s{self.args.seed}.ttl"
        nt = ttl.with_suffix(".nt")
        t = time.perf_counter()
        count = None
        for path in (ttl, nt):
            if not path.exists():
                count = write_world(path, n, self.args.seed)
        if count is None:
            count = sum(1 for line in nt.open(encoding="utf-8") if line.strip())
        return ttl, nt, time.perf_counter() - t, count

    def timeout(self) -> float:
        return self.args.cap * 1.5 + 300

    # -- sections --------------------------------------------------------------------------------

    def section_load(self, ctx: dict) -> dict:
        res = {}
        for engine in ("rdflib", "memory", "pyoxigraph"):
            res[engine] = run_worker({"kind": "load", "engine": engine, "project": ctx["project"]}, self.timeout(), self.log)
            self.log(f"    load {engine:<10} {res[engine].get('seconds', float('nan')):8.2f} s  "
                     f"peak {res[engine]['peak_rss_mb']} MB")
        r, m, o = (res[e].get("seconds") for e in ("rdflib", "memory", "pyoxigraph"))
        res["speedup_vs_rdflib"] = ratio(r, m)
        res["slowdown_vs_pyoxigraph"] = ratio(m, o)
        res["memory_ratio_vs_rdflib"] = ratio(res["memory"]["peak_rss_mb"], res["rdflib"]["peak_rss_mb"])
        return res

    def reference_or_skip(self, engine: str, n: int) -> str | None:
        est = estimate(self.prev_ref.get(engine), n)
        if est is not None and est > self.args.cap:
            return f"skipped: estimated {est:.0f} s from the {size_label(self.prev_ref[engine]['triples'])} run (cap {self.args.cap:.0f} s)"
        return None

    def section_validation(self, ctx: dict) -> dict:
        res: dict = {}
        n = ctx["triples"]
        outs = {}
        for engine in ("pyshacl", "fast", "fast-rdflib"):
            skip = self.reference_or_skip(engine, n) if engine == "pyshacl" else None
            if skip:
                res[engine] = {"skipped": skip}
                self.log(f"    validation {engine}: {skip}")
                continue
            outs[engine] = str(self.tmp / f"validation-{n}-{engine}.tsv")
            res[engine] = run_worker({"kind": "validate", "engine": engine, "project": ctx["project"],
                                      "world_nt": ctx["nt"], "out": outs[engine]}, self.timeout(), self.log)
            self.log(f"    validation {engine:<11} {res[engine].get('seconds', float('nan')):8.2f} s  "
                     f"peak {res[engine]['peak_rss_mb']} MB  violations {res[engine].get('Violation')} "
                     f"results {res[engine].get('results')}")
            if engine == "pyshacl" and res[engine].get("seconds"):
                self.prev_ref["pyshacl"] = {"triples": n, "seconds": res[engine]["seconds"]}
        res["speedup"] = ratio(res.get("pyshacl", {}).get("seconds"), res.get("fast", {}).get("seconds"))
        res["speedup_from_rdflib_graph"] = ratio(res.get("pyshacl", {}).get("seconds"),
                                                 res.get("fast-rdflib", {}).get("seconds"))
        if all(res.get(e, {}).get("seconds") for e in ("pyshacl", "fast")):
            a = set(Path(outs["pyshacl"]).read_text(encoding="utf-8").splitlines())
            b = set(Path(outs["fast"]).read_text(encoding="utf-8").splitlines())
            res["identical"] = a == b
            res["only_pyshacl"] = sorted(a - b)[:10]
            res["only_fast"] = sorted(b - a)[:10]
            res["differences"] = len(a ^ b)
            if res.get("fast-rdflib", {}).get("seconds"):
                res["identical_from_rdflib_graph"] = a == set(Path(outs["fast-rdflib"]).read_text(encoding="utf-8").splitlines())
        return res

    def section_inference(self, ctx: dict) -> dict:
        res: dict = {}
        n = ctx["triples"]
        outs = {}
        for engine in ("owlrl", "fast", "fast-rdflib"):
            skip = self.reference_or_skip(engine, n) if engine == "owlrl" else None
            if skip:
                res[engine] = {"skipped": skip}
                self.log(f"    inference {engine}: {skip}")
                continue
            outs[engine] = str(self.tmp / f"inferred-{n}-{engine}.nt")
            res[engine] = run_worker({"kind": "infer", "engine": engine, "project": ctx["project"],
                                      "world_nt": ctx["nt"], "out": outs[engine]}, self.timeout(), self.log)
            self.log(f"    inference {engine:<11} {res[engine].get('seconds', float('nan')):8.2f} s  "
                     f"peak {res[engine]['peak_rss_mb']} MB  kept {res[engine].get('kept')}")
            if engine == "owlrl" and res[engine].get("seconds"):
                self.prev_ref["owlrl"] = {"triples": n, "seconds": res[engine]["seconds"]}
        res["speedup"] = ratio(res.get("owlrl", {}).get("seconds"), res.get("fast", {}).get("seconds"))
        res["speedup_from_rdflib_graph"] = ratio(res.get("owlrl", {}).get("seconds"),
                                                 res.get("fast-rdflib", {}).get("seconds"))
        if res.get("fast", {}).get("seconds") and res.get("fast-rdflib", {}).get("seconds"):
            res["fast_inputs_agree"] = (Path(outs["fast"]).read_text(encoding="utf-8")
                                        == Path(outs["fast-rdflib"]).read_text(encoding="utf-8"))
        ok = [e for e in ("owlrl", "fast") if res.get(e, {}).get("seconds") is not None]
        if len(ok) == 2:
            a = set(Path(outs["owlrl"]).read_text(encoding="utf-8").splitlines()) - {""}
            b = set(Path(outs["fast"]).read_text(encoding="utf-8").splitlines()) - {""}
            res["identical"] = a == b
            if a != b:
                b_filtered = denoise(b)
                res["identical_after_noise_removal"] = a == b_filtered
                res["only_owlrl"] = sorted(a - b_filtered)[:10]
                res["only_fast"] = sorted(b_filtered - a)[:10]
                res["differences"] = len(a ^ b_filtered)
        ctx["inferred"] = outs[ok[0]] if ok else None  # the reference's output when it ran, else the fast one
        res["inferred_graph_for_queries"] = ok[0] if ok else None
        return res

    def section_queries(self, ctx: dict) -> dict:
        res: dict = {"engines": {}}
        common = {"kind": "queries", "project": ctx["project"], "inferred": ctx.get("inferred"),
                  "query_cap": self.args.query_cap, "reps": 1 if self.quick else self.args.reps}
        skip = {}
        for q, prev in self.prev_queries.items():  # rdflib runs estimated (linearly) to pass the cap are skipped
            est = prev["seconds"] * ctx["triples"] / prev["triples"]
            if est > self.args.query_cap:
                skip[q] = (f"skipped: estimated {est:.0f} s from the {size_label(prev['triples'])} run "
                           f"(cap {self.args.query_cap:g} s)")
        if skip:
            self.log(f"    queries rdflib: {len(skip)} skipped as estimated over the cap: {', '.join(sorted(skip))}")
        for engine in ("rdflib", "memory", "server"):
            spec = dict(common, engine=engine, db=str(self.tmp / f"oxigraph-{ctx['triples']}"),
                        skip={"rdflib": skip} if engine == "rdflib" else {})
            r = run_worker(spec, self.timeout() + 60 * 40, self.log)
            res["engines"][engine] = {k: v for k, v in r.items() if k != "queries"}
            for name, per in (r.get("queries") or {}).items():
                res.setdefault("per_engine", {})[name] = per
                tot = sum(q.get("seconds", 0) for q in per.values())
                self.log(f"    queries {name:<14} sum of medians {tot:8.3f} s  peak {r['peak_rss_mb']} MB")
        per = res.pop("per_engine", {})
        names = sorted({q for e in per.values() for q in e}, key=lambda q: (per.get("memory", {}).get(q, {}).get("check", False), q))
        table = {}
        for q in names:
            row = {e: per.get(e, {}).get(q, {}) for e in ("rdflib", "memory", "server", "server-direct")}
            entry = {"check": row["memory"].get("check", row["rdflib"].get("check"))}
            for e, v in row.items():
                entry[e] = {k: v[k] for k in ("seconds", "rows", "digest", "error", "runs") if k in v}
            r_s, m_s = row["rdflib"].get("seconds"), row["memory"].get("seconds")
            entry["speedup_memory_vs_rdflib"] = ratio(r_s, m_s)
            entry["speedup_server_vs_rdflib"] = ratio(r_s, row["server"].get("seconds"))
            entry["speedup_server_direct_vs_rdflib"] = ratio(r_s, row["server-direct"].get("seconds"))
            if any(w in (row["rdflib"].get("error") or "") for w in ("capped", "skipped")):
                # slower than the cap (measured), or estimated so: the cap gives a lower bound of the speed-up
                entry["speedup_memory_vs_rdflib_lower_bound"] = ratio(self.args.query_cap, m_s)
            if r_s:
                self.prev_queries[q] = {"triples": ctx["triples"], "seconds": r_s}
            digests = {e: v.get("digest") for e, v in row.items() if v.get("digest")}
            entry["same_rows"] = len(set(digests.values())) <= 1
            if not entry["same_rows"]:
                entry["rows_by_engine"] = {e: v.get("rows") for e, v in row.items()}
            table[q] = entry
        res["queries"] = table
        sp = [v["speedup_memory_vs_rdflib"] or v.get("speedup_memory_vs_rdflib_lower_bound") for v in table.values()]
        res["geomean_speedup_memory_vs_rdflib"] = geomean(sp)
        res["queries_at_cap"] = sorted(q for q, v in table.items() if v.get("speedup_memory_vs_rdflib_lower_bound"))
        res["geomean_is_lower_bound"] = bool(res["queries_at_cap"])
        res["geomean_speedup_server_vs_rdflib"] = geomean([v["speedup_server_vs_rdflib"] for v in table.values()])
        res["geomean_speedup_server_direct_vs_rdflib"] = geomean(
            [v["speedup_server_direct_vs_rdflib"] for v in table.values()])
        res["slower_on_oxigraph"] = sorted(q for q, v in table.items()
                                           if v["speedup_memory_vs_rdflib"] is not None and v["speedup_memory_vs_rdflib"] < 1)
        res["row_disagreements"] = sorted(q for q, v in table.items() if not v["same_rows"])
        # coded-* queries ask about imported event data, which the synthetic world does not hold
        res["zero_rows_competency"] = sorted(q for q, v in table.items()
                                             if not v["check"] and not q.startswith("coded-") and v["memory"].get("rows") == 0)
        self.log(f"    queries geomean speed-up memory/rdflib {fmt(res['geomean_speedup_memory_vs_rdflib'])}x; "
                 f"slower on Oxigraph: {res['slower_on_oxigraph'] or 'none'}; rows differ: {res['row_disagreements'] or 'none'}")
        return res

    def section_merge(self, ctx: dict) -> dict:
        from merge_bench import generate

        graphs = 20 if self.quick else 200
        per_graph = max(50, ctx["triples"] // graphs)
        folder = self.cache / f"merge-{graphs}x{per_graph}"
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        paths = [str(p) for p in generate(folder, graphs, per_graph)]
        res: dict = {"graphs": graphs, "triples_per_graph": per_graph, "generate_seconds": time.perf_counter() - t}
        for engine in ("naive", "merge"):
            res[engine] = run_worker({"kind": "merge", "engine": engine, "files": paths}, self.timeout(), self.log)
            self.log(f"    merge {engine:<6} {res[engine].get('seconds', float('nan')):8.2f} s  peak {res[engine]['peak_rss_mb']} MB")
        res["merge_vs_naive_time"] = ratio(res["merge"].get("seconds"), res["naive"].get("seconds"))
        return res

    def section_build(self, ctx: dict) -> dict:
        """`diplograph build --engine fast` on the world plus the seed, beside the floor of its parts."""
        project = make_project(Path(ctx["project"] + "-build"), Path(ctx["ttl"]), seed=True)
        res: dict = {}
        res["build"] = run_worker({"kind": "build", "engine": "fast", "project": str(project),
                                   "out": str(self.tmp / f"build-{ctx['triples']}")}, self.timeout(), self.log)
        res["floor"] = run_worker({"kind": "build_floor", "project": str(project), "nt": ctx["nt"],
                                   "out": str(self.tmp / f"floor-{ctx['triples']}.nq")}, self.timeout(), self.log)
        for part in ("build", "floor"):
            stages = res[part].get("stages", {})
            self.log(f"    {part:<6} {res[part].get('seconds', float('nan')):8.2f} s  peak {res[part]['peak_rss_mb']} MB  "
                     + " ".join(f"{k} {v:.1f}" for k, v in stages.items()))
        res["build_vs_floor_time"] = ratio(res["build"].get("seconds"), res["floor"].get("seconds"))
        shutil.rmtree(self.tmp / f"build-{ctx['triples']}", ignore_errors=True)
        return res

    def section_html(self, ctx: dict) -> dict:
        res: dict = {"world_triples": ctx["triples"]}
        pages = {}
        for engine in ("diplograph", "pyvis"):
            r = run_worker({"kind": "html", "engine": engine, "project": ctx["project"],
                            "folder": str(self.tmp / f"html-{engine}")}, self.timeout(), self.log)
            res[engine] = r
            if r.get("page"):
                pages[engine] = r["page"]
            self.log(f"    html {engine:<10} build {r.get('seconds', float('nan')):6.2f} s  peak {r['peak_rss_mb']} MB "
                     f"({r.get('nodes')} nodes, {r.get('edges')} edges)")
        if self.quick or self.args.no_browser:
            res["browser"] = {"skipped": "--quick" if self.quick else "--no-browser"}
        elif pages:
            res["browser"] = run_worker({"kind": "browser", "pages": pages, "cap": self.args.browser_cap},
                                        self.args.browser_cap * 3 + 120, self.log)
            for e in pages:
                b = res["browser"].get(e, {})
                self.log(f"    browser {e:<10} interactive {b.get('ready_s')} s (settled: {b.get('settled')})")
        return res

    def section_import(self, n: int) -> dict:
        """`diplograph import icews` on n invented rows, beside the floor (csv reading + pyoxigraph bulk load)."""
        from icews_synthetic import write_icews

        source = self.cache / f"icews-invented-{n}-s{self.args.seed}.tab"
        if not source.exists():
            write_icews(source, n, self.args.seed)
        out = self.tmp / f"import-{n}"
        res = {"rows": n, "source": str(source)}
        res["diplograph"] = run_worker({"kind": "import", "engine": "diplograph", "source": str(source), "out": str(out)},
                                       self.timeout(), self.log)
        produced = res["diplograph"].get("output")
        if produced:
            res["floor"] = run_worker({"kind": "import", "engine": "floor", "source": str(source), "produced": produced},
                                      self.timeout(), self.log)
            Path(produced).unlink(missing_ok=True)
        else:
            res["floor"] = {"skipped": "the import failed"}
        res["ratio_vs_floor"] = ratio(res["diplograph"].get("seconds"), res["floor"].get("seconds"))
        for engine in ("diplograph", "floor"):
            r = res[engine]
            self.log(f"    import {engine:<10} {r.get('seconds', float('nan')):8.2f} s  peak {r.get('peak_rss_mb')} MB")
        self.log(f"    import ratio to floor: {fmt(res['ratio_vs_floor'], 2)}")
        return res

    # -- driver ----------------------------------------------------------------------------------

    def run(self, sizes: list[int], sections: list[str]) -> None:
        self.log(f"diplograph bench: sizes {', '.join(size_label(n) for n in sizes)}; writing {self.json_path}")
        per_size = [sec for sec in ("load", "validation", "inference", "queries", "merge", "build") if sec in sections]
        for n in sizes if per_size else []:  # `--sections import` alone needs no world
            label = size_label(n)
            ttl, nt, gen_s, count = self.world(n)
            proj = make_project(self.tmp / f"project-{n}", ttl)
            self.log(f"== {label}: {count} world triples ({ttl.name}, {gen_s:.1f} s to generate)")
            entry = self.results["sizes"].setdefault(label, {"triples": count, "requested": n,
                                                             "generate_seconds": gen_s, "world": str(ttl)})
            ctx = {"triples": count, "project": str(proj), "nt": str(nt), "ttl": str(ttl)}
            for sec in ("load", "validation", "inference", "queries", "merge", "build"):
                if sec not in sections:
                    continue
                t = time.perf_counter()
                entry[sec] = getattr(self, f"section_{sec}")(ctx)
                entry[sec]["section_wall_seconds"] = time.perf_counter() - t
                self.save()
        if "html" in sections:
            html_sizes = [sizes[0]] if self.quick else [parse_size(s) for s in self.args.html_sizes.split(",") if s.strip()]
            for n in html_sizes:
                ttl, _nt, _g, count = self.world(n)
                proj = make_project(self.tmp / f"project-{n}", ttl)
                self.log(f"== HTML projection of the {size_label(n)} world")
                self.results.setdefault("html", {})[size_label(n)] = self.section_html({"triples": count, "project": str(proj)})
                self.save()
        if "network" in sections:
            from network_bench import run as network_run

            self.log("== network pages (issue 15): the 5,000-node projection, pyvis's default page, the world overviews")
            world = Path(self.args.network_world) if self.args.network_world else None
            self.results["network"] = network_run(self.args.network_triples, world, self.args.browser_cap,
                                                  Path(tempfile.mkdtemp(dir=self.tmp)), log=self.log)
            self.save()
        if "import" in sections:
            rows = [parse_size(s) for s in self.args.import_rows.split(",") if s.strip()]
            for n in ([min(rows)] if self.quick else rows):
                self.log(f"== import of {size_label(n)} invented ICEWS rows")
                self.results.setdefault("import", {})[size_label(n)] = self.section_import(n)
                self.save()
        self.results["summary"] = summarise(self.results)
        self.save()
        self.log("")
        self.log(markdown(self.results))
        self.log(f"wrote {self.json_path} and {self.md_path}")
        shutil.rmtree(self.tmp, ignore_errors=True)  # databases, pages, inferred graphs of this run


def denoise(lines: set[str]) -> set[str]:
    """Drop from N-Triples lines what diplograph.infer would drop as noise (reflexive sameAs, built-ins…)."""
    from rdflib import Graph

    from diplograph.project import Project
    from diplograph.reasoning.result import noise as _noise
    from diplograph.reasoning.result import ontology_terms as _ontology_terms

    ontology = Graph().parse(Project(ROOT).ontology_file)
    terms = _ontology_terms(ontology)
    g = Graph().parse(data="\n".join(lines), format="nt")
    return {f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in g if not _noise((s, p, o), terms)}


# ==================================================================================================
# reporting
# ==================================================================================================


def fmt(v, digits: int = 1) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        if v >= 100:
            return f"{v:,.0f}"
        return f"{v:.{digits}f}" if v >= 1 else f"{v:.{max(digits, 2)}f}"
    return str(v)


def secs(r: dict | None) -> str:
    if not r:
        return "–"
    if r.get("skipped"):
        return r["skipped"]
    if r.get("available") is False:
        return "not available"
    if r.get("error"):
        return "error: " + r["error"][:80]
    return fmt(r.get("seconds"), 2)


def summarise(results: dict) -> dict:
    out = {}
    for label, s in results["sizes"].items():
        t = {}
        load = s.get("load", {})
        if load:
            t["load ≥10× rdflib"] = _met(load.get("speedup_vs_rdflib"), TARGETS["load_vs_rdflib"], ">=")
            t["load ≤1.3× pyoxigraph"] = _met(load.get("slowdown_vs_pyoxigraph"), TARGETS["load_vs_pyoxigraph"], "<=")
            t["peak memory ≤0.4× rdflib (load)"] = _met(load.get("memory_ratio_vs_rdflib"), TARGETS["memory_ratio"], "<=")
        q = s.get("queries", {})
        if q:
            t["queries geomean ≥30×"] = _met(q.get("geomean_speedup_memory_vs_rdflib"), TARGETS["queries_geomean"], ">=") + (
                f"; a lower bound: {len(q['queries_at_cap'])} rdflib runs stopped or skipped at the {results['args']['query_cap']:g} s cap"
                if q.get("geomean_is_lower_bound") else "")
            t["no query slower on Oxigraph"] = "met" if not q.get("slower_on_oxigraph") else \
                "NOT met: " + ", ".join(q["slower_on_oxigraph"])
        v = s.get("validation", {})
        if v:
            t["validation ≥20× pyshacl"] = _met(v.get("speedup"), TARGETS["validation"], ">=", _why(v, "pyshacl"))
            t["validation identical"] = _same(v)
        i = s.get("inference", {})
        if i:
            t["inference ≥20× owlrl"] = _met(i.get("speedup"), TARGETS["inference"], ">=", _why(i, "owlrl"))
            t["inference identical"] = _same(i)
        b = s.get("build")
        if b and s["triples"] >= 900_000:
            for key, unit, target in (("seconds", "s", "build_seconds_1m"), ("peak_rss_mb", "MB", "build_peak_mb_1m")):
                value = b.get("build", {}).get(key)
                t[f"build ≤{TARGETS[target]:g} {unit} at 1M"] = "not measured" if value is None else \
                    f"{'met' if value <= TARGETS[target] else 'NOT met'} ({fmt(value, 1)} {unit})"
        out[label] = t
    return out


def _why(sec: dict, ref: str) -> str:
    for e in (ref, "fast"):
        r = sec.get(e, {})
        if r.get("skipped") or r.get("available") is False or r.get("error"):
            return f"{e}: {secs(r)}"
    return "not measured"


def _met(value, target, op, why="not measured") -> str:
    if value is None:
        return why
    ok = value >= target if op == ">=" else value <= target
    return f"{'met' if ok else 'NOT met'} ({fmt(value, 2)}×)"


def _same(sec: dict) -> str:
    if "identical" not in sec:
        return "not compared (one engine did not run)"
    if sec["identical"]:
        return "identical"
    if sec.get("identical_after_noise_removal"):
        return "identical after noise removal"
    return f"NOT identical ({sec.get('differences')} differences)"


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"# diplograph benchmark — {m['date']}", "",
             f"Command: `{results['command']}`  ",
             (f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} memory, Python {m['python']}, "
              f"load average at start {m.get('loadavg_at_start')}  "),
             "Libraries: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + f", {m.get('oxigraph_cli')}", "",
             ("Seconds are the engine's own work. Validation and inference: each engine is given the data already "
              "parsed into its own store (an rdflib Graph for pyshacl and owlrl, the default graph of a pyoxigraph "
              "Store for the fast engines, which is how the memory store holds it); parsing excluded for both. "
              "The fast-rdflib rows give the fast engines the rdflib graph instead and include the copy. "
              "peak RSS is the whole worker process (Python, libraries and inputs included), one process per engine."), ""]
    for label, s in results["sizes"].items():
        lines += [f"## {label} ({s['triples']:,} world triples; + ontology and reference graphs)", "",
                  "| section | engine | seconds | peak RSS MB | ratio | notes |", "|---|---|---:|---:|---|---|"]
        load = s.get("load")
        if load:
            for e, note in (("rdflib", "Dataset.parse (Turtle)"), ("memory", "diplograph memory store (Oxigraph via oxrdflib)"),
                            ("pyoxigraph", "raw Store.bulk_load")):
                r = load.get(e, {})
                rat = {"memory": f"{fmt(load.get('speedup_vs_rdflib'))}× faster than rdflib; {fmt(load.get('slowdown_vs_pyoxigraph'), 2)}× raw pyoxigraph; memory {fmt(load.get('memory_ratio_vs_rdflib'), 2)}× rdflib"}.get(e, "")
                lines.append(f"| load | {e} | {secs(r)} | {fmt(r.get('peak_rss_mb'), 0)} | {rat} | {note}, {r.get('quads', '')} quads |")
        v = s.get("validation")
        if v:
            for e in ("pyshacl", "fast", "fast-rdflib"):
                r = v.get(e, {})
                rat = {"fast": f"{fmt(v.get('speedup'))}× faster; {_same(v)}",
                       "fast-rdflib": f"{fmt(v.get('speedup_from_rdflib_graph'))}× faster; "
                                      f"{'identical' if v.get('identical_from_rdflib_graph') else 'DIFFERENT'}"}.get(e, "")
                note = f"{r.get('Violation')} violations, {r.get('Warning')} warnings, {r.get('Info')} infos" if "results" in r else ""
                note += {"fast": "; data given in Oxigraph", "fast-rdflib": "; data given as the rdflib graph (copy timed)"}.get(e, "")
                lines.append(f"| validation | {e} | {secs(r)} | {fmt(r.get('peak_rss_mb'), 0)} | {rat} | {note} |")
        i = s.get("inference")
        if i:
            for e in ("owlrl", "fast", "fast-rdflib"):
                r = i.get(e, {})
                rat = {"fast": f"{fmt(i.get('speedup'))}× faster; {_same(i)}",
                       "fast-rdflib": f"{fmt(i.get('speedup_from_rdflib_graph'))}× faster; "
                                      f"{'same triples as fast' if i.get('fast_inputs_agree') else 'DIFFERENT from fast'}"}.get(e, "")
                note = f"{r.get('kept')} triples kept" if "kept" in r else ""
                note += {"fast": "; data given in Oxigraph", "fast-rdflib": "; data given as the rdflib graph (copy timed)"}.get(e, "")
                lines.append(f"| inference | {e} | {secs(r)} | {fmt(r.get('peak_rss_mb'), 0)} | {rat} | {note} |")
        q = s.get("queries")
        if q:
            for e in ("rdflib", "memory", "server"):
                r = q["engines"].get(e, {})
                tot = sum((v.get(e if e != "server" else "server", {}) or {}).get("seconds") or 0 for v in q["queries"].values())
                rat = {"memory": f"geomean {fmt(q.get('geomean_speedup_memory_vs_rdflib'))}× faster than rdflib",
                       "server": f"geomean {fmt(q.get('geomean_speedup_server_vs_rdflib'))}× (diplograph serve), "
                                 f"{fmt(q.get('geomean_speedup_server_direct_vs_rdflib'))}× (Oxigraph's server)"}.get(e, "")
                note = f"sum of medians over {len(q['queries'])} queries"
                if e == "server":
                    note += f"; largest engine process peak {fmt(r.get('server_peak_rss_mb'), 0)} MB; load into disk store {fmt(r.get('prepare_db_seconds'), 1)} s"
                lines.append(f"| queries | {e} | {fmt(tot, 3)} | {fmt(r.get('peak_rss_mb'), 0)} | {rat} | {note}{'; ' + r['error'][:80] if r.get('error') else ''} |")
        mg = s.get("merge")
        if mg:
            for e in ("naive", "merge"):
                r = mg.get(e, {})
                rat = f"{fmt(mg.get('merge_vs_naive_time'), 2)}× the naive time" if e == "merge" else ""
                note = f"{mg['graphs']} graphs × {mg['triples_per_graph']} triples; {r.get('quads')} quads"
                if e == "merge" and "rewrites" in r:
                    note += f", {r['rewrites']} rewrites, {r['conflicts']} conflicts"
                lines.append(f"| merge | {e} | {secs(r)} | {fmt(r.get('peak_rss_mb'), 0)} | {rat} | {note} |")
        bd = s.get("build")
        if bd:
            for e, note in (("build", "`diplograph build --engine fast`, world + seed, every output written"),
                            ("floor", "raw pyoxigraph bulk load + fast engines + named queries + N-Quads dump")):
                r = bd.get(e, {})
                rat = f"{fmt(bd.get('build_vs_floor_time'), 2)}× the floor" if e == "build" else ""
                stages = ", ".join(f"{k} {v:.1f}" for k, v in (r.get("stages") or {}).items())
                lines.append(f"| build | {e} | {secs(r)} | {fmt(r.get('peak_rss_mb'), 0)} | {rat} | {note}; {stages} |")
        lines.append("")
        if q:
            lines += ["Named queries (median seconds; rows on the Oxigraph store):", "",
                      "| query | rows | rdflib | memory (Oxigraph) | diplograph serve | Oxigraph's server | speed-up memory/rdflib |",
                      "|---|---:|---:|---:|---:|---:|---:|"]
            for name, v in q["queries"].items():
                def cell(e, v=v):
                    x = v.get(e, {})
                    if x.get("error"):
                        return ("capped" if "capped" in x["error"] else "skipped (est. over cap)"
                                if "skipped" in x["error"] else "error")
                    return fmt(x.get("seconds"), 4) if x.get("seconds") is not None else "–"
                sp = v.get("speedup_memory_vs_rdflib")
                sp_text = fmt(sp) if sp is not None else (f"> {fmt(v['speedup_memory_vs_rdflib_lower_bound'])}"
                                                          if v.get("speedup_memory_vs_rdflib_lower_bound") else "–")
                flag = "" if v["same_rows"] else " ≠ rows: " + ", ".join(f"{e} {n}" for e, n in v.get("rows_by_engine", {}).items())
                lines.append(f"| {name}{' (check)' if v['check'] else ''} | {v.get('memory', {}).get('rows', '–')} | "
                             f"{cell('rdflib')} | {cell('memory')} | {cell('server')} | {cell('server-direct')} | {sp_text}{flag} |")
            lines.append("")
    for hlabel, h in (results.get("html") or {}).items():
        lines += [f"## HTML projection of the {hlabel} world ({h['world_triples']:,} triples)", "",
                  "| page | nodes | edges | build s | peak RSS MB | HTML MB | interactive in Chromium s |", "|---|---:|---:|---:|---:|---:|---|"]
        b = h.get("browser", {})
        for e in ("diplograph", "pyvis"):
            r = h.get(e, {})
            br = b.get(e) if isinstance(b.get(e), dict) else None
            ready = (b.get("skipped") and f"skipped ({b['skipped']})") or (
                br and (fmt(br.get("ready_s"), 2) if br.get("settled") else f"did not settle in {results['args'].get('browser_cap'):g} s")) or "–"
            lines.append(f"| {'diplograph viz' if e == 'diplograph' else 'pyvis default'} | {r.get('nodes')} | {r.get('edges')} | "
                         f"{secs(r)} | {fmt(r.get('peak_rss_mb'), 0)} | {fmt((r.get('html_bytes') or 0) / 1e6, 2)} | {ready} |")
        lines.append(f"\nProjection of the dataset to the network: {fmt(h.get('diplograph', {}).get('projection_seconds'), 2)} s.\n")
    if results.get("import"):
        lines += ["## Import of coded event data (invented ICEWS rows)", "",
                  ("`diplograph import icews` (the library call behind it, codebook and country tables loaded "
                   "included) beside the floor measured in the same run: reading the rows with the csv module plus "
                   "bulk-loading the triples the import produced, as N-Triples, into a pyoxigraph store on disk. "
                   "Target: within 3× of the floor; peak RSS that does not grow with the file (at most 500 MB at 1M rows)."), "",
                  "| rows | triples | import s | floor s (csv + bulk load) | ratio | import peak RSS MB | floor peak RSS MB |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        for label, r in results["import"].items():
            d, f = r.get("diplograph", {}), r.get("floor", {})
            floor_text = f"{secs(f)} ({fmt(f.get('csv_seconds'), 2)} + {fmt(f.get('bulk_load_seconds'), 2)})"
            lines.append(f"| {label} | {f.get('triples', '–')} | {secs(d)} | {floor_text} | {fmt(r.get('ratio_vs_floor'), 2)} | "
                         f"{fmt(d.get('peak_rss_mb'), 0)} | {fmt(f.get('peak_rss_mb'), 0)} |")
        lines.append("")
    if results.get("summary"):
        lines += ["## Targets", "", "| size | target | result |", "|---|---|---|"]
        for label, t in results["summary"].items():
            for k, v in t.items():
                lines.append(f"| {label} | {k} | {v} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k", help="comma-separated world sizes in triples (10k,100k,1M)")
    ap.add_argument("--quick", action="store_true", help="one run per query, 20 graphs to merge, no browser")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sections", default=",".join(s for s in SECTIONS if s not in OPT_IN),
                    help="comma-separated; default every section but " + ", ".join(OPT_IN))
    ap.add_argument("--network-triples", type=int, default=420_000,
                    help="network: the synthetic world whose projection is drawn (420k: about 5,000 nodes)")
    ap.add_argument("--network-world", help="network: a project whose world overview is written as build does (e.g. a 1M world)")
    ap.add_argument("--cap", type=float, default=900.0, help="skip a reference engine estimated to take longer (s)")
    ap.add_argument("--query-cap", type=float, default=120.0, help="stop one query run after this many seconds")
    ap.add_argument("--reps", type=int, default=5, help="timed runs per query after the first (fewer if slow)")
    ap.add_argument("--browser-cap", type=float, default=60.0, help="seconds a page may take to become interactive")
    ap.add_argument("--html-sizes", default="10k,100k", help="worlds whose projection is drawn (--quick: the first size)")
    ap.add_argument("--import-rows", default="100k,1M", help="sizes of the invented ICEWS files to import (--quick: the smallest)")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--estimate-from", help="a results JSON whose pyshacl/owlrl times seed the skip estimates")
    ap.add_argument("--out", default=str(RESULTS), help="folder for the results (default bench/results)")
    ap.add_argument("--cache", default=str(CACHE), help="folder for generated worlds and merge inputs (reused)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker_main(json.loads(args.worker))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")
    Bench(args).run(sizes, sections)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
