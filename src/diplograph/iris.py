"""Minting IRIs: the one place that knows the IRI pattern of every kind of entity and statement.

The same thing gets the same IRI in every graph because every IRI is built from its key here:
the reference generator (:mod:`diplograph.reference`), the scaffold (:mod:`diplograph.scaffold`)
and the merge (:mod:`diplograph.merge`) all call these functions, and ``docs/conventions.md``
lists the patterns for people who write graphs by hand. Below ``id/{kind}/`` the keyed IRIs that
people write (events, memberships) have no further ``/``, so that each can be written as a Turtle
prefixed name (``event:summit-2024-astana-sco``, ``membership:sco-KAZ``).

>>> state("AZE")
rdflib.term.URIRef('https://w3id.org/diplograph/id/state/AZE')
>>> relationship("CHN", "AZE")
rdflib.term.URIRef('https://w3id.org/diplograph/id/relationship/AZE-CHN')
>>> membership("SCO", "KAZ")
rdflib.term.URIRef('https://w3id.org/diplograph/id/membership/sco-KAZ')
>>> event("meeting", "2024-07-03", "astana", ["xi-jinping", "ilham-aliyev"])
rdflib.term.URIRef('https://w3id.org/diplograph/id/event/meeting-2024-07-03-astana-ilham-aliyev-xi-jinping')
>>> graph_iri("source", "china-azerbaijan-2024")
rdflib.term.URIRef('https://w3id.org/diplograph/graph/source/china-azerbaijan-2024')
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from rdflib import URIRef

from diplograph.namespaces import GRAPH, GRAPH_KINDS, ID
from diplograph.terms import slug

__all__ = [
    "BASES",
    "META_GRAPH",
    "PUSH_GENID",
    "author",
    "base",
    "cameo",
    "cameo_scheme",
    "coded_actor",
    "coded_event",
    "event",
    "graph_iri",
    "is_under",
    "key_of",
    "membership",
    "organisation",
    "person",
    "place",
    "plover",
    "plover_scheme",
    "post",
    "push_skolem_base",
    "refinement",
    "reference_source",
    "relationship",
    "sentence",
    "skolem_base",
    "source",
    "state",
    "statement",
    "territory",
    "unresolved_actor",
]

#: Entity kind -> the path under ``id/`` its IRIs start with.
BASES: dict[str, str] = {
    "state": "state/",
    "territory": "territory/",
    "organisation": "org/",
    "place": "place/",
    "person": "person/",
    "post": "post/",
    "institution": "institution/",
    "event": "event/",
    "relationship": "relationship/",
    "membership": "membership/",
    "source": "source/",
    "statement": "statement/",
    "reference-source": "reference-source/",
    "coded-event": "coded-event/",
    "actor": "actor/",
    "cameo": "cameo/",
    "plover": "plover/",
    "refinement": "refinement/",
}

#: The named graph holding the PROV metadata of every merged graph.
META_GRAPH = GRAPH["meta"]

_ISO3 = re.compile(r"[A-Z]{3}")


def base(kind: str) -> str:
    """The IRI prefix of entities of ``kind`` (a key of :data:`BASES`)."""
    return str(ID[BASES[kind]])


def is_under(node: object, kind: str) -> bool:
    """True when ``node`` is an IRI following the pattern of ``kind`` (it starts with :func:`base`)."""
    return isinstance(node, URIRef) and str(node).startswith(base(kind))


def key_of(node: object, kind: str) -> str | None:
    """The key part of a conventional IRI (``id/state/AZE`` -> ``"AZE"``), else None."""
    if not is_under(node, kind):
        return None
    key = str(node)[len(base(kind)):]
    return key or None


def _iso3(code: str) -> str:
    code = code.strip().upper()
    if not _ISO3.fullmatch(code):
        raise ValueError(f"not an ISO 3166-1 alpha-3 code: {code!r}")
    return code


def _slug_or(text: str, fallback: str) -> str:
    return slug(text) or fallback


# --- entities --------------------------------------------------------------------------


def state(iso3: str) -> URIRef:
    """``id/state/{ISO3}``: a state, by its ISO 3166-1 alpha-3 code."""
    return ID[BASES["state"] + _iso3(iso3)]


def territory(iso3: str) -> URIRef:
    """``id/territory/{ISO3}``: a territory that is not a state (ISO 3166-1 lists both)."""
    return ID[BASES["territory"] + _iso3(iso3)]


def organisation(acronym: str) -> URIRef:
    """``id/org/{acronym}``: an international organisation, by its acronym in lower case."""
    return ID[BASES["organisation"] + _slug_or(acronym, "x")]


def place(name_or_slug: str) -> URIRef:
    """``id/place/{slug}``: a city or other place, by its English name."""
    return ID[BASES["place"] + _slug_or(name_or_slug, "x")]


def person(name: str) -> URIRef:
    """``id/person/{name-slug}``: a person, by the name the sources use (``xi-jinping``)."""
    return ID[BASES["person"] + _slug_or(name, "x")]


def post(holder_key: str, role: str) -> URIRef:
    """``id/post/{holder}-{role}``: a post in a state or organisation (``AZE-president``)."""
    return ID[BASES["post"] + f"{holder_key}-{_slug_or(role, 'post')}"]


def relationship(iso3_a: str, iso3_b: str) -> URIRef:
    """``id/relationship/{ISO3}-{ISO3}``: the bilateral relationship of two states, codes sorted."""
    a, b = sorted((_iso3(iso3_a), _iso3(iso3_b)))
    if a == b:
        raise ValueError(f"a bilateral relationship needs two different states, got {a} twice")
    return ID[BASES["relationship"] + f"{a}-{b}"]


def membership(acronym: str, iso3: str) -> URIRef:
    """``id/membership/{org}-{ISO3}``: one member's membership of one organisation."""
    return ID[BASES["membership"] + f"{_slug_or(acronym, 'x')}-{_iso3(iso3)}"]


