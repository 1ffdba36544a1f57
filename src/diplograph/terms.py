"""RDF terms, normalised, written and labelled the same way everywhere.

Every module that turns a term into text, compares literals across libraries or picks a label
for a person uses these functions, so the dataset, the merge output, the query results and the
pages all agree:

- :func:`plain` — the one literal normalisation. RDF 1.1 makes ``"x"`` and
  ``"x"^^xsd:string`` the same term, but rdflib compares them as different and Oxigraph always
  hands back the typed form; diplograph keeps the plain form rdflib's parsers produce.
- :func:`quote`, :func:`nt`, :func:`sparql`, :func:`turtle` — writers: an escaped string, a term in
  N-Triples (also N-Quads, SPARQL 1.1 TSV results), in SPARQL, and in Turtle with the prefixes
  of :data:`diplograph.namespaces.PREFIXES` where the local name allows it.
- :func:`shorten`, :func:`bind_prefixes` — prefixed IRIs for people to read; prefixes on a graph.
- :func:`term_key` — one total order over terms (canonical, byte-stable output sorts with it).
- :func:`slug` — the ASCII slug of a name, for IRIs and file names.
- :func:`best_label`, :data:`LABEL_PREDICATES` — the label of a thing in a requested language,
  falling back to an untagged label, then to any other language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from diplograph.namespaces import DCTERMS, FOAF, PREFIXES, RDF, RDFS, SKOS, XSD

__all__ = [
    "LABEL_PREDICATES",
    "best_label",
    "bind_prefixes",
    "iri_tail",
    "label_of",
    "local_name",
    "nt",
    "plain",
    "quote",
    "shorten",
    "slug",
    "sparql",
    "term_key",
    "turtle",
]

#: Predicates that name a thing for people, most specific first.
LABEL_PREDICATES: tuple[URIRef, ...] = (RDFS.label, SKOS.prefLabel, FOAF.name, DCTERMS.title)

# Longest namespace first, so "graph:" wins over a shorter overlapping one.
_BY_LENGTH = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda item: -len(item[1]))
# A local name Turtle accepts after a prefix (a safe subset of PN_LOCAL: no trailing dot, no escapes).
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


# --- normalisation -------------------------------------------------------------


def plain(term: Node | None) -> Node | None:
    """``term`` with an ``xsd:string`` literal written as a plain literal; anything else unchanged.

    >>> plain(Literal("AZE", datatype=XSD.string)) == Literal("AZE")
    True
    """
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    return term


# --- writing -------------------------------------------------------------------


def quote(text: str) -> str:
    """A string literal in double quotes, escaped for N-Triples, Turtle and SPARQL.

    >>> print(quote('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        + '"'
    )


def nt(term: Node) -> str:
    """``term`` in N-Triples syntax (``<iri>``, ``"x"@en``, ``"1"^^<…#integer>``, ``_:b``).

    ``xsd:string`` literals are written plain (they are the same term).
    """
    if isinstance(term, Literal):
        if term.language:
            return f"{quote(str(term))}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{quote(str(term))}^^<{term.datatype}>"
        return quote(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def sparql(term: Node) -> str:
    """``term`` as a SPARQL constant. A blank node is no constant: :class:`ValueError`."""
    if isinstance(term, BNode):
        raise ValueError(f"a blank node ({term}) cannot be written as a SPARQL constant")
    return nt(term)


def local_name(iri: str, namespace: str) -> str | None:
    """The part of ``iri`` after ``namespace`` when Turtle accepts it as a prefixed local name, else None."""
    if not iri.startswith(namespace):
        return None
    local = iri[len(namespace):]
    return local if _LOCAL.fullmatch(local) else None


def turtle(term: Node, prefixes: Mapping[str, str] | None = None, used: set[str] | None = None) -> str:
    """``term`` in Turtle: ``a`` for ``rdf:type``, a prefixed name where the local name allows it.

    ``prefixes`` (prefix -> namespace; default :data:`~diplograph.namespaces.PREFIXES`) are
    tried longest namespace first; ``used``, when given, collects the prefixes written.
    """
    if isinstance(term, URIRef):
        if term == RDF.type:
            return "a"
        ordered = _BY_LENGTH if prefixes is None else sorted(prefixes.items(), key=lambda p: (-len(str(p[1])), p[0]))
        for prefix, namespace in ordered:
            local = local_name(str(term), str(namespace))
            if local is not None:
                if used is not None:
                    used.add(prefix)
                return f"{prefix}:{local}"
        return nt(term)
    if isinstance(term, Literal) and not term.language and term.datatype is not None and term.datatype != XSD.string:
        return f"{quote(str(term))}^^{turtle(term.datatype, prefixes, used)}"
    return nt(term)


def shorten(node: object) -> str:
    """Write an IRI with the longest matching diplograph prefix, for people to read.

    >>> from diplograph.namespaces import ID
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


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every diplograph prefix on ``graph`` (replacing clashing bindings) and return it.

    Serialisations and shortened IRIs then read ``dg:State`` rather than ``ns1:State``.
    """
    manager = graph.namespace_manager
    for prefix, namespace in PREFIXES.items():
        # replace=True: rdflib binds e.g. "schema" to http://schema.org/ by default.
        manager.bind(prefix, URIRef(str(namespace)), override=True, replace=True)
    return graph


def term_key(term: Node | None) -> tuple:
    """A sort key that orders any terms: IRIs, then blank nodes, then literals (by text, datatype, language)."""
    if isinstance(term, Literal):
        return (2, str(term), str(term.datatype or ""), term.language or "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    return (0, str(term), "", "")


# --- names for IRIs and people ------------------------------------------------------


def slug(text: str) -> str:
    """Lower-case ASCII words joined by ``-`` (accents dropped): ``"Côte d'Ivoire"`` -> ``"cote-d-ivoire"``.

    >>> slug("Xi Jinping")
    'xi-jinping'

    Empty when nothing of ``text`` is ASCII letters or digits; callers decide what to do then.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _language_rank(value: Node, lang: str) -> int:
    tag = getattr(value, "language", None)
    if not tag:
        return 1
    tag = tag.lower()
    return 0 if tag == lang or tag.startswith(lang + "-") else 2


def best_label(values: Iterable[Node], lang: str = "en", *, fallback: bool = True) -> str | None:
    """The label among ``values`` to show a person who reads ``lang``.

    In order: a label tagged ``lang`` (or a sub-tag, ``en-GB`` for ``en``), an untagged label,
    then (with ``fallback``) a label in any other language; ties go to the first in string
    order, so the answer never depends on the order of the triples. None when nothing fits.

    >>> best_label([Literal("Chine", lang="fr"), Literal("China", lang="en")])
    'China'
    >>> best_label([Literal("Chine", lang="fr")], fallback=False) is None
    True
    """
    lang = lang.lower()
    ranked = sorted((_language_rank(v, lang), str(v)) for v in values if isinstance(v, Literal))
    if not ranked or (not fallback and ranked[0][0] == 2):
        return None
    return ranked[0][1]


def label_of(node: Node, values_of: Callable[[Node, URIRef], Iterable[Node]], lang: str = "en") -> str:
    """The label of ``node`` for a reader of ``lang``: from the first of :data:`LABEL_PREDICATES`
    that gives one (see :func:`best_label`), else the last segment of its IRI.

    ``values_of(node, predicate)`` returns the objects of ``node`` for ``predicate``
    (``graph.objects`` fits).
    """
    for predicate in LABEL_PREDICATES:
        found = best_label(values_of(node, predicate), lang)
        if found is not None:
            return found
    return iri_tail(node)


def iri_tail(node: object) -> str:
    """The last ``/`` or ``#`` segment of an IRI (``id/person/ding-tao`` -> ``"ding-tao"``), else the whole text."""
    text = str(node)
    tail = re.split(r"[/#]", text.rstrip("/#"))[-1]
    return tail or text
