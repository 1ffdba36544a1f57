"""Dumping a dataset's graphs in two goes (diplograph.store.append_graphs): what build does with
out/dataset.*, whose asserted graphs are written while the engines work and graph/inferred added at the end.

Only Oxigraph datasets are dumped so (build writes an rdflib store's dump in one go).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef

from diplograph.store import append_graphs, graph_names, new_dataset, plain_graph, write_graphs_file
from diplograph.store.oxigraph import oxigraph_of


def quads(path, fmt: str) -> set:
    return set(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG))


def header(path) -> list[bytes]:
    return [line for line in path.read_bytes().splitlines() if line.startswith(b"@prefix ")]


def copy_of(dataset, names: list[URIRef]) -> Dataset:
    """A new memory dataset holding just the graphs ``names`` of ``dataset``."""
    copy = new_dataset("memory")
    oxigraph_of(copy).extend(q for n in names for q in oxigraph_of(dataset).quads_for_pattern(None, None, None, ox.NamedNode(str(n))))
    return copy


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_graphs_added_to_an_earlier_dump_give_the_quads_of_one_dump(store, fmt, project_datasets, tmp_path):
    """build dumps the asserted graphs while the engines work and adds graph/inferred at the end
    (append_graphs): the file must hold the quads one dump holds, with one TriG prefix header."""
    assembled = project_datasets.get(store)
    names = graph_names(assembled.dataset)
    whole = tmp_path / "whole"
    write_graphs_file(assembled.dataset, names, whole, fmt)
    assert len(quads(whole, fmt)) == sum(len(assembled.dataset.graph(n)) for n in names) > 0
    for split in (1, len(names) // 2, len(names) - 1):
        first, rest = names[:split], names[split:]
        joined = tmp_path / "joined"
        write_graphs_file(copy_of(assembled.dataset, first), first, joined, fmt)  # as build: a store holding just those
        append_graphs(assembled.dataset, rest, joined, fmt)  # from a store holding others too
        assert quads(joined, fmt) == quads(whole, fmt), (fmt, split)
        assert header(joined) == header(whole)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["joined", "whole"]  # no scratch file left


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_oxigraph_writes_the_file_itself_only_when_the_dataset_holds_just_those_graphs(fmt, project_datasets, tmp_path, monkeypatch):
    """write_graphs_file hands the file to Oxigraph's own dump only when the graphs asked for are
    every graph the store holds; a dump of some of them goes through dump_graphs."""
    import diplograph.store.oxigraph as oxi

    assembled = project_datasets.get("memory")
    names = graph_names(assembled.dataset)
    streamed = []
    real = oxi.dump_graphs
    monkeypatch.setattr(oxi, "dump_graphs", lambda *a, **k: streamed.append(a[1]) or real(*a, **k))
    write_graphs_file(assembled.dataset, names, tmp_path / "all", fmt)
    assert streamed == []
    write_graphs_file(assembled.dataset, names[:1], tmp_path / "one", fmt)
    assert streamed == [names[:1]]
    assert {q.graph_name.value for q in quads(tmp_path / "one", fmt)} == {str(names[0])}


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_a_graph_added_at_the_end_keeps_literals_that_look_like_line_ends(fmt, tmp_path):
    """append_graphs makes a graph's N-Triples its N-Quads line by line, and puts its TriG triples
    in a block: literals holding " .", line breaks and quotes, language tags and datatypes come
    out as they went in, and rdflib reads the file as well as Oxigraph does. An empty graph adds nothing."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    first, second, empty = (URIRef(f"https://example.org/graph/{n}") for n in ("a", "b", "c"))
    dataset = new_dataset("memory")
    dataset.graph(first).add((s, p, Literal("one")))
    values = [Literal("ends in a dot ."), Literal("two lines .\nsecond ."), Literal('say "x" .', lang="en"),
              Literal("4.0", datatype=XSD.decimal), URIRef("https://example.org/o")]
    for value in values:
        dataset.graph(second).add((s, p, value))
    path = tmp_path / "dump"
    write_graphs_file(copy_of(dataset, [first]), [first], path, fmt)
    before = path.read_bytes()
    append_graphs(dataset, [empty], path, fmt)
    assert path.read_bytes() == before
    append_graphs(dataset, [second], path, fmt)
    expected = set(oxigraph_of(dataset))
    assert quads(path, fmt) == expected and len(expected) == 1 + len(values)
    parsed = Dataset().parse(path, format=fmt)
    assert {(str(g.identifier), len(g)) for g in parsed.graphs() if len(g)} == {(str(first), 1), (str(second), len(values))}
    assert set(parsed.graph(second)) == set(plain_graph(dataset, [second]))  # as the store holds them ("4.0" is "4")