def event(kind: str, date: str, place_key: str | None, qualifiers: Iterable[str] = ()) -> URIRef:
    """``id/event/{type}-{date}[-{place}][-{qualifier}]``: an event minted from its key.

    ``kind`` is the event type (``meeting``, ``summit``, ``visit``, ``press-conference``),
    ``date`` its date as written, ``place_key`` the last part of its place's IRI (left out when
    the source gives no place), and the qualifiers the organisation of a summit or the
    participants of another event (sorted), which tell apart two events of one type, day and
    place. One ``-``-joined name, so that it can be written as a prefixed name (``event:…``).
    """
    parts = [kind, _slug_or(date, "undated")]
    if place_key:
        parts.append(place_key)
    parts.extend(sorted(q for q in qualifiers if q))
    return ID[BASES["event"] + "-".join(parts)]


def coded_event(dataset: str, event_id: str) -> URIRef:
    """``id/coded-event/{dataset}/{id}``: one record of coded event data (``icews``, ``gdelt``), by its identifier.

    >>> coded_event("icews", "32889836")
    rdflib.term.URIRef('https://w3id.org/diplograph/id/coded-event/icews/32889836')
    """
    return ID[BASES["coded-event"] + f"{_slug_or(dataset, 'x')}/{_slug_or(event_id, 'x')}"]


def coded_actor(iso3: str, name: str) -> URIRef:
    """``id/actor/{ISO3}/{name-slug}``: an actor below the state that event data names, keyed by state and name."""
    return ID[BASES["actor"] + f"{_iso3(iso3)}/{_slug_or(name, 'x')}"]


def unresolved_actor(name: str, country: str = "") -> URIRef:
    """``id/actor/unresolved/{name-slug}[--{country-slug}]``: an actor whose country matched no state or territory."""
    key = _slug_or(name, "unnamed")
    if slug(country):
        key += f"--{slug(country)}"
    return ID[BASES["actor"] + f"unresolved/{key}"]


def cameo_scheme() -> URIRef:
    """``id/cameo``: the CAMEO event codebook as a SKOS concept scheme."""
    return ID["cameo"]


def cameo(code: str) -> URIRef:
    """``id/cameo/{code}``: one CAMEO event code (``043`` "Host a visit"), digits as written, leading zeros kept."""
    if not re.fullmatch(r"[0-9]{2,4}", code):
        raise ValueError(f"not a CAMEO event code (2 to 4 digits): {code!r}")
    return ID[BASES["cameo"] + code]


