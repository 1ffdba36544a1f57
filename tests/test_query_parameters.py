"""`diplograph query --param/--lang/--data`, headerless query files, and labels one per thing.

Through the real command line (``run_cli``) where a user would see it; the label rule also on the
library, for every competency query on both engines.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from conftest import run_cli
from diplograph.errors import QueryError
from diplograph.iris import graph_iri
from diplograph.queries import list_queries, run_query
from diplograph.query_parameters import bind, parameters
from diplograph.store import STORES, add_graph

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "graphs" / "china-azerbaijan-2024.ttl"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


def rows(proc) -> list[list[str]]:
    assert proc.returncode == 0, proc.stderr
    return list(csv.reader(io.StringIO(proc.stdout)))


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> Path:
    """The seed merged with a China–Kazakhstan fixture whose meeting is part of a visit part of the summit."""
    out = tmp_path_factory.mktemp("merge") / "merged.trig"
    proc = run_cli("merge", str(SEED), str(FIXTURES / "queries" / "china-kazakhstan-via-visit.ttl"), "-o", str(out), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out


# --- --param ------------------------------------------------------------------------------


def test_list_shows_each_parameter_with_its_default():
    proc = run_cli("query", "--list", cwd=ROOT, env={"COLUMNS": "400"})
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("│ partners "))
    assert "state=id:state/CHN" in line and "lang=en" in line


def test_param_replaces_the_values_line():
    everything = rows(run_cli("query", "events", "-f", "csv", cwd=ROOT))
    summits = rows(run_cli("query", "events", "-f", "csv", "--param", "class=Summit", cwd=ROOT))
    assert {r[1] for r in everything[1:]} == {"meeting", "summit", "visit", "press conference"}
    assert [r[1] for r in summits[1:]] == ["summit"]
    two = rows(run_cli("query", "events", "-f", "csv", "-p", "class=dg:Summit", "-p", "class=Visit", cwd=ROOT))
    assert sorted({r[1] for r in two[1:]}) == ["summit", "visit"]


def test_param_on_a_merge_with_data(merged):
    default = rows(run_cli("query", "partners", "--data", str(merged), "-f", "csv", cwd=ROOT))
    kaz = rows(run_cli("query", "partners", "--data", str(merged), "-f", "csv", "-p", "state=KAZ", cwd=ROOT))
    assert [r[1] for r in default[1:]] == ["Azerbaijan", "Kazakhstan"]
    assert [r[1] for r in kaz[1:]] == ["China"]
    # the level comes out as its label, from the project's ontology (the merge holds data only)
    assert kaz[1][3] == "comprehensive strategic partnership"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-p", "stat=KAZ"], "has no parameter 'stat' (did you mean 'state'?); its parameters: state, lang"),
        (["-p", "state=not an iri"], "--param state='not an iri': not an IRI or a short name like 'CHN'"),
        (["-p", "state"], "--param 'state' is not of the form NAME=VALUE"),
        (["--lang", "not a tag!"], "--param lang='not a tag!': not a language tag"),
    ],
)
def test_a_bad_parameter_is_one_error_line(args, expected):
    proc = run_cli("query", "partners", *args, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and expected in proc.stderr and "Traceback" not in proc.stderr


def test_values_in_a_comment_or_a_string_is_left_alone():
    text = (
        "PREFIX dg: <https://w3id.org/diplograph/ns#>\n"
        "# VALUES ?s { dg:A }\n"
        'SELECT ?s ?x WHERE { BIND ("VALUES ?s { dg:A }" AS ?x) VALUES ?s { dg:A } }\n'
    )
    bound = bind(text, [("s", "B")])
    assert "# VALUES ?s { dg:A }\n" in bound and '"VALUES ?s { dg:A }"' in bound
    assert bound.endswith("VALUES ?s { <https://w3id.org/diplograph/ns#B> } }\n")
    assert [(p.name, [str(d) for d in p.defaults]) for p in parameters(bound)] == [
        ("s", ["https://w3id.org/diplograph/ns#B"])]


def test_a_two_variable_block_takes_one_value_per_variable():
    text = (ROOT / "queries" / "shared-organisations.rq").read_text(encoding="utf-8")
    bound = bind(text, [("stateB", "CHN")])
    assert {p.name: p.defaults for p in parameters(bound)}["stateA"][0].endswith("/state/AZE")
    assert {p.name: p.defaults for p in parameters(bound)}["stateB"][0].endswith("/state/CHN")
    with pytest.raises(QueryError, match="shares its VALUES block"):
        bind(text, [("stateB", "CHN"), ("stateB", "KAZ")])


# --- query files of one's own and --data ------------------------------------------------


def test_a_query_file_without_header_runs(tmp_path):
    own = tmp_path / "count-states.rq"
    own.write_text("PREFIX dg: <https://w3id.org/diplograph/ns#>\n"
                   "SELECT (COUNT(DISTINCT ?s) AS ?states) WHERE { ?s a dg:State }\n", encoding="utf-8")
    result = rows(run_cli("query", str(own), "-f", "csv", cwd=ROOT))
    assert result[0] == ["states"] and int(result[1][0]) > 190


def test_a_query_without_header_in_queries_is_still_refused(project_dir):
    (project_dir / "queries").mkdir(exist_ok=True)
    (project_dir / "queries" / "bare.rq").write_text("SELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    proc = run_cli("query", str(project_dir / "queries" / "bare.rq"), cwd=project_dir, home=project_dir)
    assert proc.returncode == 2 and "missing header line '#+ summary" in proc.stderr


def test_met_at_summit_follows_part_of_event_chains_without_infer(merged):
    result = rows(run_cli("query", "met-at-summit", "--data", str(merged), "-f", "csv", cwd=ROOT))
    assert [r[1] for r in result[1:]] == ["Kassym-Jomart Tokayev", "Ilham Aliyev"]


def test_data_refuses_options_for_the_project(merged):
    proc = run_cli("query", "partners", "--data", str(merged), "--infer", cwd=ROOT)
    assert proc.returncode == 2 and "--data queries the file alone" in proc.stderr


def test_data_file_that_is_not_rdf_is_one_error_line(tmp_path):
    bad = tmp_path / "broken.trig"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    proc = run_cli("query", "partners", "--data", str(bad), cwd=ROOT)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "broken.trig" in proc.stderr


# --- labels: one per thing, in the language asked for ------------------------------------


def test_lang_picks_the_label_language_with_a_fallback():
    en = rows(run_cli("query", "memberships", "-f", "csv", cwd=ROOT))
    fr = rows(run_cli("query", "memberships", "-f", "csv", "--lang", "fr", cwd=ROOT))
    assert len(en) == len(fr)
    assert "Azerbaijan" in {r[0] for r in en} and "Azerbaïdjan" in {r[0] for r in fr}
    # statuses are labelled in English only: the fallback, not an empty cell
    assert {r[2] for r in fr[1:]} == {r[2] for r in en[1:]} and "" not in {r[2] for r in fr[1:]}


@pytest.fixture(scope="module")
def multilingual():
    """The project's dataset where every labelled thing without a French label gets one (a fixture)."""
    from diplograph.dataset import assemble
    from diplograph.project import Project

    datasets = {}
    for store in STORES:
        assembled = assemble(Project(ROOT), store=store)
        labels = list(assembled.dataset.subject_objects(RDFS.label))
        has_fr = {s for s, o in labels if isinstance(o, Literal) and o.language == "fr"}
        extra = Graph()
        for s, o in labels:
            if s not in has_fr and isinstance(o, Literal) and o.language in (None, "en"):
                extra.add((s, RDFS.label, Literal(f"{o} (fr)", lang="fr")))
        add_graph(assembled.dataset, graph_iri("source", "french-labels-fixture"), extra)
        datasets[store] = assembled
    return datasets


