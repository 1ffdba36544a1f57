"""The engines' copy of the data made while the merge works (``assemble(on_data_staged=…)``):
``build`` with the fast engines copies the staged data graphs in a thread while the merge
reconciles them, and the merge's changes are replayed on the copy. The copy must hold exactly what
the finished dataset's data graphs hold: IRIs rewritten by the merge (a second relationship written
with other IRIs, a test fixture) and the coarser of two agreeing dates taken out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rdflib import Graph, Literal, URIRef

from diplograph.dataset import assemble
from diplograph.iris import graph_iri
from diplograph.project import Project
from diplograph.store import Staging, add_graph, distinct_triples_with, plain_graph, store_spec, working_store
from diplograph.store import oxigraph as store_oxigraph
from diplograph.summary import distinct_triples
from diplograph.threads import Beside

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "merge" / "china-kazakhstan.ttl"
REFINING = Path(__file__).parent / "fixtures" / "precision" / "china-kazakhstan-2024.ttl"  # gives a finer date


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("project")
    for part in ("ontology", "graphs", "queries"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(FIXTURE, root / "graphs")
    shutil.copy(REFINING, root / "graphs")
    return Project(root)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_copy_made_while_the_merge_works_holds_the_merged_data(project, store, tmp_path):
    calls = []
    spec = store_spec(store, db=tmp_path / "db" if store == "oxigraph" else None)
    assembled = assemble(project, store=spec, on_data_staged=lambda names, copy: calls.append((names, Beside(copy, name="copy"))))
    assert len(calls) == 1
    names, making = calls[0]
    copy = making.result()
    assert names == assembled.data_graphs and len(names) >= 3
    assert assembled.merge.rewrites  # the fixture's IRIs were rewritten after the copy had read the graphs
    assert assembled.merge.refinements  # and coarser dates taken out
    expected = working_store(assembled.dataset, assembled.data_graphs)
    assert len(copy) == len(expected) > 1000
    assert set(copy.triples()) == set(expected.triples())


def test_no_copy_is_offered_where_the_merge_is_not_in_oxigraph(project):
    calls = []
    assemble(project, store="rdflib", on_data_staged=lambda names, copy: calls.append(names))
    assert calls == []


def test_a_merge_that_fails_leaves_no_copy_waiting(project, tmp_path, monkeypatch):
    """An error after the copy was started, before the graphs are final (here while dates are compared):
    the copy's thread ends, with None."""
    import diplograph.merge.in_oxigraph as merge

    def broken(*_args, **_kwargs):
        raise RuntimeError("comparing dates failed")

    monkeypatch.setattr(merge, "find_refinements", broken)
    calls = []
    with pytest.raises(RuntimeError, match="comparing dates failed"):
        assemble(project, store="memory", on_data_staged=lambda names, copy: calls.append(Beside(copy, name="copy")))
    assert len(calls) == 1
    assert calls[0].wait(30) and calls[0].result() is None


def _staging_of(graphs: dict[str, list[tuple]]) -> Staging:
    staging = Staging()
    for name, triples in graphs.items():
        staging.add_triples(URIRef(name), triples)
    return staging


A, B, C = (URIRef(f"urn:x-fixture:{n}") for n in "abc")
P = URIRef("urn:x-fixture:p")


def test_changes_made_while_the_copy_loads_are_replayed_on_the_union():
    """A rewrite made after the graphs were read out reaches the copy; a triple taken out of one
    graph leaves the copy only when no graph holds it any more."""
    staging = _staging_of({"urn:x-fixture:g1": [(A, P, Literal("1")), (A, P, B)],
                           "urn:x-fixture:g2": [(A, P, Literal("1")), (C, P, Literal("2"))]})
    names = [URIRef("urn:x-fixture:g1"), URIRef("urn:x-fixture:g2")]
    copy = staging.early_copy(names)
    making = Beside(copy.make, name="copy")
    copy.read()
    rewrite = "DELETE {{ {old} }} INSERT {{ {new} }} WHERE {{ VALUES (?n ?t) {{ (<urn:x-fixture:b> <urn:x-fixture:c>) }} {old} }}"
    for old, new in (("?n ?p ?o", "?t ?p ?o"), ("?s ?p ?n", "?s ?p ?t")):
        staging.update(rewrite.format(old=f"GRAPH ?g {{ {old} }}", new=f"GRAPH ?g {{ {new} }}"))
        copy.update(rewrite.format(old=old, new=new))
    staging.replace(names[0], [(A, P, Literal("1"))], [])  # still in g2
    staging.replace(names[1], [(C, P, Literal("2"))], [])  # in no graph now
    gone = [t for t in [(A, P, Literal("1")), (C, P, Literal("2"))] if not staging.holds_anywhere(t)]
    assert gone == [(C, P, Literal("2"))]
    copy.finish(gone)
    result = making.result()
    expected = working_store(staging.as_dataset(), names)
    assert set(result.triples()) == set(expected.triples()) == {(A, P, Literal("1")), (A, P, C)}


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_distinct_triples_counted_with_the_copy_are_those_sparql_counts(project, store, tmp_path):
    """The copy's size plus what the other graphs add equals a DISTINCT over every graph, also when
    a data triple is in the ontology too (one of the seed's declarations, said again by a source)."""
    spec = store_spec(store, db=tmp_path / "db" if store == "oxigraph" else None)
    assembled = assemble(project, store=spec)
    ontology = graph_iri("ontology")
    declared = next(iter(plain_graph(assembled.dataset, [ontology])))
    expected = distinct_triples(assembled)
    copy = working_store(assembled.dataset, assembled.data_graphs)
    assert distinct_triples_with(assembled.dataset, copy, assembled.data_graphs) == expected
    add_graph(assembled.dataset, assembled.data_graphs[0], _graph_of([declared]))  # now in both
    copy = working_store(assembled.dataset, assembled.data_graphs)
    assert distinct_triples(assembled) == expected
    assert distinct_triples_with(assembled.dataset, copy, assembled.data_graphs) == expected


def test_the_count_with_the_copy_declines_when_the_other_graphs_are_large(project):
    assembled = assemble(project, store="memory")
    copy = working_store(assembled.dataset, assembled.data_graphs)
    assert store_oxigraph.distinct_triples_with(assembled.dataset, copy, assembled.data_graphs, limit=10) is None
    assert distinct_triples_with(assembled.dataset, copy, assembled.data_graphs) is not None


def _graph_of(triples):
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph
