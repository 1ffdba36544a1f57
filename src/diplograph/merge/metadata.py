"""The merge's own graph, ``graph/meta``: where every merged graph came from (PROV)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import Literal, URIRef

from diplograph.namespaces import DG, PROV, RDF, XSD

__all__ = ["meta_triples"]


def meta_triples(graphs: Iterable[tuple[URIRef, str, str]], facts: Mapping[URIRef, Mapping], loaded_at: str | None) -> list:
    """Per merged graph ``(name, file, sha256)``: ``a prov:Entity``, ``dg:fileName`` (the base name, so
    output does not depend on where files live), ``dg:sha256``, ``prov:wasDerivedFrom`` each source
    document it holds (from ``facts``: graph -> node -> predicate -> values), and
    ``prov:generatedAtTime`` only when ``loaded_at`` is given (so the same inputs give the same bytes)."""
    triples = []
    for name, file, sha in graphs:
        triples += [(name, RDF.type, PROV.Entity), (name, DG.fileName, Literal(Path(file).name)),
                    (name, DG.sha256, Literal(sha))]
        for node, props in facts.get(name, {}).items():
            if DG.SourceDocument in props.get(RDF.type, ()):
                triples.append((name, PROV.wasDerivedFrom, node))
        if loaded_at:
            triples.append((name, PROV.generatedAtTime, Literal(loaded_at, datatype=XSD.dateTime)))
    return triples
