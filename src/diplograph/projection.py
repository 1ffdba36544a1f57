"""Project a diplograph dataset onto a network a reader thinks in.

The RDF graph models everything with time, status or a source as an n-ary
statement node (a post holding, a membership, a relationship level, a stance…).
A drawing of those triples is unreadable, so :func:`project` turns them into a
:class:`networkx.MultiDiGraph` whose nodes are the things people name:

========================  =============================================================
node ``kind``             what
========================  =============================================================
``state``                 a state referred to by at least one edge (reference graphs list
                          195; only the connected ones are drawn)
``person``                a ``dg:Person``
``organisation``          international organisations, political parties, governing
                          bodies, institutions (``type`` says which)
``event``                 meetings, summits, visits, press conferences (``type``)
``relationship``          a ``dg:BilateralRelationship``; its indicators, assessments,
                          quotes, cooperation areas, plans, projections, commitments and
                          its establishment are listed in its details
``issue``                 a small node for a stance's issue when the stance concerns no state
========================  =============================================================

and whose edges (``kind``) read as sentences: ``holds post in`` (label: the post),
``accredited to``, ``took part in``, ``met``, ``visited``, ``speaker at``,
``summit of``, ``during``, ``member of`` (label: the status), ``party to``
(the relationship, since its establishment), ``partner`` (label: the level and
since when), ``announced``, ``cooperates in``, ``supports`` / ``opposes``
(label: the issue), ``grants`` (a policy such as a visa-free regime),
``part of``, ``located in``, and ``claims`` / ``plans`` / ``projects`` (a claim, plan or
projection about a relationship, from who makes it: see ``_said``). Every edge has the
``modality`` of its statement ("reported fact", "claim", "plan", "projection"; "" for
reference data that records none).

Every node and edge carries ``kind``, ``label``, ``details`` (a list of
``(key, value)`` pairs), ``provenance`` (one dict per evidence sentence, see
:func:`merge_provenance`: ``evidence``, ``source``, ``sources`` (title and address of
each), ``speaker``, ``modality``, ``occasion``, ``statement``, and ``parts``, one per
statement citing the sentence) and, when the statements behind it are dated, ``date``
(the literal as written, e.g. ``"2024"``) and ``date_from`` (a :class:`datetime.date`,
see below). Nodes also carry ``detail_dates``: the day each dated detail counts from.

Dates and :func:`as_of`
-----------------------
Dates come with different precision: ``xsd:gYear`` ("2024"), ``xsd:gYearMonth``
("1992-04"), ``xsd:date``. The one rule used everywhere here (nodes, edges, details,
tooltips, provenance) is **"from its first day"**: a date counts as on or before a day
when the *first* day it can mean is on or before that day. "2024" counts from
2024-01-01, "1992-04" from 1992-04-01, "2024-07-03" from that day. Why not the last day:
a post held "2024" would then vanish until 31 December, and on 2 July 2024 every person
would be shown without a post; with this rule nothing dated within the period is hidden,
at the price that something dated only by its year may show a few months early (the
press conference of "2024" is shown on 1 January). :func:`last_day` stays available.

Which date an item counts from: an event its ``dg:date``; a level, membership or post
holding its ``dg:startDate`` (else ``dg:asOf``, the earliest time the graph attests it);
the relationship node its establishment date; any other statement (a detail, a
provenance entry, an undated edge) its ``dg:date``, ``dg:startDate``, ``dg:periodEnd``
(a figure for a period is known once it is over) or ``dg:asOf``, else the date of the
occasion it was said at. Undated states, people and organisations are always shown.

Other functions: :func:`focus` (the neighbourhood of one entity, found by IRI,
label or ISO code) and :func:`as_of`. Both return new graphs.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import difflib
import re
import textwrap
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from diplograph.errors import BadValueError, UsageError
from diplograph.kinds import EVENT_CLASSES, ORGANISATION_CLASSES
from diplograph.namespaces import DCTERMS, DG, FOAF, ORG, PROV, RDF, SCHEMA, SKOS
from diplograph.queries import run_query
from diplograph.terms import label_of

__all__ = [
    "NODE_KINDS",
    "EDGE_KINDS",
    "UnknownNodeError",
    "as_of",
    "focus",
    "first_day",
    "last_day",
    "merge_provenance",
    "parse_until",
    "project",
]

#: Node kinds, in legend order.
NODE_KINDS: tuple[str, ...] = ("state", "person", "organisation", "event", "relationship", "issue")

#: Edge kinds the projection produces.
EDGE_KINDS: tuple[str, ...] = (
    "holds post in",
    "accredited to",
    "took part in",
    "met",
    "visited",
    "speaker at",
    "summit of",
    "during",
    "member of",
    "party to",
    "partner",
    "announced",
    "cooperates in",
    "supports",
    "opposes",
    "grants",
    "part of",
    "located in",
    "claims",
    "plans",
    "projects",
)

#: Edge kinds drawn for statements about a relationship that are not reported facts, by modality.
SAID_KINDS: dict[str, str] = {"claim": "claims", "plan": "plans", "projection": "projects"}


class UnknownNodeError(UsageError):
    """``focus`` was given a name that matches no node; ``matches`` holds close labels."""

    def __init__(self, name: str, matches: Iterable[str]) -> None:
        self.name = name
        self.matches = tuple(matches)
        hint = f"; close matches: {', '.join(self.matches)}" if self.matches else "; no close match"
        super().__init__(f"no state, person or other node called {name!r} in the network{hint}")


# --- dates -------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?")


def last_day(value: object) -> _dt.date | None:
    """The last day a (possibly partial) date can mean: "2024" -> 2024-12-31, "1992-04" -> 1992-04-30.

    >>> last_day("1992-04"), last_day("2024"), last_day("2024-07-03")
    (datetime.date(1992, 4, 30), datetime.date(2024, 12, 31), datetime.date(2024, 7, 3))

    Accepts an rdflib Literal (xsd:gYear, xsd:gYearMonth, xsd:date, xsd:dateTime), a
    :class:`datetime.date` or a string in one of those forms. Returns None when the value is
    no date (a time zone suffix is ignored).
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    m = _DATE_RE.match(text)
    if not m:
        return None
    try:
        year = int(m.group(1))
        if m.group(2) is None:
            return _dt.date(year, 12, 31)
        month = int(m.group(2))
        if m.group(3) is None:
            return _dt.date(year, month, calendar.monthrange(year, month)[1])
        return _dt.date(year, month, int(m.group(3)))
    except ValueError:
        return None


