"""Count what a loaded dataset holds: triples per named graph, instances per ``dg:`` class.

This is the quick look a person takes after loading ("did my new file land,
how many meetings does it describe?"). Counting runs as SPARQL on the
dataset's store (Oxigraph by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from diplograph.namespaces import DG
from diplograph.store import LoadedDataset

__all__ = ["DatasetSummary", "GraphSize", "summarise"]

_TRIPLES_PER_GRAPH = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g
"""
# DISTINCT: Oxigraph's union default graph repeats a triple found in two graphs.
_DISTINCT_TRIPLES = """
SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }
"""
_INSTANCES_PER_CLASS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
WHERE {{ ?s a ?class . FILTER(STRSTARTS(STR(?class), "{DG}")) }}
GROUP BY ?class
"""


@dataclass(frozen=True)
class GraphSize:
    """One named graph: its IRI, the file it was loaded from, its number of triples."""

    name: URIRef
    file: Path | None
    triples: int


@dataclass(frozen=True)
class DatasetSummary:
    """Sizes of the named graphs (sorted by name), distinct triples over all
    of them, and instance counts of each ``dg:`` class that has any (sorted by class)."""

    graphs: tuple[GraphSize, ...]
    total_triples: int
    class_counts: tuple[tuple[URIRef, int], ...]


def summarise(loaded: LoadedDataset) -> DatasetSummary:
    """Count triples per named graph and instances per ``dg:`` class in ``loaded``."""
    ds = loaded.dataset
    sizes = {URIRef(str(g)): int(n) for g, n in ds.query(_TRIPLES_PER_GRAPH)}
    graphs = tuple(
        GraphSize(name, loaded.graph_files.get(name), sizes.get(name, 0))
        for name in sorted(set(sizes) | set(loaded.graph_files))
    )
    total = int(next(iter(ds.query(_DISTINCT_TRIPLES)))[0])
    counts = tuple(sorted((URIRef(str(c)), int(n)) for c, n in ds.query(_INSTANCES_PER_CLASS)))
    return DatasetSummary(graphs=graphs, total_triples=total, class_counts=counts)
