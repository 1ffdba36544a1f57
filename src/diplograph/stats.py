"""Statistics of a dataset: counts by class and named graph, and who is most connected.

:func:`stats` counts instances per class and triples per named graph, and
projects the asserted graphs onto an undirected :mod:`networkx` graph of
entities (:func:`entity_network`): states, people, organisations, events and
bilateral relationships (:func:`diplograph.kinds.entity_kind`). Edges:

- an entity to each entity it names directly (an event's participants,
  speaker, visitor, host and visiting state, summit organisation, the event
  it is part of; a relationship's parties; a person's affiliated state …);
- all entities one statement node names, pairwise (a membership's member
  and organisation, a stance's holder and the state it
  concerns, a policy's granting and beneficiary states, the relationship a
  statement is about and the states it names …);
- a post holding links the holder to the state or organisation of the post
  (``dg:post`` is followed through ``dg:postIn``).

Provenance (``prov:wasAttributedTo``, ``dg:occasion``, ``dg:reportedBy``,
``prov:wasDerivedFrom``, ``dg:evidence``) makes no edge: who reported a
statement is not linked by it. The inferred graph, the ontology and the
shapes and the merge metadata are left out, so the network is the same before and after
``diplograph infer``. States no edge reaches (most of the reference list) are
left out too.

Degree and betweenness centrality are computed on that network; entities are
reported by label, not IRI. This module is independent of the visual
projection (:mod:`diplograph.projection`); both classify nodes with
:mod:`diplograph.kinds`.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, Literal, URIRef

from diplograph.dataset import ProjectDataset
from diplograph.kinds import entity_kind
from diplograph.namespaces import DG, PROV, RDF
from diplograph.store import graph_sizes, plain_graph
from diplograph.terms import label_of

__all__ = ["Centrality", "Stats", "entity_network", "stats"]

#: Predicates that say where a statement comes from, not what it links.
PROVENANCE = frozenset({PROV.wasAttributedTo, PROV.wasDerivedFrom, DG.occasion, DG.reportedBy, DG.evidence})
#: Above this many nodes, betweenness is estimated from a seeded sample of pivots.
EXACT_BETWEENNESS_LIMIT = 2000


@dataclass(frozen=True)
class Centrality:
    """One entity of the network: its label, kind, degree and centralities."""

    node: URIRef
    label: str
    kind: str
    degree: int
    degree_centrality: float
    betweenness: float


@dataclass(frozen=True)
class Stats:
    """Counts and centralities.

    ``class_counts``: (class, instances), most first; ``graph_counts``:
    (named graph, triples), by name; ``nodes``/``edges``: size of the entity
    network; ``kind_counts``: nodes per entity kind; ``top``: the ``top``
    most connected entities (by degree, then betweenness, then label).
    """

    class_counts: tuple[tuple[URIRef, int], ...]
    graph_counts: tuple[tuple[URIRef, int], ...]
    nodes: int
    edges: int
    kind_counts: tuple[tuple[str, int], ...]
    top: tuple[Centrality, ...]


def stats(assembled: ProjectDataset, top: int = 10) -> Stats:
    """Count and rank what ``assembled`` holds (see the module docstring)."""
    view = set(assembled.view)
    graph_counts = tuple(sorted((n, size) for n, size in graph_sizes(assembled.dataset).items() if n in view))
    asserted = plain_graph(assembled.dataset, assembled.data_graphs)
    classes = Counter(o for _s, o in asserted.subject_objects(RDF.type) if isinstance(o, URIRef))
    class_counts = tuple(sorted(classes.items(), key=lambda item: (-item[1], str(item[0]))))
    network = entity_network(asserted)
    return Stats(
        class_counts=class_counts,
        graph_counts=graph_counts,
        nodes=network.number_of_nodes(),
        edges=network.number_of_edges(),
        kind_counts=tuple(sorted(Counter(k for _n, k in network.nodes(data="kind")).items())),
        top=tuple(_ranked(network)[: max(top, 0)]),
    )


def entity_network(graph: Graph) -> nx.Graph:
    """The undirected entity network of ``graph`` (a plain rdflib Graph of asserted triples).

    Nodes are IRIs with ``kind`` and ``label`` attributes; each edge has
    ``via``, the predicates or statement types that link the two (a set).
    """
    kinds: dict = {}
    for s in set(graph.subjects(RDF.type, None)):
        kind = entity_kind(graph, s)
        if kind is not None:
            kinds[s] = kind
    G = nx.Graph()

    def link(a, b, via: str) -> None:
        if a == b:
            return
        for n in (a, b):
            if n not in G:
                G.add_node(n, kind=kinds[n], label=_label(graph, n))
        if G.has_edge(a, b):
            G.edges[a, b]["via"].add(via)
        else:
            G.add_edge(a, b, via={via})

    for s in set(graph.subjects()):
        named = _named_entities(graph, s, kinds)
        if s in kinds:
            for p, o in named:
                link(s, o, _local(p))
        else:
            types = sorted(_local(t) for t in graph.objects(s, RDF.type) if isinstance(t, URIRef))
            via = types[0] if types else "statement"
            for (_p1, a), (_p2, b) in itertools.combinations(named, 2):
                link(a, b, via)
    for n, kind in kinds.items():
        if kind != "state" and n not in G:
            G.add_node(n, kind=kind, label=_label(graph, n))
    return G


# --- helpers -----------------------------------------------------------------


def _named_entities(graph: Graph, s, kinds: dict) -> list[tuple[URIRef, URIRef]]:
    """(predicate, entity) pairs ``s`` names, posts followed to where they are held."""
    found: list[tuple[URIRef, URIRef]] = []
    for p, o in graph.predicate_objects(s):
        if p in PROVENANCE or p == RDF.type or isinstance(o, Literal):
            continue
        if p == DG.post:
            found.extend((p, where) for where in graph.objects(o, DG.postIn) if where in kinds)
        elif o in kinds:
            found.append((p, o))
    return sorted(set(found), key=lambda pair: (str(pair[1]), str(pair[0])))


def _ranked(G: nx.Graph) -> list[Centrality]:
    if G.number_of_nodes() == 0:
        return []
    degree_c = nx.degree_centrality(G) if G.number_of_nodes() > 1 else {n: 0.0 for n in G}
    if G.number_of_nodes() > EXACT_BETWEENNESS_LIMIT:
        between = nx.betweenness_centrality(G, k=500, seed=7)
    else:
        between = nx.betweenness_centrality(G)
    rows = [
        Centrality(
            node=n,
            label=G.nodes[n]["label"],
            kind=G.nodes[n]["kind"],
            degree=G.degree(n),
            degree_centrality=degree_c[n],
            betweenness=between[n],
        )
        for n in G.nodes
    ]
    return sorted(rows, key=lambda c: (-c.degree, -c.betweenness, c.label, str(c.node)))


def _label(graph: Graph, node) -> str:
    return label_of(node, graph.objects)


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