def first_day(value: object) -> _dt.date | None:
    """The first day a (possibly partial) date can mean: "2024" -> 2024-01-01, "1992-04" -> 1992-04-01.

    >>> first_day("1992-04"), first_day("2024"), first_day("2024-07-03")
    (datetime.date(1992, 4, 1), datetime.date(2024, 1, 1), datetime.date(2024, 7, 3))
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    m = _DATE_RE.match(str(value).strip())
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def parse_until(value: str | _dt.date) -> _dt.date:
    """A day for :func:`as_of` from ``YYYY-MM-DD`` (or a date); UsageError otherwise."""
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise BadValueError("until", value, "not a date of the form YYYY-MM-DD") from None


# --- reading the dataset ------------------------------------------------------------------------

def _triples_query(source) -> str:
    """All distinct triples of a plain graph, or of a project dataset's asserted graphs (never the inferred)."""
    names = getattr(source, "asserted_graphs", None)
    if names is None:
        return "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
    values = " ".join(f"<{n}>" for n in names)
    return f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"


class _Index:
    """Distinct triples of the source, indexed by subject and by (predicate, object)."""

    def __init__(self, source) -> None:
        self.out: dict[object, dict[object, list]] = defaultdict(lambda: defaultdict(list))
        self.types: dict[object, set] = defaultdict(set)
        self.by_type: dict[object, set] = defaultdict(set)
        self._labels: dict[object, str] = {}
        seen = set()
        rdf_type = RDF.type
        # DISTINCT: Oxigraph's union of named graphs is a multiset.
        for s, p, o in run_query(source, _triples_query(source)).rows:
            if (s, p, o) in seen:
                continue
            seen.add((s, p, o))
            self.out[s][p].append(o)
            if p == rdf_type:
                self.types[s].add(o)
                self.by_type[o].add(s)

    def all(self, s, p) -> list:
        return self.out.get(s, {}).get(p, [])

    def one(self, s, p):
        values = self.all(s, p)
        return sorted(values, key=str)[0] if values else None

    def label(self, node) -> str:
        """English (or untagged) rdfs:label / skos:prefLabel / foaf:name; else the IRI's last part."""
        # Cached: a world of 1M triples asks for the same few thousand labels half a million times.
        found = self._labels.get(node)
        if found is None:
            found = self._labels[node] = label_of(node, self.all)
        return found

    def instances(self, *classes) -> list:
        found = set()
        for c in classes:
            found |= self.by_type.get(c, set())
        return sorted(found, key=str)


# --- projection ---------------------------------------------------------------------------------

_ORG_TYPES = {cls: kind.name for cls, kind in ORGANISATION_CLASSES.items()}
# Events drawn by their specific type (an untyped dg:DiplomaticEvent is not drawn).
_EVENT_TYPES = {cls: kind.name for cls, kind in EVENT_CLASSES.items() if cls != DG.DiplomaticEvent}
# Statements about a relationship that appear as its details, under these headings.
_REL_DETAIL_TYPES = (
    (DG.RelationsEstablishment, "established"),
    (DG.RelationshipLevelStatus, "level"),
    (DG.Indicator, "indicator"),
    (DG.Projection, "projection"),
    (DG.CooperationArea, "cooperation"),
    (DG.Policy, "policy"),
    (DG.Plan, "plan"),
    (DG.Commitment, "commitment"),
    (DG.Stance, "stance"),
    (DG.Assessment, "assessment"),
    (DG.Quote, "quote"),
)


