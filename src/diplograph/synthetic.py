"""Generated worlds of bilateral relationships, for tests and benchmarks (invented data, not claims).

:func:`generate_bilateral_graph` builds one source graph about one relationship, using the
ontology's classes and the shape of the seed graph (a source document, sentences, statement nodes
with provenance), and writes its shared entities — the two states, their leaders, the SCO, Astana,
the 2024 SCO summit — with IRIs in one of several "authoring conventions" chosen from the seed:
the canonical ``id/`` IRIs, or foreign IRIs keyed by ISO code, by Wikidata-like QID or by name +
state. Merging many such graphs therefore has real reconciliation work to do. The same arguments
always give the same graph.
"""

from __future__ import annotations

import hashlib
import random

from rdflib import Graph, Literal, Namespace, URIRef

from diplograph.namespaces import DCTERMS, DG, FOAF, ID, ORG, PROV, RDF, RDFS, XSD, bind_prefixes

__all__ = ["STYLES", "generate_bilateral_graph", "synthetic_qid"]

#: Ways a generated graph names shared entities.
STYLES = ("canonical", "foreign-iso", "foreign-qid", "foreign-both")


def synthetic_qid(code: str) -> str:
    """A stable made-up QID for an ISO code (not the real Wikidata item)."""
    return "Q" + str(900000 + int(hashlib.sha256(code.encode()).hexdigest()[:6], 16) % 99999)


