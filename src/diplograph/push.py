"""Upload the project's dataset to a SPARQL 1.1 server, replacing each named graph.

:func:`push_project` assembles the dataset (:func:`diplograph.dataset.assemble`) and sends each
named graph with :func:`diplograph.endpoint.push_graph`: a Graph Store Protocol ``PUT``, or
``DROP`` + ``INSERT DATA`` for servers without the GSP. Both replace the graph, so pushing twice
leaves the same triples; graphs on the server that the project does not have are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from diplograph.dataset import assemble
from diplograph.endpoint import Endpoint, push_graph
from diplograph.iris import graph_iri
from diplograph.project import Project
from diplograph.store import plain_graph

__all__ = ["PushedGraph", "push_project"]


@dataclass(frozen=True)
class PushedGraph:
    """One graph sent by :func:`push_project`: its name, the file it came from, triples sent."""

    name: URIRef
    file: Path | None
    triples: int


def push_project(
    project: Project,
    endpoint: Endpoint,
    files: Sequence[Path | str] | None = None,
    method: str = "gsp",
    include_shapes: bool = True,
) -> list[PushedGraph]:
    """Replace each of the project's named graphs on ``endpoint`` with its current content.

    The project's dataset is assembled in memory (:func:`diplograph.dataset.assemble`: the same
    graphs every command sees, ``graph/meta`` included), then each graph is sent with
    :func:`~diplograph.endpoint.push_graph` (``method`` ``"gsp"`` or ``"update"``). Graphs on the
    server that the project does not have are left alone.
    """
    assembled = assemble(project, files, store="memory")
    pushed = []
    names = [n for n in assembled.asserted_graphs if include_shapes or n != graph_iri("shapes")]
    for name in sorted(names):
        sent = push_graph(endpoint, name, plain_graph(assembled.dataset, [name]), method=method)
        pushed.append(PushedGraph(name, assembled.graph_files.get(name), sent))
    return pushed


