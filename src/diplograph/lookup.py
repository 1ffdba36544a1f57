"""Find the dataset's entities from what a person knows of them: a name, an alias, a code, a QID.

:func:`lookup` searches the data graphs (sources and reference, not the ontology) of a
:class:`~diplograph.dataset.ProjectDataset`, so that a new graph can reuse the canonical IRI of
Xi Jinping or of the 2024 Astana summit instead of minting a second one:

- labels (``rdfs:label``, ``skos:prefLabel``) and aliases (``skos:altLabel``) in any language,
  by substring, ignoring case and accents (``azerbaidjan`` finds "Azerbaïdjan"@fr);
- codes (``dg:isoAlpha3``, ``dg:isoAlpha2``, ``dg:isoNumeric``, ``dg:acronym``) and Wikidata
  QIDs (``dg:wikidata``, or a ``wd:`` IRI of ``skos:exactMatch``), exactly, ignoring case.

Each :class:`Match` has the entity's IRI, its kinds (``rdf:type``), one label (English, else
any), what matched, and the files of the graphs it appears in (as subject or object).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rdflib import Literal, URIRef

from diplograph.namespaces import DG, RDFS, SKOS, WD
from diplograph.queries import run_query

__all__ = ["Match", "lookup", "normalise"]

_LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_CODES = (DG.isoAlpha3, DG.isoAlpha2, DG.isoNumeric, DG.acronym, DG.wikidata, SKOS.exactMatch)

_CANDIDATES = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { %s }
  GRAPH ?g { ?s ?p ?o }
  VALUES ?g { %s }
}
"""

_DETAILS = """
SELECT DISTINCT ?s ?what ?value WHERE {
  VALUES ?s { %s }
  VALUES ?g { %s }
  { GRAPH ?g { ?s a ?value } BIND ("type" AS ?what) }
  UNION { GRAPH ?g { ?s ?p ?o } BIND (?g AS ?value) BIND ("graph" AS ?what) }
  UNION { GRAPH ?g { ?x ?q ?s } BIND (?g AS ?value) BIND ("graph" AS ?what) }
  UNION { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?value } BIND ("label" AS ?what) }
}
"""


@dataclass(frozen=True)
class Match:
    """One entity found: ``matched`` says by what (``label "Azerbaïdjan"@fr``, ``dg:isoAlpha3 "AZE"``)."""

    iri: URIRef
    label: str
    kinds: tuple[URIRef, ...]
    matched: tuple[str, ...]
    graphs: tuple[URIRef, ...]

    def as_json(self, files: dict | None = None) -> dict:
        from diplograph.terms import shorten

        return {
            "iri": str(self.iri),
            "label": self.label,
            "kinds": [shorten(k) for k in self.kinds],
            "matched": list(self.matched),
            "graphs": [str(g) for g in self.graphs],
            "files": [str(files[g]) for g in self.graphs if files and g in files],
        }


def normalise(text: str) -> str:
    """Lower case without accents: ``"Azerbaïdjan"`` → ``"azerbaidjan"`` (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def lookup(assembled, text: str, *, limit: int | None = None) -> list[Match]:
    """The entities of the data graphs whose label or alias contains ``text``, or whose code or QID is it.

    Sorted: exact matches (a code, a whole label) first, then by label. An empty ``text``
    finds nothing.
    """
    wanted = normalise(text.strip())
    if not wanted:
        return []
    graphs = list(assembled.data_graphs)
    if not graphs:
        return []
    values = " ".join(p.n3() for p in (*_LABELS, *_CODES))
    result = run_query(assembled, _CANDIDATES % (values, " ".join(g.n3() for g in graphs)))
    found: dict[URIRef, list[tuple[bool, str]]] = {}
    for s, p, o in result.rows:
        if not isinstance(s, URIRef):
            continue
        hit = _hit(p, o, wanted)
        if hit is not None:
            found.setdefault(s, []).append(hit)
    if not found:
        return []
    details = run_query(assembled, _DETAILS % (" ".join(s.n3() for s in found), " ".join(g.n3() for g in graphs)))
    kinds: dict[URIRef, set] = {}
    in_graphs: dict[URIRef, set] = {}
    labels: dict[URIRef, list[Literal]] = {}
    for s, what, value in details.rows:
        if str(what) == "type":
            kinds.setdefault(s, set()).add(value)
        elif str(what) == "graph":
            in_graphs.setdefault(s, set()).add(value)
        elif isinstance(value, Literal):
            labels.setdefault(s, []).append(value)
    matches = []
    for s, hits in found.items():
        exact = any(e for e, _ in hits)
        matches.append((not exact, Match(
            iri=s,
            label=_best_label(labels.get(s, [])),
            kinds=tuple(sorted(kinds.get(s, ()), key=str)),
            matched=tuple(sorted({h for _, h in hits})),
            graphs=tuple(sorted(in_graphs.get(s, ()), key=str)),
        )))
    matches.sort(key=lambda m: (m[0], normalise(m[1].label), str(m[1].iri)))
    ordered = [m for _, m in matches]
    return ordered[:limit] if limit is not None else ordered


def _hit(p, o, wanted: str) -> tuple[bool, str] | None:
    """(exact?, what matched) when ``o`` of ``p`` matches, else None."""
    from diplograph.terms import shorten

    if p in _LABELS:
        if not isinstance(o, Literal):
            return None
        value = normalise(str(o))
        if wanted not in value:
            return None
        kind = "alias" if p == SKOS.altLabel else "label"
        tag = f"@{o.language}" if o.language else ""
        return value == wanted, f'{kind} "{o}"{tag}'
    if p == SKOS.exactMatch:
        if isinstance(o, URIRef) and str(o).startswith(str(WD)) and normalise(str(o)[len(str(WD)):]) == wanted:
            return True, f"skos:exactMatch {shorten(o)}"
        return None
    if normalise(str(o)) == wanted:
        return True, f'{shorten(p)} "{o}"'
    return None


def _best_label(labels: list[Literal]) -> str:
    for rank in ("en", None):
        for label in sorted(labels, key=str):
            if label.language == rank:
                return str(label)
    return str(min(labels, key=str)) if labels else ""