# The date a statement counts from, in this order: when it happened, began, ended (a measure
# over a period is known once the period is over) or was attested.
_STATEMENT_DATES = (DG.date, DG.startDate, DG.periodEnd, DG.asOf)

# Looked up once: attribute access on rdflib's namespaces costs microseconds, in loops run per statement.
_P_DERIVED, _P_ATTRIBUTED = PROV.wasDerivedFrom, PROV.wasAttributedTo
_P_MODALITY, _P_OCCASION, _P_EVIDENCE, _P_NOTE = DG.modality, DG.occasion, DG.evidence, DG.evidenceNote
_P_TEXT, _P_LINE, _P_SENTENCE = DG.text, DG.lineNumber, DG.sentenceNumber


class _Builder:
    def __init__(self, ix: _Index) -> None:
        self.ix = ix
        self.G = nx.MultiDiGraph()
        self._sources: dict = {}

    # nodes ---------------------------------------------------------------
    def node(self, iri, kind: str, type_: str | None = None) -> str:
        nid = str(iri)
        if nid not in self.G:
            self.G.add_node(
                nid,
                kind=kind,
                type=type_ or kind,
                label=self.ix.label(iri),
                iri=nid,
                details=[],
                provenance=[],
                date=None,
                date_from=None,
                detail_dates={},
            )
        return nid

    def state(self, iri) -> str:
        nid = self.node(iri, "state")
        attrs = self.G.nodes[nid]
        if not attrs.get("_described"):
            attrs["_described"] = True
            for key, prop in (("ISO code", DG.isoAlpha3), ("official name", DG.officialName), ("Wikidata", DG.wikidata)):
                value = self.ix.one(iri, prop)
                if value is not None:
                    attrs["details"].append((key, str(value)))
        return nid

    def agent(self, iri) -> str:
        """A node for an agent of any kind (state, person, organisation)."""
        types = self.ix.types.get(iri, set())
        if DG.State in types:
            return self.state(iri)
        if DG.Person in types:
            return self.node(iri, "person")
        for cls, name in _ORG_TYPES.items():
            if cls in types:
                return self.node(iri, "organisation", name)
        if str(iri).startswith(str(DG)) or not types:
            # An untyped IRI under id/state/ is still a state; other unknowns are organisations.
            return self.state(iri) if "/id/state/" in str(iri) else self.node(iri, "organisation")
        return self.node(iri, "organisation")

    def add_detail(self, nid: str, key: str, value: object, date=None) -> None:
        """A detail of a node; ``date`` (of the statement it comes from) lets :func:`as_of` drop it."""
        if value is None or value == "":
            return
        attrs = self.G.nodes[nid]
        pair = (key, str(value))
        day = first_day(date) if date is not None else None
        dates = attrs["detail_dates"]
        if pair not in attrs["details"]:
            attrs["details"].append(pair)
            if day is not None:
                dates[pair] = day
        elif pair in dates and (day is None or day < dates[pair]):
            # Known from the earliest statement that gives it (always, if one is undated).
            if day is None:
                del dates[pair]
            else:
                dates[pair] = day

    def add_prov(self, nid: str, statement) -> None:
        # Collected, then merged once per node by sentence at the end of project().
        self.G.nodes[nid].setdefault("_prov_raw", []).extend(self.provenance(statement))

    # edges ---------------------------------------------------------------
    def edge(self, u: str, v: str, kind: str, label: str, statement=None, date=None, details=()) -> None:
        if u == v:
            return
        # Undated edges count from their statement's date (or occasion's), like details do.
        since = date if date is not None else (self.statement_date(statement) if statement is not None else None)
        self.G.add_edge(
            u,
            v,
            kind=kind,
            label=label,
            details=list(details),
            provenance=self.provenance(statement) if statement is not None else [],
            statement=str(statement) if statement is not None else None,
            modality=self.modality(statement) if statement is not None else "",
            date=str(date) if date is not None else None,
            date_from=first_day(since) if since is not None else None,
        )

    # provenance ------------------------------------------------------------
    def source_info(self, source) -> dict:
        """A source as a reader needs it: its title (dcterms:title, a label, else the IRI's last
        part) and, when the data gives one, its web address (schema:url / foaf:page)."""
        found = self._sources.get(source)
        if found is None:
            ix = self.ix
            title = ix.one(source, DCTERMS.title)
            urls = sorted(str(u) for p in (SCHEMA.url, FOAF.page) for u in ix.all(source, p))
            url = urls[0] if urls else ""
            name = str(title) if title is not None else ix.label(source)
            if title is None and url and name == str(source).rstrip("/#").rsplit("/", 1)[-1]:
                name = url  # only a slug to show: the address says more
            found = self._sources[source] = {"title": name, "url": url}
        return found

    def provenance(self, statement) -> list[dict]:
        """One entry per evidence sentence (or note) of ``statement``, merged by :func:`merge_provenance`."""
        ix = self.ix
        sources = sorted((self.source_info(s) for s in ix.all(statement, _P_DERIVED)), key=lambda x: (x["title"], x["url"]))
        speakers = [ix.label(s) for s in ix.all(statement, _P_ATTRIBUTED)]
        modality = _modality(ix, statement)
        occasion = ", ".join(sorted(ix.label(o) for o in ix.all(statement, _P_OCCASION)))
        evidence = []
        for sentence in ix.all(statement, _P_EVIDENCE):
            text = ix.one(sentence, _P_TEXT)
            key = (_int(ix.one(sentence, _P_LINE)), _int(ix.one(sentence, _P_SENTENCE)), str(sentence))
            evidence.append((key, str(text) if text is not None else str(sentence)))
        evidence.sort()
        notes = sorted(ix.all(statement, _P_NOTE), key=str)
        evidence += [((1 << 30, 0, str(n)), str(n)) for n in notes]
        if not (sources or evidence or speakers or modality):
            return []
        date = self.statement_date(statement)
        part = {
            "statement": str(statement),
            "speaker": ", ".join(sorted(speakers)),
            "modality": modality,
            "occasion": occasion,
            "sources": sources,
            "date": str(date) if date is not None else None,
            "date_from": first_day(date) if date is not None else None,
        }
        entries = [{"key": list(key), "evidence": text, "parts": [part]} for key, text in evidence]
        return merge_provenance(entries or [{"key": [1 << 31, 0, ""], "evidence": "", "parts": [part]}])

    def date_of(self, statement, *props):
        for p in props:
            value = self.ix.one(statement, p)
            if value is not None:
                return value
        return None

    def modality(self, statement) -> str:
        """``statement``'s dg:modality: "reported fact", "claim", "plan", "projection" (else its label), or ""."""
        return _modality(self.ix, statement)

    def statement_date(self, statement):
        """When ``statement`` counts from: its own date (see _STATEMENT_DATES), else its occasion's."""
        date = self.date_of(statement, *_STATEMENT_DATES)
        if date is None:
            for occasion in sorted(self.ix.all(statement, _P_OCCASION), key=str):
                date = self.ix.one(occasion, DG.date)
                if date is not None:
                    break
        return date

    def set_node_date(self, nid: str, value) -> None:
        if value is None:
            return
        attrs = self.G.nodes[nid]
        day = first_day(value)
        if day is None:
            return
        if attrs["date_from"] is None or day < attrs["date_from"]:
            attrs["date"] = str(value)
            attrs["date_from"] = day