def generate_bilateral_graph(seed: int, state_a: str, state_b: str, size: int = 5000) -> Graph:
    """A graph of about ``size`` triples about the relationship of ``state_a`` and ``state_b``."""
    rng = random.Random(f"{seed}:{state_a}:{state_b}")
    style = rng.choice(STYLES)
    stem = f"synthetic-{seed}-{state_a.lower()}-{state_b.lower()}"
    ns = Namespace(f"http://example.org/synthetic/{seed}/") if style != "canonical" else None
    g = bind_prefixes(Graph())
    add = g.add

    def ent(kind: str, key: str) -> URIRef:
        return ID[f"{kind}/{key}"] if ns is None else ns[f"{kind}-{key}".replace("/", "-")]

    src = ID[f"source/{stem}"]
    author = ID[f"source/{stem}/author"]
    st = Namespace(str(ID[f"statement/{stem}/"]))
    sen = Namespace(str(ID[f"source/{stem}/sentence/"]))
    add((src, RDF.type, DG.SourceDocument))
    add((src, DCTERMS.title, Literal(f"Synthetic report {seed}: {state_a} and {state_b}")))
    add((src, DG.fileName, Literal(f"{stem}.txt")))
    add((src, DCTERMS.creator, author))
    add((author, RDF.type, DG.UnnamedAuthor))
    add((author, RDFS.label, Literal("unnamed author")))

    states = {}
    for code in (state_a, state_b):
        node = ent("state", code)
        states[code] = node
        if ns is not None:
            add((node, RDF.type, DG.State))
            if style in ("foreign-iso", "foreign-both"):
                add((node, DG.isoAlpha3, Literal(code)))
            if style in ("foreign-qid", "foreign-both"):
                add((node, DG.wikidata, Literal(synthetic_qid(code))))
    if style == "foreign-qid":  # somebody must tie a QID to an ISO code: one state keeps both
        add((states[state_a], DG.isoAlpha3, Literal(state_a)))
    leaders = {}
    for code, state in states.items():
        person = ent("person", f"leader-of-{code.lower()}")
        leaders[code] = person
        add((person, RDF.type, DG.Person))
        add((person, FOAF.name, Literal(f"Leader of {code}")))
        add((person, RDFS.label, Literal(f"Leader of {code}")))
        add((person, DG.affiliatedState, state))
    sco, astana = ent("org", "sco"), ent("place", "astana")
    if ns is not None:
        add((sco, RDF.type, DG.InternationalOrganisation))
        add((sco, DG.acronym, Literal("SCO")))
        add((astana, RDF.type, DG.Place))
        add((astana, DG.wikidata, Literal("Q1520")))
        add((astana, RDFS.label, Literal("Astana", lang="en")))
    summit = ent("event", "summit-sco-2024-astana") if ns is None else ns["sco-summit"]
    add((summit, RDF.type, DG.Summit))
    add((summit, DG.summitOf, sco))
    add((summit, DG.place, astana))
    add((summit, DG.date, Literal("2024", datatype=XSD.gYear)))

    x, y = sorted((state_a, state_b))
    rel = ID[f"relationship/{x}-{y}"] if ns is None else ns["relationship"]
    add((rel, RDF.type, DG.BilateralRelationship))
    add((rel, DG.party, states[state_a]))
    add((rel, DG.party, states[state_b]))

    line = [1]

    def provenance(node: URIRef, text: str) -> None:
        line[0] += 1
        s = sen[f"{line[0]}-1"]
        add((s, RDF.type, DG.Sentence))
        add((s, DCTERMS.isPartOf, src))
        add((s, DG.lineNumber, Literal(line[0])))
        add((s, DG.sentenceNumber, Literal(1)))
        add((s, DG.text, Literal(text)))
        add((node, DG.evidence, s))
        add((node, PROV.wasDerivedFrom, src))
        add((node, PROV.wasAttributedTo, author))
        add((node, DG.modality, DG.ReportedFact))

    provenance(rel, f"Synthetic sentence about {state_a} and {state_b}.")
    provenance(summit, "Synthetic sentence about the SCO summit.")
    est = st["established"]
    add((est, RDF.type, DG.RelationsEstablishment))
    add((est, DG.relationship, rel))
    add((est, DG.date, Literal(f"{1991 + rng.randrange(4)}", datatype=XSD.gYear)))
    provenance(est, "Synthetic sentence on when relations were established.")
    meeting = ent("event", f"meeting-{seed}") if ns is None else ns["meeting"]
    add((meeting, RDF.type, DG.Meeting))
    add((meeting, DG.participant, leaders[state_a]))
    add((meeting, DG.participant, leaders[state_b]))
    add((meeting, DG.place, astana))
    add((meeting, DG.date, Literal(f"2024-07-0{rng.randrange(1, 5)}", datatype=XSD.date)))
    add((meeting, DG.partOfEvent, summit))
    provenance(meeting, "Synthetic sentence about a meeting of the leaders.")
    for code, state in states.items():
        m = ID[f"membership/sco/{code}"] if ns is None else ns[f"membership-sco-{code}"]
        add((m, RDF.type, DG.Membership))
        add((m, ORG.member, state))
        add((m, ORG.organization, sco))
        add((m, DG.membershipStatus, DG.MemberState))
        provenance(m, f"Synthetic sentence on {code} in the SCO.")

    types = [DG.BilateralTradeVolume, DG.TouristArrivals, DG.WeeklyFlights, DG.LanguageStudents]
    i = 0
    while len(g) < size:
        ind = st[f"indicator-{i}"]
        year = 1900 + i // len(types)
        add((ind, RDF.type, DG.Indicator))
        add((ind, DG.indicatorType, types[i % len(types)]))
        add((ind, DG.relationship, rel))
        add((ind, DG.value, Literal(rng.randrange(1, 10_000) * 1000)))
        add((ind, DG.unit, DG.USD if types[i % len(types)] == DG.BilateralTradeVolume else DG.Count))
        add((ind, DG.periodStart, Literal(f"{year}-01-01", datatype=XSD.date)))
        add((ind, DG.periodEnd, Literal(f"{year}-12-31", datatype=XSD.date)))
        add((ind, DG.note, Literal(f"synthetic indicator {i} (period {year}, batch {i // 120})")))
        provenance(ind, f"Synthetic sentence number {i} reporting an indicator for {year}.")
        i += 1
    return g
