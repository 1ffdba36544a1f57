"""Literals Oxigraph would not give back as the data wrote them, and the predicates that hold them.

Oxigraph stores a literal by its value in canonical form: ``"4.0"^^xsd:decimal`` comes back
``"4"``, ``"01"^^xsd:integer`` as ``"1"``, an out-of-range ``"300"^^xsd:byte`` changes datatype,
``"4.0"`` and ``"4.00"`` become one term (two triples become one), and an explicit
``"x"^^xsd:string`` comes back plain. pyshacl, the reference, compares rdflib terms, which keep the
lexical form. So a SHACL check whose values or constants include such a literal may be judged
differently on Oxigraph; the fast engine hands the shapes that can meet one to pyshacl
(:mod:`diplograph.validation.fast_engine`). Ill-typed literals (``"maybe"^^xsd:boolean``) are
counted as altered too: what Oxigraph does with them is not what rdflib does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from diplograph.store import canonical_literals

__all__ = ["altered", "altered_predicates"]

# Lexical forms Oxigraph surely keeps as written (anything else is put through Oxigraph to see).
_KEPT = {
    XSD.integer: re.compile(r"-?(0|[1-9][0-9]*)"),
    XSD.boolean: re.compile(r"true|false"),
    XSD.date: re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    XSD.gYear: re.compile(r"[0-9]{4}"),
    XSD.dateTime: re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z?"),
    XSD.anyURI: re.compile(r"[^\s]*"),
}


def altered(literals: Iterable[Literal]) -> set[Literal]:
    """Those of ``literals`` Oxigraph would hand back as another term (or that are ill-typed)."""
    unsure: list[Literal] = []
    found: set[Literal] = set()
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # rdflib logs a traceback for every ill-typed literal it builds
    try:
        for lit in literals:
            dt = lit.datatype
            if dt is None or dt == RDF.langString:
                continue
            if dt == XSD.string or getattr(lit, "ill_typed", False):
                found.add(lit)
                continue
            kept = _KEPT.get(dt)
            if kept is None or not kept.fullmatch(str(lit)):
                unsure.append(lit)
    finally:
        quiet.setLevel(level)
    for original, stored in canonical_literals(unsure).items():
        if str(stored) != str(original) or stored.datatype != original.datatype:
            found.add(original)
    return found


def altered_predicates(graphs: Iterable[Graph], predicates: set[URIRef] | None = None) -> set[URIRef]:
    """The predicates (of ``predicates``, or any) whose objects include an altered literal in ``graphs``."""
    by_literal: dict[Literal, set[URIRef]] = {}
    for graph in graphs:  # one pass over the triples (as the copy into Oxigraph makes one)
        for _s, p, o in graph:
            if isinstance(o, Literal) and o.datatype is not None and o.datatype != RDF.langString \
                    and (predicates is None or p in predicates):
                by_literal.setdefault(o, set()).add(p)
    return {p for lit in altered(by_literal) for p in by_literal[lit]}