def merge_provenance(entries: Iterable[dict]) -> list[dict]:
    """One entry per evidence sentence (or note): the statements citing the same sentence are
    merged, their speakers, modalities, occasions and sources listed once each.

    Each entry keeps ``parts`` (one per statement: its speaker, modality, sources, date) so
    that :func:`as_of` can drop later statements and merge again.
    """
    grouped: dict[tuple, dict] = {}
    for entry in entries:
        key = (tuple(entry["key"]), entry["evidence"])
        into = grouped.setdefault(key, {"key": list(entry["key"]), "evidence": entry["evidence"], "parts": []})
        have = {p["statement"] for p in into["parts"]}
        into["parts"].extend(p for p in entry["parts"] if p["statement"] not in have)
    merged = []
    for key in sorted(grouped):
        entry = grouped[key]
        parts = sorted(entry["parts"], key=lambda p: p["statement"])
        sources = []
        for part in parts:
            sources.extend(x for x in part["sources"] if x not in sources)

        def joined(field: str) -> str:
            values = sorted({v for part in parts for v in part[field].split(", ") if v})
            return ", ".join(values)

        merged.append({
            "evidence": entry["evidence"],
            "source": "; ".join(x["title"] + (f" <{x['url']}>" if x["url"] and x["url"] != x["title"] else "") for x in sources),
            "sources": sources,
            "speaker": joined("speaker"),
            "modality": joined("modality"),
            "occasion": joined("occasion"),
            "statement": " ".join(p["statement"] for p in parts),
            "statements": len(parts),
            "key": entry["key"],
            "parts": parts,
        })
    return merged


def _int(value) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


# The modality scheme's concepts by IRI, so that a graph loaded without the ontology (no labels)
# still gets the names the page styles.
#: dg:modality value -> the word the network view uses.
MODALITY_NAMES = {DG.ReportedFact: "reported fact", DG.Claim: "claim", DG.PlanModality: "plan", DG.ProjectionModality: "projection"}


def _modality(ix: _Index, statement) -> str:
    return ", ".join(sorted(MODALITY_NAMES.get(m) or ix.label(m) for m in ix.all(statement, _P_MODALITY)))


def _modal(ix: _Index, statement) -> str:
    modality = _modality(ix, statement)
    return f" ({modality})" if modality and modality != "reported fact" else ""


