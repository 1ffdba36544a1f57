"""Every command sees the one dataset `build` writes: the same entities, the same triples.

A copy of the project gets a second relationship written by someone else with other IRIs for
the shared entities (tests/fixtures/merge/china-kazakhstan.ttl, a test fixture: its China, Xi
Jinping and SCO are spelt differently). Reconciled, the dataset holds 5 people and one China;
not reconciled, a command would count 6 people and draw China twice. Each command is run through
the real entry point, its output read back, and compared with `out/dataset.nq`:

- query (on the memory, rdflib and on-disk Oxigraph stores), summary, stats: triples per named
  graph and instances per class;
- viz: the entities drawn, against the page `build` drew;
- validate: the triples it checked, against the data graphs of dataset.nq;
- a query over HTTP through `diplograph serve`, and `push` to a server followed by
  `query --endpoint`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from conftest import run_cli
from diplograph.namespaces import DG
from server_util import Served, http

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "merge" / "china-kazakhstan.ttl"
INFERRED = "https://w3id.org/diplograph/graph/inferred"
GRAPHS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
CLASSES_QUERY = (f'SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "{DG}")) }} '
                 "GROUP BY ?c")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("one-dataset") / "project"
    for part in ("ontology", "graphs", "queries", "reference", "sources", "vendor"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(FIXTURE, root / "graphs" / FIXTURE.name)
    return root


@pytest.fixture(scope="module")
def built(project: Path) -> dict:
    """What `diplograph build` wrote: triples per graph and instances per class of out/dataset.nq."""
    result = run_cli("build", cwd=project, home=project)
    assert result.returncode == 0, result.stderr
    ds = Dataset()
    ds.parse(project / "out" / "dataset.nq", format="nquads")
    graphs = {str(g.identifier): len(g) for g in ds.graphs() if len(g) and str(g.identifier) != INFERRED}
    asserted = [g for g in ds.graphs() if len(g) and str(g.identifier) != INFERRED]
    instances: dict[str, set] = {}
    for g in asserted:
        for s, c in g.subject_objects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")):
            if str(c).startswith(str(DG)):
                instances.setdefault(str(c), set()).add(s)
    data = set()
    for g in asserted:
        if "/graph/source/" in str(g.identifier) or "/graph/reference/" in str(g.identifier):
            data |= set(g)
    return {
        "graphs": graphs,
        "classes": {c: len(s) for c, s in instances.items()},
        "data_triples": len(data),
        "page": page_entities((project / "out" / "network.html").read_text(encoding="utf-8")),
    }


def csv_rows(text: str) -> dict[str, int]:
    rows = list(csv.reader(io.StringIO(text)))
    return {key: int(n) for key, n in rows[1:]}


def page_entities(html: str) -> Counter:
    block = re.search(r'<script type="application/json" id="diplograph-data">(.*?)</script>', html, re.S)
    nodes = json.loads(block.group(1))["nodes"]
    return Counter((n["kind"], n["full"]) for n in nodes)


def table_counts(text: str, heading: str) -> dict[str, int]:
    """Rows ``│ name │ … │ n │`` of the rich table printed under ``heading``, names shortened as printed."""
    lines = text.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("┡")) + 1  # the line under the header
    found = {}
    for line in lines[start:]:
        if not line.startswith("│"):
            break
        cells = [c.strip() for c in line.strip("│").split("│")]
        found[cells[0]] = int(cells[-1])
    return found


def short(iri: str) -> str:
    from diplograph.terms import shorten

    return shorten(URIRef(iri))


def test_the_fixture_makes_the_difference(built):
    # The point of the test: reconciled, there are 5 people and one node per state.
    assert built["classes"][str(DG.Person)] == 5
    assert built["page"][("state", "China")] == 1 and built["page"][("person", "Xi Jinping")] == 1


@pytest.mark.parametrize("store", ["memory", "rdflib", "oxigraph"])
def test_query_sees_the_dataset_build_wrote(project, built, store, tmp_path):
    args = ("--store", store) + (("--db", str(tmp_path / "db")) if store == "oxigraph" else ())
    graphs = run_cli("query", "--sparql", GRAPHS_QUERY, "--format", "csv", *args, cwd=project, home=project)
    classes = run_cli("query", "--sparql", CLASSES_QUERY, "--format", "csv", *args, cwd=project, home=project)
    assert graphs.returncode == 0 and classes.returncode == 0, graphs.stderr + classes.stderr
    assert csv_rows(graphs.stdout) == built["graphs"]
    assert csv_rows(classes.stdout) == built["classes"]


def test_summary_and_stats_see_the_dataset_build_wrote(project, built):
    summary = run_cli("summary", cwd=project, home=project)
    stats = run_cli("stats", cwd=project, home=project)
    assert summary.returncode == 0 and stats.returncode == 0, summary.stderr + stats.stderr
    expected_graphs = {short(g): n for g, n in built["graphs"].items()}
    expected_classes = {short(c): n for c, n in built["classes"].items()}
    assert table_counts(summary.stdout, "Named graphs") == expected_graphs
    assert table_counts(summary.stdout, "Instances per dg: class") == expected_classes
    assert table_counts(stats.stdout, "Triples per named graph") == expected_graphs
    stats_classes = table_counts(stats.stdout, "Instances per class")
    assert {c: n for c, n in stats_classes.items() if c.startswith("dg:")} == expected_classes


def test_viz_draws_what_build_drew(project, built, tmp_path):
    result = run_cli("viz", "-o", str(tmp_path / "page.html"), cwd=project, home=project)
    assert result.returncode == 0, result.stderr
    assert page_entities((tmp_path / "page.html").read_text(encoding="utf-8")) == built["page"]


def test_validate_checks_the_data_build_wrote(project, built):
    result = run_cli("validate", cwd=project, home=project)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert f"({built['data_triples']} triples)" in summary, summary


def test_a_query_over_http_through_serve_sees_the_dataset(project, built, tmp_path):
    server = Served(tmp_path, home=project)
    try:
        for query, expected in ((GRAPHS_QUERY, built["graphs"]), (CLASSES_QUERY, built["classes"])):
            status, body = http(f"{server.base}/query", data=query.encode(),
                                headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
            assert status == 200, body
            assert csv_rows(body.replace("\r\n", "\n")) == expected
    finally:
        server.stop()


def test_push_then_query_endpoint_sees_the_dataset(project, built, tmp_path):
    server = Served(tmp_path, "--allow-update", home=ROOT)  # a server holding the seed project only
    try:
        pushed = run_cli("push", "--endpoint", server.base, cwd=project, home=project)
        assert pushed.returncode == 0, pushed.stderr
        for query, expected in ((GRAPHS_QUERY, built["graphs"]), (CLASSES_QUERY, built["classes"])):
            result = run_cli("query", "--sparql", query, "--format", "csv", "--endpoint", server.base,
                             cwd=project, home=project)
            assert result.returncode == 0, result.stderr
            assert csv_rows(result.stdout) == expected
    finally:
        server.stop()
