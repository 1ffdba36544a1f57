"""Count what the project's dataset holds: triples per named graph, instances per ``dg:`` class.

This is the quick look a person takes after loading ("did my new file land, how many meetings
does it describe?"). Counting runs as SPARQL on the dataset's store (Oxigraph by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from diplograph.dataset import ProjectDataset
from diplograph.namespaces import DG
from diplograph.queries import run_query
from diplograph.store import graph_sizes

__all__ = ["DatasetSummary", "GraphSize", "distinct_triples", "summarise"]

# DISTINCT: Oxigraph's union default graph repeats a triple found in two graphs.
_DISTINCT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
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


def distinct_triples(assembled: ProjectDataset) -> int:
    """Distinct triples over every graph of the dataset."""
    return int(run_query(assembled, _DISTINCT_TRIPLES).rows[0][0])


def summarise(assembled: ProjectDataset) -> DatasetSummary:
    """Count triples per named graph and instances per ``dg:`` class in ``assembled``."""
    view = set(assembled.view)
    sizes = {name: n for name, n in graph_sizes(assembled.dataset).items() if name in view}
    graphs = tuple(GraphSize(name, assembled.graph_files.get(name), sizes.get(name, 0)) for name in sorted(sizes))
    counts = tuple(sorted((URIRef(str(c)), int(n)) for c, n in run_query(assembled, _INSTANCES_PER_CLASS).rows))
    return DatasetSummary(graphs=graphs, total_triples=distinct_triples(assembled), class_counts=counts)