def _fmt_date(value) -> str:
    return str(value) if value is not None else ""


def project(source) -> nx.MultiDiGraph:
    """Project ``source`` onto a reader's network (see module doc).

    ``source`` is the project's dataset (:class:`~diplograph.dataset.ProjectDataset`: its asserted
    graphs are drawn, never the inferred one) or any rdflib graph (all of it).
    """
    ix = _Index(source)
    b = _Builder(ix)
    G = b.G

    # People, organisations, events and relationships are drawn even when unconnected.
    for p in ix.instances(DG.Person):
        nid = b.node(p, "person")
        for key, prop in (("Wikidata", DG.wikidata),):
            b.add_detail(nid, key, ix.one(p, prop))
        for st in ix.all(p, DG.affiliatedState):
            b.add_detail(nid, "state", ix.label(st))
    for cls, name in _ORG_TYPES.items():
        for o in ix.instances(cls):
            nid = b.node(o, "organisation", name)
            b.add_detail(nid, "type", name)
            b.add_detail(nid, "acronym", ix.one(o, DG.acronym))
            for alt in sorted(ix.all(o, SKOS.altLabel), key=str):
                b.add_detail(nid, "also called", alt)
            b.add_detail(nid, "Wikidata", ix.one(o, DG.wikidata))
            for parent in ix.all(o, DG.subOrganisationOf):
                b.edge(nid, b.agent(parent), "part of", "part of")
            for st in ix.all(o, DG.inState):
                b.edge(nid, b.state(st), "located in", "in")
    for cls, name in _EVENT_TYPES.items():
        for e in ix.instances(cls):
            nid = b.node(e, "event", name)
            b.add_detail(nid, "type", name)
            date = ix.one(e, DG.date)
            b.add_detail(nid, "date", _fmt_date(date))
            b.set_node_date(nid, date)
            for place in ix.all(e, DG.place):
                where = ix.label(place)
                st = ix.one(place, DG.inState)
                b.add_detail(nid, "place", f"{where} ({ix.label(st)})" if st is not None else where)
            b.add_detail(nid, "topic", ix.one(e, DG.topic))
            b.add_detail(nid, "description", ix.one(e, DG.description))
            b.add_detail(nid, "note", ix.one(e, DG.note))
            b.add_prov(nid, e)
    for r in ix.instances(DG.BilateralRelationship):
        nid = b.node(r, "relationship")
        b.add_prov(nid, r)
        for party in sorted(ix.all(r, DG.party), key=str):
            b.state(party)

    _events(b)
    _posts(b)
    _memberships(b)
    _relationships(b)
    _stances(b)
    _policies(b)
    _statement_details(b)
    _said(b)
    _coded_events(b)

    # Importance: degree in the whole projection (used for node size).
    for nid in G.nodes:
        G.nodes[nid]["degree"] = G.degree(nid)
        G.nodes[nid].pop("_described", None)
        G.nodes[nid]["provenance"] = merge_provenance(G.nodes[nid].pop("_prov_raw", []))
    return G


def _events(b: _Builder) -> None:
    ix, G = b.ix, b.G
    for e in ix.instances(*_EVENT_TYPES):
        nid = str(e)
        date = ix.one(e, DG.date)
        participants = sorted(ix.all(e, DG.participant), key=str)
        for p in participants:
            b.edge(b.agent(p), nid, "took part in", "took part in", e, date)
        where = ", ".join(ix.label(pl) for pl in ix.all(e, DG.place))
        for i, p in enumerate(participants):
            for q in participants[i + 1 :]:
                label = "met" + (f" ({_fmt_date(date)}{', ' + where if where else ''})" if date is not None else "")
                b.edge(b.agent(p), b.agent(q), "met", label, e, date)
        for v in ix.all(e, DG.visitor):
            b.edge(b.agent(v), nid, "took part in", "visitor in", e, date)
            for host in ix.all(e, DG.hostState):
                b.edge(b.agent(v), b.state(host), "visited", "visited" + (f" ({date})" if date else ""), e, date)
        for st in ix.all(e, DG.visitingState):
            b.add_detail(nid, "visiting state", ix.label(st))
        for host in ix.all(e, DG.hostState):
            b.add_detail(nid, "host state", ix.label(host))
        for s in ix.all(e, DG.speaker):
            b.edge(b.agent(s), nid, "speaker at", "speaker at", e, date)
        for org in ix.all(e, DG.summitOf):
            b.edge(nid, b.agent(org), "summit of", "summit of", e, date)
        for parent in ix.all(e, DG.partOfEvent):
            if str(parent) in G:
                b.edge(nid, str(parent), "during", "during", e, date)
                # Certain-by refinement: the parent began by the date of any part of it.
                b.set_node_date(str(parent), date)


