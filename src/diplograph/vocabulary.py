"""The ontology's vocabulary as a person reads it: classes, properties, concept schemes and concepts,
and the collections that group concepts (``dg:ParticipationStatuses``).

:func:`read_vocabulary` turns the ontology graph (``ontology/*.ttl``) into a :class:`Vocabulary`;
:func:`search` keeps the terms a word appears in (name, label or definition; case and accents
ignored). ``diplograph terms`` prints it; anything needing the list of dg: terms can use it
(:meth:`Vocabulary.names`).

Only the ontology's own terms (in the ``dg:`` namespace) are listed: the W3C terms it reuses are
documented by their own vocabularies. A definition is ``skos:definition``, else ``rdfs:comment``,
in English where there are several; a domain or range that is a union (``owl:unionOf``) reads
``dg:A or dg:B``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from diplograph.lookup import normalise
from diplograph.namespaces import DG
from diplograph.terms import shorten

__all__ = ["Concept", "ConceptCollection", "ConceptScheme", "Property", "Term", "Vocabulary", "read_vocabulary", "search"]

_PROPERTY_TYPES = {
    OWL.ObjectProperty: "object",
    OWL.DatatypeProperty: "datatype",
    OWL.AnnotationProperty: "annotation",
    RDF.Property: "property",
}


@dataclass(frozen=True)
class Term:
    """A class (or the common part of the other kinds): its IRI, label and definition."""

    iri: URIRef
    label: str
    definition: str

    @property
    def name(self) -> str:
        """``dg:Summit``."""
        return shorten(self.iri)

    def text(self) -> str:
        """What :func:`search` looks in."""
        return " ".join((self.name, str(self.iri).rsplit("#", 1)[-1], self.label, self.definition))


@dataclass(frozen=True)
class Property(Term):
    """A property, with its kind (``object``, ``datatype``…), domain and range as names (``""`` if none)."""

    kind: str = "property"
    domain: str = ""
    range: str = ""


@dataclass(frozen=True)
class Concept(Term):
    """A SKOS concept of a scheme; ``notation`` is its skos:notation (an order, a code), if any."""

    notation: str = ""


@dataclass(frozen=True)
class ConceptScheme(Term):
    """A concept scheme and its concepts (by notation, then label)."""

    concepts: tuple[Concept, ...] = ()


@dataclass(frozen=True)
class ConceptCollection(Term):
    """A SKOS collection: a named group of concepts of the schemes (``dg:ParticipationStatuses``), its
    members as names, sorted."""

    members: tuple[str, ...] = ()

    def text(self) -> str:
        return " ".join((super().text(), *self.members))


@dataclass(frozen=True)
class Vocabulary:
    classes: tuple[Term, ...] = ()
    properties: tuple[Property, ...] = ()
    schemes: tuple[ConceptScheme, ...] = field(default=())
    collections: tuple[ConceptCollection, ...] = field(default=())

    def __len__(self) -> int:
        return (len(self.classes) + len(self.properties) + sum(1 + len(s.concepts) for s in self.schemes)
                + len(self.collections))

    def names(self) -> dict[URIRef, str]:
        """Every term's IRI and what it is (``class``, ``property``, ``concept``, ``concept scheme``)."""
        found = {t.iri: "class" for t in self.classes}
        found.update({p.iri: "property" for p in self.properties})
        for scheme in self.schemes:
            found[scheme.iri] = "concept scheme"
            found.update({c.iri: "concept" for c in scheme.concepts})
        found.update({c.iri: "collection" for c in self.collections})
        return found

    def as_json(self) -> dict:
        def term(t: Term) -> dict:
            out = {"name": t.name, "iri": str(t.iri), "label": t.label, "definition": t.definition}
            if isinstance(t, Property):
                out.update(kind=t.kind, domain=t.domain, range=t.range)
            if isinstance(t, Concept) and t.notation:
                out["notation"] = t.notation
            if isinstance(t, ConceptScheme):
                out["concepts"] = [term(c) for c in t.concepts]
            if isinstance(t, ConceptCollection):
                out["members"] = list(t.members)
            return out

        return {"classes": [term(t) for t in self.classes], "properties": [term(p) for p in self.properties],
                "concept_schemes": [term(s) for s in self.schemes],
                "collections": [term(c) for c in self.collections]}


