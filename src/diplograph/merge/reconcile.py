"""Reconciling entities by key: which IRIs of the merged graphs name the same thing.

:func:`resolve` reads the key facts of every input (the ``owl:hasKey`` declarations of the
ontology, as IRIs are minted in :mod:`diplograph.iris`), over the union of every graph, and
returns the canonical IRI of every node that must be rewritten. One small reconciler per kind of
entity does the work, in dependency order (:data:`RECONCILERS`): a person's key uses their
state's canonical IRI, an event's its place's, a relationship's its parties'.

- states: ``dg:isoAlpha3`` -> ``id/state/{ISO3}``; else a QID shared with a state that has an
  ISO code; territories likewise -> ``id/territory/{ISO3}``;
- international organisations: ``dg:acronym`` -> ``id/org/{acronym}``; else a QID;
- places: a QID (places sharing one are one place);
- people: a QID, or ``foaf:name`` + (reconciled) ``dg:affiliatedState``; people sharing any key
  are one person;
- events: type + ``dg:date`` + (reconciled) ``dg:place``, plus ``dg:summitOf`` for a summit and
  the participants for other events (two bilateral meetings on the sidelines of one summit, on
  one day in one place, stay two); dates match at different precisions ("2024" and "2024-07-03"),
  and two events that nearly match (one type and place, agreeing dates) are a warning;
- bilateral relationships: their two reconciled ``dg:party`` states;
- memberships: reconciled ``org:organization`` + ``org:member``.

States, territories, organisations, relationships and memberships get the IRI computed from
their key. People, places and events get the smallest IRI of their group that already follows
the conventions (is under ``id/{kind}/``), else one minted from the key, so hand-written IRIs of
a curated graph never change. A node no key reaches is kept with a warning naming it; a node
typed as two incompatible kinds of thing (:data:`diplograph.kinds.CLASSES`, ``identity``) is a
*type clash*: reported, never rewritten (it still lends its keys to others).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from diplograph import iris
from diplograph.kinds import CLASSES, EVENT_CLASSES
from diplograph.merge.inputs import GraphInput
from diplograph.merge.precision import coarser, compatible, date_parts, most_precise
from diplograph.merge.report import MergeWarning, TypeClash
from diplograph.namespaces import DG, FOAF, ID, ORG, RDF, RDFS, SKOS, WD
from diplograph.terms import best_label, iri_tail, shorten, term_key, turtle

__all__ = ["KEY_PREDICATES", "RECONCILERS", "Resolution", "resolve"]

_EVENT_PEOPLE = (DG.participant, DG.speaker, DG.visitor, DG.visitingState, DG.hostState)
#: The predicates reconciliation reads: ``rdf:type`` and every property a key is made of.
KEY_PREDICATES: frozenset[URIRef] = frozenset({
    RDF.type, DG.isoAlpha3, DG.wikidata, SKOS.exactMatch, DG.acronym, FOAF.name, RDFS.label,
    DG.affiliatedState, DG.date, DG.place, DG.summitOf, DG.party, ORG.member, ORG.organization, *_EVENT_PEOPLE,
})
_QID = re.compile(r"Q[1-9][0-9]*")


class KeyIndex:
    """What every graph says about the key properties of every node: node -> property -> value -> graphs."""

    def __init__(self, inputs: Iterable[GraphInput]) -> None:
        self.facts: dict[Node, dict[Node, dict[Node, set[URIRef]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(set)))
        for inp in inputs:
            for s, p, o in inp.key_facts:
                self.facts[s][p][o].add(inp.name)

    def values(self, node: Node, prop: Node) -> list[Node]:
        d = self.facts.get(node)
        if not d or prop not in d:
            return []
        return sorted(d[prop], key=term_key)

    def types(self, node: Node) -> Mapping[Node, set[URIRef]]:
        return self.facts.get(node, {}).get(RDF.type, {})

    def graphs_typing(self, node: Node) -> list[str]:
        return sorted({str(g) for gs in self.types(node).values() for g in gs})

    def qids(self, node: Node) -> list[str]:
        found = {str(v) for v in self.values(node, DG.wikidata)}
        found |= {str(v)[len(str(WD)):] for v in self.values(node, SKOS.exactMatch) if str(v).startswith(str(WD))}
        return sorted(q for q in found if _QID.fullmatch(q))


@dataclass
class Resolution:
    """The state every reconciler reads and adds to, and the answer of :func:`resolve`.

    ``mapping``: node -> canonical IRI (only nodes that change); ``keys``: node -> the key that
    decided it, in words; ``by_identity``: nodes per kind of thing; ``clashed``: nodes never rewritten.
    """

    index: KeyIndex
    files: dict[URIRef, str]
    mapping: dict[Node, URIRef] = field(default_factory=dict)
    keys: dict[Node, str] = field(default_factory=dict)
    warnings: list[MergeWarning] = field(default_factory=list)
    clashes: list[TypeClash] = field(default_factory=list)
    clashed: set[Node] = field(default_factory=set)
    by_identity: dict[str, list[Node]] = field(default_factory=lambda: defaultdict(list))

    def canonical(self, node: Node) -> Node:
        """The IRI ``node`` is rewritten to (itself when it stays)."""
        return self.mapping.get(node, node)

    def set_target(self, node: Node, target: URIRef, key: str) -> None:
        if node in self.clashed:
            return
        self.keys[node] = key
        if target != node:
            self.mapping[node] = target

    def where(self, node: Node) -> str:
        gs = self.index.graphs_typing(node)
        return ", ".join(f"{shorten(URIRef(g))} ({self.files.get(URIRef(g), '')})" for g in gs) or "?"

    def warn(self, node: Node, message: str) -> None:
        self.warnings.append(MergeWarning(self.where(node), shorten(node), message))


Reconciler = Callable[[Resolution], None]


def resolve(inputs: Mapping[URIRef, GraphInput]) -> Resolution:
    """The canonical IRI of every reconcilable node of ``inputs`` (see the module docstring)."""
    found = Resolution(KeyIndex(inputs.values()), {name: inp.file for name, inp in inputs.items()})
    _classify(found)
    for reconcile in RECONCILERS:
        reconcile(found)
    found.warnings = sorted(set(found.warnings))
    found.clashes = sorted(found.clashes)
    return found


def _classify(r: Resolution) -> None:
    """Sort nodes by kind of thing; a node of two kinds is a type clash."""
    for node, props in r.index.facts.items():
        kinds: dict[str, set[str]] = defaultdict(set)
        for cls, graphs in props.get(RDF.type, {}).items():
            if cls in CLASSES:
                kinds[CLASSES[cls].identity] |= {str(g) for g in graphs}
        if not isinstance(node, URIRef):
            continue
        if len(kinds) > 1:
            r.clashed.add(node)
            r.clashes.append(TypeClash(node, tuple(sorted((k, tuple(sorted(
                f"{shorten(URIRef(g))} ({r.files.get(URIRef(g), '')})" for g in gs))) for k, gs in kinds.items()))))
        for k in kinds:
            r.by_identity[k].append(node)
    for nodes in r.by_identity.values():
        nodes.sort(key=str)


# --- one reconciler per kind of entity ----------------------------------------------------


def _coded(identity: str, kind: str, mint: Callable[[str], URIRef]) -> Reconciler:
    """States and territories: their ISO 3166-1 alpha-3 code, else a QID shared with a coded one."""

    def reconcile(r: Resolution) -> None:
        idx, nodes = r.index, r.by_identity[identity]
        qid_iso = _codes_by_qid(idx, nodes, DG.isoAlpha3)
        for node in nodes:
            if iris.is_under(node, kind):
                continue  # a canonical IRI: its IRI is its key
            isos = sorted({str(v) for v in idx.values(node, DG.isoAlpha3)})
            qids = idx.qids(node)
            if len(isos) == 1 and re.fullmatch(r"[A-Z]{3}", isos[0]):
                r.set_target(node, mint(isos[0]), f'dg:isoAlpha3 "{isos[0]}"')
            elif len(isos) > 1:
                r.warn(node, f"has {len(isos)} ISO codes ({', '.join(isos)}): cannot reconcile, kept as is")
            elif isos:
                r.warn(node, f'has the malformed ISO code "{isos[0]}": cannot reconcile, kept as is')
            elif qids:
                found = sorted({iso for q in qids for iso in qid_iso.get(q, ())})
                if len(found) == 1:
                    q = next(q for q in qids if found[0] in qid_iso.get(q, ()))
                    r.set_target(node, mint(found[0]), f'dg:wikidata "{q}"')
                else:
                    r.warn(node, f"has no dg:isoAlpha3 and its QID {', '.join(qids)} matches "
                                 f"{'no' if not found else 'more than one'} {identity} with an ISO code: "
                                 "cannot reconcile, kept as is")
            else:
                r.warn(node, f"is a {identity} with no dg:isoAlpha3 and no dg:wikidata QID: cannot reconcile, kept as is")

    return reconcile


reconcile_states = _coded("dg:State", "state", iris.state)
reconcile_territories = _coded("dg:Territory", "territory", iris.territory)


def reconcile_organisations(r: Resolution) -> None:
    """International organisations: their acronym, else a QID shared with one that has an acronym."""
    idx = r.index
    orgs = [n for n in r.by_identity["organisation"] if DG.InternationalOrganisation in idx.types(n)]
    qid_acr = _codes_by_qid(idx, orgs, DG.acronym)
    for node in orgs:
        if iris.is_under(node, "organisation"):
            continue
        acrs = sorted({str(v) for v in idx.values(node, DG.acronym)})
        if len(acrs) == 1:
            r.set_target(node, iris.organisation(acrs[0]), f'dg:acronym "{acrs[0]}"')
        elif len(acrs) > 1:
            r.warn(node, f"has {len(acrs)} acronyms ({', '.join(acrs)}): cannot reconcile, kept as is")
        else:
            qids = idx.qids(node)
            found = sorted({a for q in qids for a in qid_acr.get(q, ())})
            if len(found) == 1:
                q = next(q for q in qids if found[0] in qid_acr.get(q, ()))
                r.set_target(node, iris.organisation(found[0]), f'dg:wikidata "{q}"')
            else:
                r.warn(node, "is an international organisation with no dg:acronym and no known QID: "
                             "cannot reconcile, kept as is")


def reconcile_places(r: Resolution) -> None:
    """Places: a QID; a group of places sharing one gets one IRI."""
    idx = r.index

    def mint(n: Node) -> URIRef | None:
        name = best_label(idx.values(n, RDFS.label), "en", fallback=False)
        return iris.place(name) if name else None

    KeyGroups(r, "place", lambda n: [("qid", q) for q in idx.qids(n)], mint,
              lambda n, k: f'dg:wikidata "{k[1]}"').assign(r.by_identity["dg:Place"])


def reconcile_people(r: Resolution) -> None:
    """People: a QID, or their name and (reconciled) affiliated state."""
    idx = r.index

    def keys(n: Node) -> list[tuple]:
        found = [("qid", q) for q in idx.qids(n)]
        for name in idx.values(n, FOAF.name):
            for st in idx.values(n, DG.affiliatedState):
                found.append(("name", str(name), r.canonical(st)))
        return found

    def mint(n: Node) -> URIRef | None:
        names = idx.values(n, FOAF.name)
        return iris.person(str(names[0])) if names else None

    def text(n: Node, k: tuple) -> str:
        return f'dg:wikidata "{k[1]}"' if k[0] == "qid" else f'foaf:name "{k[1]}" + dg:affiliatedState {shorten(k[2])}'

    for node in KeyGroups(r, "person", keys, mint, text).assign(r.by_identity["dg:Person"]):
        if not _is_ours(node):
            r.warn(node, "is a dg:Person with no dg:wikidata and no foaf:name + dg:affiliatedState: "
                         "cannot reconcile, kept as is")


def reconcile_events(r: Resolution) -> None:
    """Events: type, date and place, plus the organisation of a summit or the participants of another event.

    Dates match when they are compatible (:func:`~diplograph.merge.precision.compatible`): "2024"
    and "2024-07-03" are one date at two precisions. Among events of one key but their date, each
    date stands for the most precise date it agrees with, when that is one date; a coarse date that
    agrees with two ("2024" with "2024-07-03" and "2024-07-05") is left alone. Events of one type
    and place whose dates agree but that still differ (another organisation or none, participants
    one names and the other does not, an ambiguous date), described in different graphs, are a
    *near miss*: a warning names both. Events whose participants are different people (neither
    list holds the other) are told apart by them, and are no near miss.
    """
    idx = r.index

    def base(n: Node) -> tuple | None:
        """The key without its date, and the date: None when the event has no key."""
        types = idx.types(n)
        classes = tuple(sorted(str(c) for c in types if c in EVENT_CLASSES))
        if len(classes) > 1:
            classes = tuple(c for c in classes if c != str(DG.DiplomaticEvent))
        date = most_precise(idx.values(n, DG.date))  # two graphs may date one IRI at two precisions
        places = sorted({r.canonical(p) for p in idx.values(n, DG.place)}, key=str)
        if date is None or len(places) > 1:
            return None
        place = places[0] if places else None
        if DG.Summit in types:
            orgs = sorted({r.canonical(o) for o in idx.values(n, DG.summitOf)}, key=str)
            if len(orgs) > 1 or (place is None and not orgs):
                return None
            return (classes, place, orgs[0] if orgs else None, frozenset()), date
        if place is None:
            return None
        people = frozenset(r.canonical(v) for p in _EVENT_PEOPLE for v in idx.values(n, p))
        return (classes, place, None, people), date

    nodes = r.by_identity["event"]
    bases = {n: found for n in nodes if (found := base(n)) is not None}
    standing = _standing_dates(bases.values())

    def keys(n: Node) -> list[tuple]:
        if n not in bases:
            return []
        (classes, place, org, people), date = bases[n]
        return [("event", classes, standing[(classes, place, org, people)][date], place, org, people)]

    def mint(n: Node) -> URIRef | None:
        found = keys(n)
        if not found:
            return None
        _e, classes, date, place, org, people = found[0]
        kind = EVENT_CLASSES[URIRef(classes[0])].slug if classes else "event"
        qualifiers = [iri_tail(org)] if org is not None else [iri_tail(p) for p in people]
        return iris.event(kind, str(date), iri_tail(place) if place is not None else None, qualifiers)

    def text(n: Node, k: tuple) -> str:
        _e, classes, date, place, org, people = k
        own = bases[n][1]
        shown = _value(own) if own == date else f"{_value(own)}, refined by {_value(date)}"
        words = f"type+date+place ({', '.join(shorten(URIRef(c)) for c in classes)}, {shown}, {shorten(place)}"
        if org is not None:
            words += f", summitOf {shorten(org)}"
        if people:
            words += ", participants " + " ".join(sorted(shorten(p) for p in people))
        return words + ")"

    KeyGroups(r, "event", keys, mint, text).assign(nodes)
    _warn_near_misses(r, bases)


def _standing_dates(bases: Iterable[tuple[tuple, Node]]) -> dict[tuple, dict[Node, Node]]:
    """Per key-without-date, each date -> the date it stands for: the one most precise date it agrees with."""
    by_key: dict[tuple, set[Node]] = defaultdict(set)
    for key, date in bases:
        by_key[key].add(date)
    standing: dict[tuple, dict[Node, Node]] = {}
    for key, dates in by_key.items():
        finest = [d for d in dates if not any(coarser(d, other) for other in dates)]
        standing[key] = {}
        for d in dates:
            agreeing = [f for f in finest if compatible(d, f)]
            standing[key][d] = agreeing[0] if len(agreeing) == 1 else d
    return standing


def _warn_near_misses(r: Resolution, bases: Mapping[Node, tuple[tuple, Node]]) -> None:
    """Warn about two events of one type and place, with agreeing dates, that did not reconcile.

    Candidates are found by index, not by trying every pair: agreeing dates share a year, and of
    two events with participants, one's participants hold the other's, so they share its first.
    """
    by_place: dict[tuple, list[Node]] = defaultdict(list)
    for n, ((classes, place, _org, _people), date) in bases.items():
        if place is not None:
            parts = date_parts(date)
            by_place[(classes, place, parts[0] if parts else str(date))].append(n)
    for found in by_place.values():
        events: dict[Node, tuple[Node, set]] = {}  # canonical event -> one of its nodes, the graphs describing it
        for n in sorted(found, key=str):
            target = r.canonical(n)
            first, graphs = events.get(target, (n, set()))
            events[target] = (first, graphs | set(r.index.graphs_typing(n)))
        ordered = sorted(events, key=str)
        by_person: dict[Node, list[Node]] = defaultdict(list)
        for e in ordered:
            for person in bases[events[e][0]][0][3]:
                by_person[person].append(e)
        for a in ordered:
            people = bases[events[a][0]][0][3]
            candidates = by_person[min(people, key=str)] if people else ordered
            for b in candidates:
                if str(b) > str(a) or (not people and bases[events[b][0]][0][3]):
                    _near_miss(r, bases, events[a], b, events[b])


def _near_miss(r: Resolution, bases: Mapping[Node, tuple[tuple, Node]], a: tuple, b: Node, found_b: tuple) -> None:
    (na, ga), (nb, gb) = a, found_b
    (_c, _p, org_a, people_a), date_a = bases[na]
    (_c, _p, org_b, people_b), date_b = bases[nb]
    if ga & gb or not compatible(date_a, date_b):
        return  # one graph describes both: its author told them apart
    if org_a != org_b:
        why = f"dg:summitOf {shorten(org_a) if org_a else 'none'} and {shorten(org_b) if org_b else 'none'}"
    elif people_a != people_b:
        if not (people_a <= people_b or people_b <= people_a):
            return  # other people met: two meetings (on the sidelines of one summit, say)
        why = "one names participants the other does not"
    else:
        why = f"a date ({_value(date_a)} / {_value(date_b)}) that agrees with more than one event"
    if str(r.canonical(nb)) < str(r.canonical(na)):  # the warning is on the first of the two, whichever found it
        na, nb, date_a, date_b = nb, na, date_b, date_a
    r.warn(na, f"near miss: may be the same event as {shorten(r.canonical(nb))} ({r.where(nb)}): same type and "
               f"place, agreeing dates ({_value(date_a)} and {_value(date_b)}), but {why}, so they were "
               "not reconciled; if they are one event, give both the same key (or the same IRI)")


def reconcile_relationships(r: Resolution) -> None:
    """Bilateral relationships: their two (reconciled) states."""
    for node in r.by_identity["dg:BilateralRelationship"]:
        parties = sorted({r.canonical(p) for p in r.index.values(node, DG.party)}, key=str)
        codes = [iris.key_of(p, "state") for p in parties if iris.is_under(p, "state")]
        target = _minted(iris.relationship, *codes) if len(parties) == 2 and len(codes) == 2 else None
        if target is not None:
            r.set_target(node, target, f"dg:party {shorten(parties[0])} + {shorten(parties[1])}")
        elif not _is_ours(node):
            r.warn(node, "is a dg:BilateralRelationship whose two dg:party states cannot be reconciled: kept as is")


def reconcile_memberships(r: Resolution) -> None:
    """Memberships: the (reconciled) organisation and member state."""
    idx = r.index
    for node in r.by_identity["statement"]:
        if DG.Membership not in idx.types(node):
            continue
        members = {r.canonical(v) for v in idx.values(node, ORG.member)}
        orgs = {r.canonical(v) for v in idx.values(node, ORG.organization)}
        if len(members) == 1 and len(orgs) == 1:
            member, org = next(iter(members)), next(iter(orgs))
            if iris.is_under(member, "state") and iris.is_under(org, "organisation"):
                target = _minted(iris.membership, iris.key_of(org, "organisation"), iris.key_of(member, "state"))
                if target is not None:
                    r.set_target(node, target, f"org:organization {shorten(org)} + org:member {shorten(member)}")


#: The reconcilers, in the order they run (later keys use earlier answers).
RECONCILERS: tuple[Reconciler, ...] = (
    reconcile_states, reconcile_territories, reconcile_organisations, reconcile_places,
    reconcile_people, reconcile_events, reconcile_relationships, reconcile_memberships,
)


# --- groups of nodes sharing a key --------------------------------------------------------


class KeyGroups:
    """Union-find over nodes that share any key; each group gets one canonical IRI.

    ``keys(node)`` lists a node's keys (hashable tuples); ``mint(node)`` an IRI built from them
    (or None); ``text(node, key)`` says a key in words for the report. A group keeps its smallest
    IRI already under ``id/{kind}/``; else the smallest minted one, made unique with ``-2``, ``-3``.
    """

    def __init__(self, r: Resolution, kind: str, keys, mint, text) -> None:
        self.r, self.kind, self.keys_of, self.mint, self.text = r, kind, keys, mint, text
        self.parent: dict[Node, Node] = {}

    def _find(self, x: Node) -> Node:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def assign(self, nodes: list[Node]) -> list[Node]:
        """Give every keyed node of ``nodes`` its group's IRI; return the nodes without a key."""
        owner: dict[tuple, Node] = {}
        node_keys: dict[Node, list[tuple]] = {}
        unkeyed = []
        for n in nodes:
            self.parent[n] = n
            node_keys[n] = self.keys_of(n)
            if not node_keys[n]:
                unkeyed.append(n)
            for k in node_keys[n]:
                if k in owner:
                    a, b = self._find(owner[k]), self._find(n)
                    if a != b:
                        self.parent[max(a, b, key=str)] = min(a, b, key=str)
                else:
                    owner[k] = n
        groups: dict[Node, list[Node]] = defaultdict(list)
        for n in nodes:
            if node_keys[n]:
                groups[self._find(n)].append(n)
        used: set[URIRef] = set()
        # groups holding a conventional IRI first, so that minted IRIs never take theirs
        ordered = sorted(groups.values(),
                         key=lambda g: (not any(iris.is_under(x, self.kind) for x in g), min(map(str, g))))
        for members in ordered:
            members.sort(key=str)
            canonical = self._canonical(members, used)
            if canonical is None:
                continue
            used.add(canonical)
            counts: dict[tuple, int] = defaultdict(int)
            for x in members:
                for k in node_keys[x]:
                    counts[k] += 1
            for x in members:
                shared = [k for k in node_keys[x] if counts[k] > 1] or node_keys[x]
                self.r.set_target(x, canonical, self.text(x, sorted(shared, key=repr)[0]))
        return unkeyed

    def _canonical(self, members: list[Node], used: set[URIRef]) -> URIRef | None:
        conventional = [x for x in members if iris.is_under(x, self.kind)]
        if conventional:
            return conventional[0]
        minted = sorted({str(m) for m in map(self.mint, members) if m is not None})
        if not minted:
            return None
        canonical, n = URIRef(minted[0]), 2
        while canonical in used:
            canonical = URIRef(f"{minted[0]}-{n}")
            n += 1
        return canonical


def _codes_by_qid(idx: KeyIndex, nodes: list[Node], code: URIRef) -> dict[str, set[str]]:
    """QID -> the codes (ISO code, acronym) of the nodes that have exactly one code and that QID."""
    found: dict[str, set[str]] = defaultdict(set)
    for node in nodes:
        codes = [str(v) for v in idx.values(node, code)]
        if len(codes) == 1:
            for q in idx.qids(node):
                found[q].add(codes[0])
    return found


def _minted(mint: Callable[..., URIRef], *keys: str) -> URIRef | None:
    """``mint(*keys)``, or None when the keys do not make an IRI (an IRI under id/state/ that is no ISO code)."""
    try:
        return mint(*keys)
    except ValueError:
        return None


def _is_ours(node: Node) -> bool:
    """An IRI under ``id/`` (minted by diplograph's conventions, of whatever kind)."""
    return str(node).startswith(str(ID))


def _value(v: Node) -> str:
    return turtle(v) if isinstance(v, Literal) else shorten(v)
