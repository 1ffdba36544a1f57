"""The merge's own graph, ``graph/meta``: where every merged graph came from (PROV)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import Literal, URIRef

from diplograph.iris import refinement
from diplograph.merge.report import Refinement
from diplograph.namespaces import DG, PROV, RDF, XSD
from diplograph.terms import nt

__all__ = ["meta_triples", "refinement_triples"]


def meta_triples(graphs: Iterable[tuple[URIRef, str, str]], facts: Mapping[URIRef, Mapping], loaded_at: str | None,
                 refinements: Iterable[Refinement] = ()) -> list:
    """Per merged graph ``(name, file, sha256)``: ``a prov:Entity``, ``dg:fileName`` (the base name, so
    output does not depend on where files live), ``dg:sha256``, ``prov:wasDerivedFrom`` each source
    document it holds (from ``facts``: graph -> node -> predicate -> values), and
    ``prov:generatedAtTime`` only when ``loaded_at`` is given (so the same inputs give the same bytes);
    then every refinement (:func:`refinement_triples`)."""
    triples = []
    for name, file, sha in graphs:
        triples += [(name, RDF.type, PROV.Entity), (name, DG.fileName, Literal(Path(file).name)),
                    (name, DG.sha256, Literal(sha))]
        for node, props in facts.get(name, {}).items():
            if DG.SourceDocument in props.get(RDF.type, ()):
                triples.append((name, PROV.wasDerivedFrom, node))
        if loaded_at:
            triples.append((name, PROV.generatedAtTime, Literal(loaded_at, datatype=XSD.dateTime)))
    for found in refinements:
        triples += refinement_triples(found)
    return triples


def refinement_triples(found: Refinement) -> list:
    """Per graph that gave the coarser date: a ``dg:DateRefinement`` saying what it said (the
    reified triple, ``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``), where (``dg:statedIn``),
    and what replaced it in the merged view (``dg:refinedValue``, ``dg:refinedIn``)."""
    triples = []
    for graph in found.coarse_graphs:
        node = refinement(str(graph), str(found.node), str(found.property), nt(found.coarse))
        triples += [(node, RDF.type, DG.DateRefinement), (node, RDF.subject, found.node),
                    (node, RDF.predicate, found.property), (node, RDF.object, found.coarse),
                    (node, DG.statedIn, graph), (node, DG.refinedValue, found.precise)]
        triples += [(node, DG.refinedIn, g) for g in found.precise_graphs]
    return triples