def _posts(b: _Builder) -> None:
    ix = b.ix
    for h in ix.instances(DG.PostHolding):
        date = b.date_of(h, DG.startDate, DG.asOf)
        for holder in ix.all(h, DG.holder):
            for post in ix.all(h, DG.post):
                post_label = ix.label(post)
                details = [("post", post_label)]
                role = ix.one(post, DG.role)
                if role is not None:
                    details.append(("role", ix.label(role)))
                for key, prop in (("since", DG.startDate), ("until", DG.endDate), ("attested", DG.asOf)):
                    value = ix.one(h, prop)
                    if value is not None:
                        details.append((key, str(value)))
                for where in ix.all(post, DG.postIn):
                    b.edge(b.agent(holder), b.agent(where), "holds post in", post_label, h, date, details)
                for acc in ix.all(post, DG.accreditedTo):
                    b.edge(b.agent(holder), b.state(acc), "accredited to", f"accredited to ({ix.label(role) if role is not None else post_label})", h, date, details)


def _memberships(b: _Builder) -> None:
    ix = b.ix
    for m in ix.instances(DG.Membership, ORG.Membership):
        date = ix.one(m, DG.startDate)
        status = ", ".join(sorted(ix.label(s) for s in ix.all(m, DG.membershipStatus))) or "member"
        label = f"member of ({status}{', since ' + str(date) if date is not None else ''})"
        details = [("status", status)]
        if date is not None:
            details.append(("since", str(date)))
        end = ix.one(m, DG.endDate)
        if end is not None:
            details.append(("until", str(end)))
        for member in ix.all(m, ORG.member):
            for org in ix.all(m, ORG.organization):
                b.edge(b.agent(member), b.agent(org), "member of", label, m, date, details)


def _relationships(b: _Builder) -> None:
    ix = b.ix
    by_rel: dict[object, list] = defaultdict(list)
    for st in ix.instances(DG.RelationsEstablishment):
        for r in ix.all(st, DG.relationship):
            by_rel[r].append(st)
    for r in ix.instances(DG.BilateralRelationship):
        rid = str(r)
        established = sorted(by_rel.get(r, []), key=str)
        est_date = None
        for st in established:
            est_date = ix.one(st, DG.date) or est_date
        b.set_node_date(rid, est_date)
        for party in sorted(ix.all(r, DG.party), key=str):
            label = "diplomatic relations" + (f" (since {est_date})" if est_date is not None else "")
            b.edge(b.state(party), rid, "party to", label, established[0] if established else r, est_date)
    for lv in ix.instances(DG.RelationshipLevelStatus):
        date = b.date_of(lv, DG.startDate, DG.asOf)
        level = ", ".join(sorted(ix.label(x) for x in ix.all(lv, DG.level))) or "partner"
        label = level + (f" (since {date})" if date is not None else "")
        details = [("level", level)]
        if date is not None:
            details.append(("since", str(date)))
        for who in ix.all(lv, DG.announcedBy):
            details.append(("announced by", ix.label(who)))
        for r in ix.all(lv, DG.relationship):
            rid = b.node(r, "relationship")
            for party in sorted(ix.all(r, DG.party), key=str):
                b.edge(b.state(party), rid, "partner", label, lv, date, details)
            for ev in ix.all(lv, DG.announcedAt):
                if str(ev) in b.G:
                    b.edge(str(ev), rid, "announced", f"announced {level}", lv, date, details)
    for c in ix.instances(DG.Commitment):
        for r in ix.all(c, DG.relationship):
            rid = b.node(r, "relationship")
            for forum in ix.all(c, DG.forum):
                b.edge(rid, b.agent(forum), "cooperates in", "cooperates in", c)


def _stances(b: _Builder) -> None:
    ix = b.ix
    for s in ix.instances(DG.Stance):
        kinds = [ix.label(k) for k in ix.all(s, DG.stanceKind)]
        kind = "opposes" if "opposes" in kinds else "supports"
        issues = [ix.label(i) for i in sorted(ix.all(s, DG.issue), key=str)]
        issue = ", ".join(issues) or ix.label(s)
        details = [("stance", f"{kind} {issue}")]
        for p in ix.all(s, DG.expressedBy):
            details.append(("expressed by", ix.label(p)))
        intensity = ix.one(s, DG.intensity)
        if intensity is not None:
            details.append(("intensity", str(intensity)))
        if ix.one(s, DG.reaffirmed) is not None and str(ix.one(s, DG.reaffirmed)).lower() == "true":
            details.append(("reaffirmed", "yes"))
        date = b.date_of(s, DG.date, DG.startDate, DG.asOf)
        targets = [b.state(t) for t in sorted(ix.all(s, DG.concernsState), key=str)]
        if not targets:
            for i in sorted(ix.all(s, DG.issue), key=str):
                nid = b.node(i, "issue")
                targets.append(nid)
        for holder in sorted(ix.all(s, DG.holder), key=str):
            for t in targets:
                b.edge(b.agent(holder), t, kind, f"{kind}: {issue}" if b.G.nodes[t]["kind"] != "issue" else kind, s, date, details)


