"""Upload the project's dataset to a SPARQL 1.1 server, replacing each named graph.

:func:`push_project` assembles the dataset (:func:`diplograph.dataset.assemble`) and sends each
named graph with :func:`diplograph.endpoint.push_graph`: a Graph Store Protocol ``PUT``, or
``DROP`` + ``INSERT DATA`` for servers without the GSP. Both replace the graph, so pushing twice
leaves the same triples; graphs on the server that the project does not have are left alone.

After each graph the server is asked what it now holds: its triple count and how many literals
of each datatype. A server that stored something else than it was sent (Virtuoso's Graph Store
types integers above 2^31 - 1 as ``xsd:decimal``; a server merging literals of equal value
holds fewer triples) is reported in :class:`PushedGraph`, not hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from diplograph.dataset import assemble
from diplograph.endpoint import Endpoint, literal_datatypes, push_graph
from diplograph.iris import graph_iri
from diplograph.project import Project
from diplograph.store import plain_graph

__all__ = ["PushedGraph", "push_project"]


@dataclass(frozen=True)
class PushedGraph:
    """One graph sent by :func:`push_project`: its name, the file it came from, the triples sent,
    the triples the server holds in it afterwards (``stored``), and ``datatypes``: for each
    literal datatype of which the server holds another number than was sent, ``(datatype, sent,
    stored)``. :attr:`changed` says whether the server holds something else than was sent."""

    name: URIRef
    file: Path | None
    triples: int
    stored: int | None = None
    datatypes: tuple[tuple[URIRef, int, int], ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.datatypes) or (self.stored is not None and self.stored != self.triples)


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
    :func:`~diplograph.endpoint.push_graph` (``method`` ``"gsp"`` or ``"update"``) and what the
    server then holds is compared with what was sent (see :class:`PushedGraph`). Graphs on the
    server that the project does not have are left alone.
    """
    assembled = assemble(project, files, store="memory")
    pushed = []
    names = [n for n in assembled.asserted_graphs if include_shapes or n != graph_iri("shapes")]
    for name in sorted(names):
        graph = plain_graph(assembled.dataset, [name])
        sent = push_graph(endpoint, name, graph, method=method)
        sent_types, stored_types = literal_datatypes(graph), endpoint.literal_datatypes(name)
        changed = tuple((t, sent_types[t], stored_types[t]) for t in sorted(set(sent_types) | set(stored_types))
                        if sent_types[t] != stored_types[t])
        pushed.append(PushedGraph(name, assembled.graph_files.get(name), sent, endpoint.graph_size(name), changed))
    return pushed


