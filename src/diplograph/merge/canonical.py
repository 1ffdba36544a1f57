"""The canonical serialisation of a merge: the same inputs, in any order, give the same bytes.

Named graphs sorted by IRI (``graph/meta`` last), triples sorted by (subject, predicate, object) in the term order of
:func:`diplograph.terms.term_key`; N-Quads one sorted line per quad; TriG with the prefixes of
:data:`diplograph.namespaces.PREFIXES`. No clock time is written unless the caller asked for one.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.term import Node

from diplograph.namespaces import PREFIXES
from diplograph.terms import nt, term_key, turtle

__all__ = ["Quad", "sorted_quads", "to_nquads_text", "to_trig_text", "triple_key"]

Quad = tuple[Node, Node, Node, URIRef]


def triple_key(t: tuple[Node, Node, Node]) -> tuple:
    return (term_key(t[0]), term_key(t[1]), term_key(t[2]))


def sorted_quads(graphs: Iterable[tuple[URIRef, Iterable[tuple[Node, Node, Node]]]]) -> list[Quad]:
    """The quads of ``(graph name, triples)`` pairs, graph by graph in the order given, triples sorted."""
    quads: list[Quad] = []
    for name, triples in graphs:
        quads.extend((s, p, o, name) for s, p, o in sorted(set(triples), key=triple_key))
    return quads


def to_nquads_text(quads: Iterable[Quad]) -> str:
    """One N-Quads line per quad, in the order given."""
    return "".join(f"{nt(s)} {nt(p)} {nt(o)} {nt(g)} .\n" for s, p, o, g in quads)


def to_trig_text(quads: Iterable[Quad]) -> str:
    """TriG of the quads (already in canonical order): fixed prefixes, one block per graph and subject."""
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    current_graph = current_subject = None
    for s, p, o, g in quads:
        if g != current_graph:
            if current_graph is not None:
                lines[-1] += " ."
                lines.append("}")
            lines.append("")
            lines.append(f"{turtle(g)} {{")
            current_graph, current_subject = g, None
        if s != current_subject:
            if current_subject is not None:
                lines[-1] += " ."
            lines.append(f"{turtle(s)}")
            current_subject = s
        lines.append(f"    {turtle(p)} {turtle(o)} ;")
    if current_graph is not None:
        lines[-1] += " ."
        lines.append("}")
    # "p o ;" followed by a subject's end: drop the dangling ";" before " .".
    return ("\n".join(lines) + "\n").replace(" ; .\n", " .\n")