def _policies(b: _Builder) -> None:
    ix = b.ix
    for p in ix.instances(DG.Policy):
        kind = ", ".join(sorted(ix.label(t) for t in ix.all(p, DG.policyType))) or ix.label(p)
        date = b.date_of(p, DG.startDate, DG.date, DG.asOf)
        for g in ix.all(p, DG.grantingState):
            for ben in ix.all(p, DG.beneficiaryState):
                b.edge(b.state(g), b.state(ben), "grants", f"{kind} for citizens of", p, date, [("policy", ix.label(p))])


def _said(b: _Builder) -> None:
    """Claims, plans and projections about a relationship, drawn as edges from who makes them.

    Who: the states or people acting in the statement (dg:actor, dg:committedParty,
    dg:fromState, dg:holder, dg:expressedBy), else its speakers (prov:wasAttributedTo) drawn
    in the network. A statement attributed only to an unnamed author stays a detail.
    """
    ix, G = b.ix, b.G
    for cls, heading in _REL_DETAIL_TYPES:
        for st in ix.instances(cls):
            kind = SAID_KINDS.get(b.modality(st))
            targets = [str(r) for r in ix.all(st, DG.relationship) if str(r) in G]
            if kind is None or not targets:
                continue
            actors = set()
            for prop in (DG.actor, DG.committedParty, DG.fromState, DG.holder, DG.expressedBy):
                actors |= {str(a) for a in ix.all(st, prop)}
            who = sorted(a for a in actors if a in G and G.nodes[a]["kind"] in ("state", "person"))
            if not who:
                who = sorted(str(a) for a in ix.all(st, _P_ATTRIBUTED) if str(a) in G and G.nodes[str(a)]["kind"] == "person")
            details = [(heading, ix.label(st))]
            if cls == DG.Quote and ix.one(st, DG.quoteText) is not None:
                details.append(("quote", str(ix.one(st, DG.quoteText))))
            for w in who:
                for r in targets:
                    b.edge(w, r, kind, f"{heading}: {ix.label(st)}", st, None, details)


#: How many coded events a relationship's details list one by one (the rest are only counted).
CODED_EVENTS_LISTED = 20


def _coded_events(b: _Builder) -> None:
    """Coded events (ICEWS, GDELT) are drawn on their pair's relationship, aggregated: never one node each.

    The relationship gets ``coded_events`` (the count) and ``mean_intensity`` attributes, a summary
    detail, and the first :data:`CODED_EVENTS_LISTED` events by date with their provenance.
    """
    ix, G = b.ix, b.G
    by_relationship: dict[str, list] = defaultdict(list)
    for e in ix.instances(DG.CodedEvent):
        for r in ix.all(e, DG.relationship):
            if str(r) in G:
                by_relationship[str(r)].append(e)
    for nid, events in by_relationship.items():
        intensities = [float(i) for e in events if (i := ix.one(e, DG.eventIntensity)) is not None]
        mean = sum(intensities) / len(intensities) if intensities else None
        G.nodes[nid]["coded_events"] = len(events)
        G.nodes[nid]["mean_intensity"] = mean
        summary = f"{len(events)} machine-coded events"
        if mean is not None:
            summary += (f", mean intensity {mean:+.2f} ({sum(1 for i in intensities if i > 0)} cooperative, "
                        f"{sum(1 for i in intensities if i < 0)} conflictual)")
        b.add_detail(nid, "coded events", summary)
        events.sort(key=lambda e: (str(ix.one(e, DG.date)), str(e)))
        for e in events[:CODED_EVENTS_LISTED]:
            what = ix.label(ix.one(e, DG.cameoCode)) if ix.one(e, DG.cameoCode) is not None else "event"
            source, target = ix.one(e, DG.sourceActor), ix.one(e, DG.targetActor)
            who = " → ".join(ix.label(a) for a in (source, target) if a is not None)
            note = ix.one(e, DG.evidenceNote)
            b.add_detail(nid, "coded event", f"{_fmt_date(ix.one(e, DG.date))} {who}: {what}" + (f" — {note}" if note else ""))
        if len(events) > CODED_EVENTS_LISTED:
            b.add_detail(nid, "coded event", f"… and {len(events) - CODED_EVENTS_LISTED} more (query coded-* for all)")