_PLOVER_KINDS = ("event", "mode", "context")


def plover_scheme(kind: str) -> URIRef:
    """``id/plover/{kind}``: the PLOVER event types, modes or contexts as a SKOS concept scheme."""
    if kind not in _PLOVER_KINDS:
        raise ValueError(f"PLOVER has event, mode and context categories, not {kind!r}")
    return ID[BASES["plover"] + kind]


def plover(kind: str, name: str) -> URIRef:
    """``id/plover/{kind}/{name}``: a PLOVER category (``plover("event", "CONSULT")``), name as the crosswalk writes it."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name):
        raise ValueError(f"not a PLOVER category name: {name!r}")
    return URIRef(f"{plover_scheme(kind)}/{name}")


def reference_source(name: str) -> URIRef:
    """``id/reference-source/{slug}``: a file or page a reference fact comes from."""
    return ID[BASES["reference-source"] + _slug_or(name, "x")]


# --- sources and their statements ----------------------------------------------------------


def source(stem: str) -> URIRef:
    """``id/source/{stem}``: a source document, named after its graph file's stem."""
    return ID[BASES["source"] + stem]


def author(stem: str) -> URIRef:
    """``id/source/{stem}/author``: the unnamed author of a source document."""
    return ID[BASES["source"] + f"{stem}/author"]


def sentence(stem: str, line: int, number: int) -> URIRef:
    """``id/source/{stem}/sentence/{line}-{n}``: sentence ``n`` of line ``line`` of a source's text."""
    return ID[BASES["source"] + f"{stem}/sentence/{line}-{number}"]


def statement(stem: str, local: str) -> URIRef:
    """``id/statement/{stem}/{local}``: a statement node of one source."""
    return ID[BASES["statement"] + f"{stem}/{local}"]


def refinement(graph: str, node: str, prop: str, value: str) -> URIRef:
    """``id/refinement/{first 16 hex of sha256(graph, node, property, value)}``: the record, in
    ``graph/meta``, of a coarser date a graph gave that the merge replaced by a more precise one."""
    digest = hashlib.sha256("\n".join((graph, node, prop, value)).encode()).hexdigest()
    return ID[BASES["refinement"] + digest[:16]]


def skolem_base(sha256: str, graph: str = "") -> str:
    """The IRI prefix of the skolemised blank nodes of a file: its SHA-256 and its default graph name.

    ``id/.well-known/genid/{first 16 hex of sha256(graph name + file SHA-256)}/``: two files
    never share it, not even two copies of one file under different names.
    """
    digest = hashlib.sha256(f"{graph}\n{sha256}".encode()).hexdigest()
    return str(ID[f".well-known/genid/{digest[:16]}/"])


#: Where the skolem IRIs of the blank nodes ``push --method update`` sends start (read back as blank nodes).
PUSH_GENID = str(ID[".well-known/genid/push/"])


def push_skolem_base(graph: str) -> str:
    """The IRI prefix of the blank nodes of named graph ``graph`` sent as IRIs by a SPARQL update push.

    ``id/.well-known/genid/push/{first 16 hex of sha256(graph name)}/``; the rest of each IRI is a
    token of the push and a number (:func:`diplograph.endpoint.skolemised`). Read back from a
    server, these IRIs are blank nodes again (:func:`diplograph.store.remote.unskolemised`).
    """
    return f"{PUSH_GENID}{hashlib.sha256(graph.encode()).hexdigest()[:16]}/"


# --- named graphs ------------------------------------------------------------------------


def graph_iri(kind: str, name: str | None = None) -> URIRef:
    """Return the IRI of a named graph of the dataset.

    >>> graph_iri("ontology")
    rdflib.term.URIRef('https://w3id.org/diplograph/graph/ontology')

    ``kind`` is one of :data:`~diplograph.namespaces.GRAPH_KINDS`; ``reference`` and ``source``
    graphs need a ``name`` (the stem of the file they were loaded from), the others must not
    have one. Raises :class:`ValueError` otherwise.
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