COMPETENCY = [q for q in list_queries(ROOT / "queries")
              if not q.is_check and not {"merge", "inference", "coded"} & set(q.tags)]
# (coded queries answer on imported event data: tests/test_coded_queries.py checks them)


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("query", COMPETENCY, ids=lambda q: q.name)
def test_more_labels_never_mean_more_rows(query, store, multilingual):
    if store == "rdflib" and query.name == "trade-year-over-year":
        pytest.xfail("rdflib issues #2610/#2957 (see test_queries.RDFLIB_WRONG)")
    golden = list(csv.reader((GOLDEN / f"{query.name}.csv").open(encoding="utf-8", newline="")))[1:]
    assert run_query(multilingual[store], query).as_strings() == [tuple(r) for r in golden]
    if any(p.name == "lang" for p in parameters(query.text)):
        french = run_query(multilingual[store], bind(query.text, [("lang", "fr")]))
        assert len(french) == len(golden)


def test_data_reads_n_quads_too(tmp_path):
    nquads = tmp_path / "merged.nq"
    proc = run_cli("merge", str(SEED), str(FIXTURES / "queries" / "china-kazakhstan-via-visit.ttl"), "-o", str(nquads), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    result = rows(run_cli("query", "partners", "--data", str(nquads), "-f", "csv", cwd=ROOT))
    assert [(r[1], r[3]) for r in result[1:]] == [
        ("Azerbaijan", "strategic partnership"), ("Kazakhstan", "comprehensive strategic partnership")]


def test_lang_on_a_query_without_labels_says_it_changes_nothing():
    proc = run_cli("query", "sources", "-f", "csv", "--lang", "fr", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "note: this query has no ?lang parameter (its labels are not chosen by language); --lang changes nothing\n"
    assert proc.stdout == run_cli("query", "sources", "-f", "csv", cwd=ROOT).stdout


def test_param_works_on_sparql_text_too():
    text = 'SELECT ?x WHERE { VALUES ?x { "a" } }'
    proc = run_cli("query", "--sparql", text, "-f", "csv", "-p", "x=b", cwd=ROOT)
    assert rows(proc) == [["x"], ["b"]]