def _statement_details(b: _Builder) -> None:
    """Indicators, assessments, quotes… become details (and provenance) of the nodes they are about."""
    ix, G = b.ix, b.G
    for cls, heading in _REL_DETAIL_TYPES:
        for st in ix.instances(cls):
            text = ix.label(st) + _modal(ix, st)
            if cls == DG.Quote and ix.one(st, DG.quoteText) is not None:
                text = f"{ix.label(st)} — “{ix.one(st, DG.quoteText)}”" + _modal(ix, st)
            date = b.statement_date(st)
            for r in ix.all(st, DG.relationship):
                if str(r) in G:
                    b.add_detail(str(r), heading, text, date)
                    b.add_prov(str(r), st)
            # Person-centred statements also go on the person: quotes, indicators about them.
            people = set(ix.all(st, DG.aboutPerson)) | set(ix.all(st, DG.expressedBy))
            if cls == DG.Quote:
                people |= set(ix.all(st, PROV.wasAttributedTo))
            for person in people:
                if str(person) in G:
                    b.add_detail(str(person), heading, text, date)
                    b.add_prov(str(person), st)
            # Stances, commitments, plans and policies also go on the states they are of.
            states = set(ix.all(st, DG.holder)) | set(ix.all(st, DG.committedParty)) | set(ix.all(st, DG.actor))
            states |= set(ix.all(st, DG.grantingState))
            for s in states:
                if str(s) in G and G.nodes[str(s)]["kind"] == "state":
                    b.add_detail(str(s), heading, text, date)


# --- views ---------------------------------------------------------------------------------------


def as_of(G: nx.MultiDiGraph, until: str | _dt.date) -> nx.MultiDiGraph:
    """The network as known on ``until`` (the "from its first day" rule of the module doc).

    Nodes, edges, details and provenance dated after ``until`` go; an edge goes with either end;
    small issue nodes left without edges go too. Undated things stay.
    """
    day = parse_until(until)

    def known(date) -> bool:
        return date is None or date <= day

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.graph["until"] = day.isoformat()
    for n, attrs in G.nodes(data=True):
        if known(attrs.get("date_from")):
            H.add_node(n, **_known_parts(attrs, known))
    for u, v, k, attrs in G.edges(keys=True, data=True):
        if u in H and v in H and known(attrs.get("date_from")):
            H.add_edge(u, v, key=k, **_known_parts(attrs, known))
    H.remove_nodes_from([n for n, a in list(H.nodes(data=True)) if a.get("kind") == "issue" and H.degree(n) == 0])
    return H


def _known_parts(attrs: dict, known) -> dict:
    """``attrs`` without the details and provenance (statements) that are not known yet."""
    out = dict(attrs)
    dates = attrs.get("detail_dates") or {}
    out["details"] = [pair for pair in attrs.get("details", []) if known(dates.get(tuple(pair)))]
    out["detail_dates"] = {pair: d for pair, d in dates.items() if known(d)}
    entries = []
    for entry in attrs.get("provenance", []):
        parts = [p for p in entry.get("parts", []) if known(p.get("date_from"))]
        if parts or "parts" not in entry:
            entries.append(dict(entry, parts=parts) if "parts" in entry else entry)
    out["provenance"] = merge_provenance(e for e in entries if "parts" in e) + [e for e in entries if "parts" not in e]
    return out


def _names(attrs: dict) -> list[str]:
    names = [attrs.get("label", ""), attrs.get("iri", "")]
    for key, value in attrs.get("details", []):
        if key in ("ISO code", "acronym", "also called"):
            names.append(value)
    return [n for n in names if n]


def resolve(G: nx.MultiDiGraph, name: str) -> str:
    """The node id for ``name``: an id/IRI, a label, an ISO code or acronym (case-insensitive).

    Raises :class:`UnknownNodeError` (listing close matches) when nothing matches exactly.
    """
    if name in G:
        return name
    wanted = name.strip().casefold()
    hits = [n for n, a in G.nodes(data=True) if any(x.casefold() == wanted for x in _names(a))]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:  # prefer a state or person, the kinds --focus is for
        preferred = [n for n in hits if G.nodes[n].get("kind") in ("state", "person")]
        if len(preferred) == 1:
            return preferred[0]
        raise UsageError(f"{name!r} names {len(hits)} nodes: " + ", ".join(sorted(G.nodes[n]["label"] for n in hits)))
    labels = sorted({G.nodes[n].get("label", n) for n in G.nodes})
    # Labels containing the name first (shortest first), then similar spellings.
    close = sorted((label for label in labels if wanted in label.casefold()), key=len)[:5]
    def score(label: str) -> float:
        parts = [label, *label.split()]
        return max(difflib.SequenceMatcher(None, wanted, p.casefold()).ratio() for p in parts)

    for label in sorted(labels, key=lambda x: (-score(x), x)):
        if len(close) >= 5 or score(label) < 0.6:
            break
        if label not in close:
            close.append(label)
    raise UnknownNodeError(name, close)


def focus(G: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The sub-network within ``radius`` steps (either direction) of ``node`` (id, label or ISO code)."""
    if radius < 0:
        raise BadValueError("radius", radius, "must be 0 or more")
    centre = resolve(G, node)
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), centre, cutoff=radius)
    H = G.subgraph(near).copy()
    H.graph["focus"] = centre
    H.nodes[centre]["focus"] = True
    return H


def short_label(text: str, width: int = 22, lines: int = 3) -> str:
    """A label wrapped for drawing: at most ``lines`` lines of ``width`` characters."""
    wrapped = textwrap.wrap(text, width=width) or [text]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)