def read_vocabulary(ontology: Graph) -> Vocabulary:
    """The dg: classes, properties, concept schemes and collections the ontology graph declares, sorted by name."""

    def ours(iri) -> bool:
        return isinstance(iri, URIRef) and str(iri).startswith(str(DG))

    classes = sorted({c for t in (OWL.Class, RDFS.Class) for c in ontology.subjects(RDF.type, t) if ours(c)}, key=str)
    properties = []
    for kind_iri, kind in _PROPERTY_TYPES.items():
        for p in ontology.subjects(RDF.type, kind_iri):
            if ours(p) and not any(x.iri == p for x in properties):
                properties.append(Property(
                    p, _label(ontology, p), _definition(ontology, p), kind=kind,
                    domain=_names(ontology, ontology.value(p, RDFS.domain)),
                    range=_names(ontology, ontology.value(p, RDFS.range)),
                ))
    schemes = []
    for s in sorted((s for s in ontology.subjects(RDF.type, SKOS.ConceptScheme) if ours(s)), key=str):
        members = set(ontology.subjects(SKOS.inScheme, s)) | set(ontology.subjects(SKOS.topConceptOf, s))
        concepts = [Concept(c, _label(ontology, c), _definition(ontology, c),
                            notation=str(ontology.value(c, SKOS.notation) or "")) for c in members if ours(c)]
        concepts.sort(key=lambda c: (_order(c.notation), c.label, str(c.iri)))
        schemes.append(ConceptScheme(s, _label(ontology, s), _definition(ontology, s), concepts=tuple(concepts)))
    collections = [ConceptCollection(c, _label(ontology, c), _definition(ontology, c),
                                     members=tuple(sorted(shorten(m) for m in ontology.objects(c, SKOS.member))))
                   for c in sorted((c for c in ontology.subjects(RDF.type, SKOS.Collection) if ours(c)), key=str)]
    return Vocabulary(
        classes=tuple(Term(c, _label(ontology, c), _definition(ontology, c)) for c in classes),
        properties=tuple(sorted(properties, key=lambda p: str(p.iri))),
        schemes=tuple(schemes),
        collections=tuple(collections),
    )


def search(vocabulary: Vocabulary, word: str | None) -> Vocabulary:
    """The terms whose name, label or definition contains ``word`` (all of them for None or "").

    A scheme is kept whole when it matches itself, else with only its matching concepts.
    """
    if not word or not word.strip():
        return vocabulary
    wanted = normalise(word.strip())

    def hit(t: Term) -> bool:
        return wanted in normalise(t.text())

    schemes = []
    for scheme in vocabulary.schemes:
        if hit(scheme):
            schemes.append(scheme)
        elif matching := tuple(c for c in scheme.concepts if hit(c)):
            schemes.append(replace(scheme, concepts=matching))
    return Vocabulary(
        classes=tuple(t for t in vocabulary.classes if hit(t)),
        properties=tuple(p for p in vocabulary.properties if hit(p)),
        schemes=tuple(schemes),
        collections=tuple(c for c in vocabulary.collections if hit(c)),
    )


# --- helpers ---------------------------------------------------------------------------


def _english(values: Iterable) -> str:
    literals = sorted((v for v in values if isinstance(v, Literal)), key=str)
    for wanted in ("en", None):
        for v in literals:
            if v.language == wanted:
                return str(v)
    return str(literals[0]) if literals else ""


def _label(g: Graph, iri) -> str:
    return _english(g.objects(iri, RDFS.label)) or _english(g.objects(iri, SKOS.prefLabel))


def _definition(g: Graph, iri) -> str:
    return _english(g.objects(iri, SKOS.definition)) or _english(g.objects(iri, RDFS.comment))


def _names(g: Graph, node) -> str:
    """``dg:State``; a union ``dg:A or dg:B``; ``""`` for none."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        if union is not None:
            return " or ".join(shorten(m) if isinstance(m, URIRef) else "(…)" for m in Collection(g, union))
        return "(an anonymous class)"
    return shorten(node)


def _order(notation: str) -> tuple:
    return (0, int(notation), "") if notation.isdigit() else (1, 0, notation)


# --- "did you mean" ----------------------------------------------------------------------

#: What a use of a term says it must be: a predicate is a property, a type or a value a class or concept.
_ROLES = {"property": ("property",), "class or concept": ("class", "concept", "concept scheme")}


def suggest(local: str, vocabulary: Vocabulary, role: str, n: int = 3) -> list[str]:
    """Names (``dg:Visit``) of declared terms the unknown ``dg:{local}`` may have meant, best first.

    Terms of the kind the use needs (``role``: ``"property"`` or ``"class or concept"``) come
    first: the same name in another case, then close spellings (:func:`difflib.get_close_matches`),
    then terms sharing a word of the name (``visitKind`` → ``dg:visitor``, ``dg:Visit``).
    """
    import difflib
    import re

    names = vocabulary.names()
    kinds = _ROLES.get(role, ())
    same_kind = [str(i)[len(str(DG)):] for i, k in names.items() if k in kinds]
    found: list[str] = [t for t in same_kind if t.lower() == local.lower()]
    found += difflib.get_close_matches(local, same_kind, n=n, cutoff=0.75)
    if not found:
        words = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", local) if len(w) >= 4]
        shared = {t: sum(w in t.lower() for w in words) for t in same_kind}
        found += sorted((t for t, k in shared.items() if k), key=lambda t: (-shared[t], len(t), t))
    unique = list(dict.fromkeys(found))
    return [f"dg:{t}" for t in unique[:n]]
