"""Every store backend loads the seed project and answers the same SPARQL the same way.

Backends: memory (Oxigraph in memory), rdflib (pure Python, the reference), oxigraph (on disk,
persistent between processes). The remote backend (sparql) is tested against a real server in
test_server.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest import run_cli
from diplograph.dataset import MANIFEST_FILE, assemble
from diplograph.errors import EndpointError, ParseError, StoreChoiceError, StoreLocationError
from diplograph.iris import graph_iri
from diplograph.queries import run_query
from diplograph.store import StoreSpec, new_dataset, plain_graph, store_spec

ROOT = Path(__file__).resolve().parents[1]
SEED = graph_iri("source", "china-azerbaijan-2024")

# Written for these tests (the named queries have their own golden tests in test_queries.py).
QUERIES = {
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "states-with-names": """
        PREFIX dg: <https://w3id.org/diplograph/ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?s WHERE { ?s a dg:State ; rdfs:label ?l } """,
    "classes-in-seed": f"SELECT DISTINCT ?c WHERE {{ GRAPH <{SEED}> {{ ?s a ?c }} }}",
    "distinct-triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "optional-literals": f"""
        SELECT DISTINCT ?s ?o WHERE {{ GRAPH <{SEED}> {{ ?s ?p ?o FILTER(isLiteral(?o)) }}
                                       OPTIONAL {{ ?s a ?t }} }}""",
}


def answer(dataset, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in dataset.query(query))


@pytest.fixture(scope="module")
def reference_answers(project_datasets) -> dict[str, list]:
    return {name: answer(project_datasets.get("rdflib").dataset, q) for name, q in QUERIES.items()}


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_every_store_answers_like_rdflib(project_datasets, store, name, reference_answers):
    loaded = project_datasets.get(store)
    assert loaded.store == store
    assert answer(loaded.dataset, QUERIES[name]) == reference_answers[name]
    assert reference_answers[name]  # the query found something


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_every_store_maps_graphs_to_the_same_files(project_datasets, store):
    assert project_datasets.get(store).graph_files == project_datasets.get("rdflib").graph_files
    assert len(project_datasets.get(store).graph_files) == 8  # ontology, shapes, 5 reference, the seed


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_plain_graph_is_identical_on_every_store(project_datasets, store):
    mine = plain_graph(project_datasets.get(store).dataset, [SEED])
    assert type(mine) is Graph
    assert set(mine) == set(plain_graph(project_datasets.get("rdflib").dataset, [SEED]))  # rdflib's literal form


def test_parse_errors_are_the_same_on_every_store(store_kind, project):
    (project.graphs_dir / "meeting.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    with pytest.raises(ParseError) as info:
        assemble(project, store=store_kind)
    assert str(info.value).endswith("meeting.ttl:2: bad syntax: " + str(info.value).split("bad syntax: ", 1)[1])
    assert ":2:" in str(info.value)


# --- choosing a store ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        (("oxigraph",), ("needs-location", "oxigraph", "db")),
        (("sparql",), ("needs-location", "sparql", "endpoint")),
        (("rdflib", "DB"), ("location-not-used", "rdflib", "db")),
        (("nope",), ("unknown-kind", "nope", None)),
    ],
)
def test_store_spec_rules(tmp_path, args, fields):
    assert store_spec().kind == "memory"
    assert store_spec(db=tmp_path / "x").kind == "oxigraph"
    assert store_spec(endpoint="http://127.0.0.1:1/query").kind == "sparql"
    kind, *rest = args
    with pytest.raises(StoreChoiceError) as info:
        store_spec(kind, db=tmp_path if rest else None)
    assert (info.value.problem, info.value.kind, info.value.location) == fields
    assert "--" not in str(info.value)  # only the command line names options


def test_db_that_is_not_an_oxigraph_store(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(StoreLocationError, match="not an Oxigraph database"):
        new_dataset(StoreSpec("oxigraph", db=tmp_path))
    with pytest.raises(StoreLocationError, match="is a file"):
        new_dataset(StoreSpec("oxigraph", db=tmp_path / "notes.txt"))


def test_unreachable_endpoint_names_the_url():
    with pytest.raises(EndpointError, match=r"^http://127\.0\.0\.1:9/query: cannot reach the server"):
        new_dataset(StoreSpec("sparql", endpoint="http://127.0.0.1:9/query", timeout=5))


def test_cli_store_errors_are_one_line_exit_2(tmp_path):
    (tmp_path / "file").write_text("x")
    cases = {
        ("--store", "oxigraph"): "--store oxigraph needs --db PATH",
        ("--store", "rdflib", "--db", str(tmp_path / "db")): "--db is only used with --store oxigraph, not --store rdflib",
        ("--store", "sparql"): "--store sparql needs --endpoint URL",
        ("--store", "nope"): "--store 'nope': choose one of memory, rdflib, oxigraph, sparql",
        ("--endpoint", "http://127.0.0.1:9/query"): "http://127.0.0.1:9/query: cannot reach",
        ("--db", str(tmp_path / "file")): "is a file",
    }
    for args, expected in cases.items():
        result = run_cli("summary", *args, cwd=tmp_path, home=ROOT)
        build = run_cli("build", "--out", str(tmp_path / "out"), *args, cwd=tmp_path, home=ROOT)
        assert build.returncode == 2 and build.stderr == result.stderr, (args, build.stderr)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], (args, result.stderr)


# --- the on-disk store persists ---------------------------------------------------------


def test_oxigraph_db_persists_across_processes(tmp_path):
    db = tmp_path / "db"
    first = run_cli("summary", "--store", "oxigraph", "--db", str(db), cwd=tmp_path, home=ROOT)
    assert first.returncode == 0, first.stderr
    assert (db / MANIFEST_FILE).is_file()
    # A second process, with no project at all, reads the triples the first one stored.
    script = (
        "import sys, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]);"
        "print(len(list(s.query('SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }'))))"
    )
    second = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert int(second.stdout) == 9  # ontology, shapes, 5 reference graphs, the seed, graph/meta
    again = run_cli("summary", "--db", str(db), cwd=tmp_path, home=ROOT)
    assert again.returncode == 0, again.stderr
    assert first.stdout.splitlines()[-1] == again.stdout.splitlines()[-1]  # "N distinct triples in 8 named graphs"


def test_oxigraph_db_is_reused_while_its_inputs_are_unchanged(project, tmp_path):
    db = tmp_path / "db"
    spec = StoreSpec("oxigraph", db=db)
    marker = ox.Quad(ox.NamedNode("http://example.org/m"), ox.NamedNode("http://example.org/p"),
                     ox.Literal("marker"), ox.NamedNode(str(graph_iri("source", "meeting"))))
    inferred = ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
                       ox.Literal("kept"), ox.NamedNode(str(graph_iri("inferred"))))
    stored = "SELECT ?o WHERE { <http://example.org/m> ?p ?o }"
    unasked = "SELECT ?o WHERE { <http://example.org/x> ?p ?o }"

    import gc

    assemble(project, store=spec)  # first assembly; not kept, so the folder's lock is released
    gc.collect()
    raw = ox.Store(str(db))
    raw.add(marker)  # a triple no file has: survives only if the graphs are not assembled again
    raw.add(inferred)  # an inferred graph nobody asked for in the next run
    del raw
    gc.collect()
    loaded = assemble(project, store=spec)
    assert len(run_query(loaded, stored)) == 1  # unchanged inputs: the stored graphs, as they are
    assert len(run_query(loaded, unasked)) == 0  # kept in the folder, but not part of this dataset
    assert loaded.query_graphs == loaded.view
    del loaded
    gc.collect()
    meeting = project.graphs_dir / "meeting.ttl"
    meeting.write_text(meeting.read_text() + "\n# edited\n")
    loaded = assemble(project, store=spec)
    assert len(run_query(loaded, stored)) == 0  # a changed input: the dataset is assembled again
    assert graph_iri("inferred") not in {g.identifier for g in loaded.dataset.graphs() if len(g)}  # stale: dropped
    assert len(loaded.dataset.graph(graph_iri("source", "meeting"))) == 6
    assert loaded.query_graphs is None


def test_second_writer_on_a_db_gets_a_clear_error(tmp_path):
    db = tmp_path / "db"
    holder = new_dataset(StoreSpec("oxigraph", db=db))
    script = (
        "from diplograph.store import new_dataset, StoreSpec\n"
        "from diplograph.errors import StoreLocationError\n"
        "import sys\n"
        "try:\n    new_dataset(StoreSpec('oxigraph', db=sys.argv[1]))\n"
        "except StoreLocationError as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=60)
    assert "in use by another process" in result.stdout, result.stderr
    del holder
