"""Writing the dataset's graphs (diplograph.store.write_graphs): what build puts in out/dataset.*.

On an Oxigraph dataset Oxigraph streams the quads to its serialiser; on the rdflib store they are
copied into rdflib and serialised there. Both paths must write the same quads, in both formats.
"""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from diplograph.iris import graph_iri
from diplograph.namespaces import XSD
from diplograph.store import graph_names, plain_graph, write_graphs

pytestmark = pytest.mark.parametrize("store", ["memory", "rdflib", "oxigraph"])


def _read(path, fmt: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    return dataset


def _graph(dataset: Dataset, name: URIRef):
    return dataset.graph(name)


def _by_value(graph) -> Graph:
    """``graph`` with decimals compared by value: rdflib's TriG writer turns ``"7"^^xsd:decimal``
    into ``7.0`` (its shorthand needs a dot), the same number."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(o.toPython().normalize(), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def test_both_formats_hold_every_named_graph_as_it_is_in_the_store(store, project_datasets, tmp_path):
    assembled = project_datasets.get(store)
    names = graph_names(assembled.dataset)
    for fmt, suffix in (("trig", "trig"), ("nquads", "nq")):
        path = tmp_path / f"dataset.{suffix}"
        with open(path, "wb") as output:
            write_graphs(assembled.dataset, names, output, fmt)
        written = _read(path, fmt)
        assert sorted(g.identifier for g in written.graphs() if len(g)) == names
        for name in names:
            # plain_graph: Oxigraph hands rdflib plain strings typed xsd:string, RDF 1.1's same literal
            expected = plain_graph(assembled.dataset, [name])
            assert isomorphic(_by_value(_graph(written, name)), _by_value(expected)), (fmt, name)


def test_only_the_graphs_asked_for_are_written_and_strings_stay_plain(store, project_datasets, tmp_path):
    assembled = project_datasets.get(store)
    states = graph_iri("reference", "states")
    path = tmp_path / "states.trig"
    with open(path, "wb") as output:
        write_graphs(assembled.dataset, [states], output, "trig")
    written = _read(path, "trig")
    assert [g.identifier for g in written.graphs() if len(g)] == [states]
    text = path.read_text(encoding="utf-8")
    assert "@prefix dg: <https://w3id.org/diplograph/ns#>" in text
    assert "^^xsd:string" not in text and f"^^<{XSD.string}>" not in text
    assert any(isinstance(o, Literal) and o.datatype is None for o in written.graph(states).objects())
