"""RDF namespaces used by diplograph, as module constants.

Everything the project mints lives under ``https://w3id.org/diplograph/``:

- ``DG``     ``…/ns#``    ontology terms: classes, properties, SKOS concepts
- ``ID``     ``…/id/``    instances, with deterministic IRIs built from keys
                          (``ID["state/AZE"]``, ``ID["org/sco"]``)
- ``GRAPH``  ``…/graph/`` names of the named graphs of a dataset
                          (see :func:`graph_iri`)

The other constants are the standard vocabularies the ontology aligns to.
Where rdflib ships a closed namespace for one (ORG, PROV, TIME, SKOS, …) we
reuse it, because rdflib then warns about a misspelt term such as
``ORG.memberOf``; our own namespaces are open (a test checks every ``dg:``
term used is declared in the ontology).
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    TIME,
    VANN,
    XSD,
)

__all__ = [
    "BASE",
    "DCTERMS",
    "DG",
    "FOAF",
    "GRAPH",
    "GRAPH_KINDS",
    "ID",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "TIME",
    "VANN",
    "WD",
    "WDT",
    "XSD",
    "bind_prefixes",
    "graph_iri",
    "shorten",
]

BASE = "https://w3id.org/diplograph/"

DG = Namespace(BASE + "ns#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

# schema.org under its https IRI, as rdflib's SDO (rdflib's SCHEMA would be http://).
SCHEMA = SDO
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

#: Prefix -> namespace, in the order they are bound and shown to people.
PREFIXES: dict[str, Namespace | URIRef] = {
    "dg": DG,
    "id": ID,
    "graph": GRAPH,
    "org": ORG,
    "prov": PROV,
    "time": TIME,
    "schema": SCHEMA,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "vann": VANN,
    "foaf": FOAF,
    "wd": WD,
    "wdt": WDT,
    "sh": SH,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}

#: Kinds of named graph; the ones that take a name are the per-file graphs.
GRAPH_KINDS: dict[str, bool] = {
    "ontology": False,
    "shapes": False,
    "inferred": False,
    "reference": True,
    "source": True,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every diplograph prefix on ``graph`` (replacing clashing bindings) and return it.

    Serialisations and shortened IRIs then read ``dg:State`` rather than
    ``ns1:State``.
    """
    manager = graph.namespace_manager
    for prefix, namespace in PREFIXES.items():
        # replace=True: rdflib binds e.g. "schema" to http://schema.org/ by default.
        manager.bind(prefix, URIRef(str(namespace)), override=True, replace=True)
    return graph


def graph_iri(kind: str, name: str | None = None) -> URIRef:
    """Return the IRI of a named graph of the dataset.

    >>> graph_iri("ontology")
    rdflib.term.URIRef('https://w3id.org/diplograph/graph/ontology')
    >>> graph_iri("source", "china-azerbaijan-2024")
    rdflib.term.URIRef('https://w3id.org/diplograph/graph/source/china-azerbaijan-2024')

    ``kind`` is one of :data:`GRAPH_KINDS`; ``reference`` and ``source``
    graphs need a ``name`` (the stem of the file they were loaded from), the
    others must not have one.
    """
    if kind not in GRAPH_KINDS:
        raise ValueError(f"unknown graph kind {kind!r}; expected one of {', '.join(GRAPH_KINDS)}")
    if GRAPH_KINDS[kind]:
        if not name or "/" in name or any(c.isspace() for c in name):
            raise ValueError(f"a {kind} graph needs a name without '/' or spaces, got {name!r}")
        return GRAPH[f"{kind}/{name}"]
    if name is not None:
        raise ValueError(f"the {kind} graph takes no name, got {name!r}")
    return GRAPH[kind]


def shorten(node: object) -> str:
    """Write an IRI with the longest matching diplograph prefix, for people to read.

    >>> shorten(ID["state/AZE"])
    'id:state/AZE'
    >>> shorten(URIRef("http://example.org/x"))
    '<http://example.org/x>'

    The result is for display only: a local name with ``/`` is not a valid
    Turtle prefixed name. Non-IRIs are returned as ``str(node)``.
    """
    if not isinstance(node, URIRef):
        return str(node)
    text = str(node)
    for prefix, namespace in _BY_LENGTH:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


# Longest namespace first, so "graph:" wins over a shorter overlapping one.
_BY_LENGTH = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda item: -len(item[1]))
