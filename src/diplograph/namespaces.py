"""RDF namespaces used by diplograph, as module constants.

Everything the project mints lives under ``https://w3id.org/diplograph/``:

- ``DG``     ``…/ns#``    ontology terms: classes, properties, SKOS concepts
- ``ID``     ``…/id/``    instances, with deterministic IRIs built from keys
                          (``ID["state/AZE"]``, ``ID["org/sco"]``)
- ``GRAPH``  ``…/graph/`` names of the named graphs of a dataset
                          (see :func:`diplograph.iris.graph_iri`)

The other constants are the standard vocabularies the ontology aligns to.
Where rdflib ships a closed namespace for one (ORG, PROV, TIME, SKOS, …) we
reuse it, because rdflib then warns about a misspelt term such as
``ORG.memberOf``; our own namespaces are open (a test checks every ``dg:``
term used is declared in the ontology).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
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

#: Kinds of named graph (see :func:`diplograph.iris.graph_iri`); the ones that take a name are
#: the per-file graphs.
GRAPH_KINDS: dict[str, bool] = {
    "ontology": False,
    "shapes": False,
    "inferred": False,
    "meta": False,
    "reference": True,
    "source": True,
}
