"""Generated worlds of bilateral relationships, for tests and benchmarks (invented data, not claims).

:func:`generate_bilateral_graph` builds one source graph about one relationship, using the
ontology's classes and the shape of the seed graph (a source document, sentences, statement nodes
with provenance), and writes its shared entities — the two states, their leaders, the SCO, Astana,
the 2024 SCO summit — with IRIs in one of several "authoring conventions" chosen from the seed:
the canonical ``id/`` IRIs, or foreign IRIs keyed by ISO code, by Wikidata-like QID or by name +
state. Merging many such graphs therefore has real reconciliation work to do. The same arguments
always give the same graph.

:func:`write_world` / :func:`generate_world` build a whole invented diplomatic world (about 200
real states from the reference graphs, organisations, relationships, events, indicators, stances…)
of 10k to 1M+ triples that conforms to the shapes; ``bench/run.py`` measures the engines on it.
"""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef

from diplograph.namespaces import (
    DCTERMS,
    DG,
    FOAF,
    ID,
    ORG,
    PROV,
    RDF,
    RDFS,
    XSD,
)
from diplograph.terms import bind_prefixes

__all__ = [
    "REFERENCE_ORGS",
    "STYLES",
    "generate_bilateral_graph",
    "generate_world",
    "iter_world_triples",
    "reference_states",
    "synthetic_qid",
    "write_world",
]

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
    summit = ent("event", "summit-2024-astana-sco") if ns is None else ns["sco-summit"]
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


# --- a whole synthetic diplomatic world (benchmarks) ---------------------------------------------
#
# generate_world / write_world / iter_world_triples build one source graph of about `triples`
# triples describing many invented bilateral relationships between the real states of
# graphs/reference/states.ttl (so the reference graphs apply): reports (dg:SourceDocument) with
# their sentences, each statement citing its sentence (dg:evidence), document, author and modality
# as the seed does; people, posts and post holdings; relationships with establishment dates and
# level histories announced at meetings; summits, visits and press conferences; indicators
# (trade with year-over-year changes, tourists, flights, meetings), stances, commitments, policies,
# plans, projections, cooperation areas, assessments and quotes; synthetic international
# organisations with membership reports. Everything is invented, not a claim about the real world.
# Loaded with the ontology and the reference graphs it conforms to the SHACL shapes (no violation;
# warnings and infos like the seed's). The same (triples, seed) always give the same triples in the
# same order. Terms are written in N-Triples syntax directly (no rdflib objects), so 1M triples take
# seconds.

_DGNS = "https://w3id.org/diplograph/ns#"
_IDNS = "https://w3id.org/diplograph/id/"
_XSDNS = "http://www.w3.org/2001/XMLSchema#"
_T = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_DCT = "http://purl.org/dc/terms/"
_PROVNS = "http://www.w3.org/ns/prov#"
_FOAFNAME = "<http://xmlns.com/foaf/0.1/name>"
_ORGNS = "http://www.w3.org/ns/org#"

#: Organisations described in graphs/reference/organisations.ttl (summits of these are generated too).
REFERENCE_ORGS = ("sco", "brics", "cica", "un")
_LEVELS = ("DiplomaticRelations", "Partnership", "StrategicPartnership", "ComprehensiveStrategicPartnership")
_ISSUES = ("SovereigntyAndTerritorialIntegrity", "ForeignInterference", "MutualSupportInInternationalElections",
           "GlobalJustice", "Hegemony", "NeoColonialism", "MultilateralCooperation")
_SECTORS = ("PoliticalCooperation", "EconomicCooperation", "GreenEnergy", "DigitalEconomy", "IndustrialProduction",
            "HumanitarianAndCulturalExchange", "Tourism", "AirTransport", "Education", "Research")
_PRODUCTS = ("ElectricVehicles", "Wine", "PomegranateJuice")
_STATUSES = ("MemberState",) * 6 + ("Observer", "DialoguePartner", "PartnerCountry", "Applicant")
_SYLLABLES = ("ka", "ri", "mo", "ta", "len", "sa", "vo", "dan", "mi", "ro", "zel", "na", "tu", "bek", "lia", "sor")
_KNOWN_PEOPLE = {"CHN": ("xi-jinping", "Xi Jinping"), "AZE": ("ilham-aliyev", "Ilham Aliyev")}


def _iri(local: str) -> str:
    return f"<{_IDNS}{local}>"


def _dg(name: str) -> str:
    return f"<{_DGNS}{name}>"


def _str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{_XSDNS}{datatype}>'


def _en(text: str) -> str:
    return _str(text) + "@en"


def _year_date(text: str) -> str:
    """A date literal typed by its precision: 2024 (gYear), 2024-07 (gYearMonth), 2024-07-03 (date)."""
    return _typed(text, {4: "gYear", 7: "gYearMonth"}.get(len(text), "date"))


def reference_states(states_file: Path | str | None = None) -> list[tuple[str, str]]:
    """``(ISO3, English name)`` of every dg:State in the reference graph, sorted by code.

    Default file: ``graphs/reference/states.ttl`` of the repository this module belongs to.
    """
    path = Path(states_file) if states_file is not None else Path(__file__).resolve().parents[1] / "graphs" / "reference" / "states.ttl"
    g = Graph().parse(path, format="turtle")
    out = []
    for s in g.subjects(RDF.type, DG.State):
        code = g.value(s, DG.isoAlpha3)
        names = [str(o) for o in g.objects(s, RDFS.label) if getattr(o, "language", None) == "en"]
        if code is not None:
            out.append((str(code), names[0] if names else str(code)))
    return sorted(out)


class _World:
    """Emits the triples of one world; see :func:`iter_world_triples`."""

    def __init__(self, triples: int, seed: int, states: list[tuple[str, str]]) -> None:
        self.target, self.seed = triples, seed
        self.rng = random.Random(f"world:{seed}:{triples}")
        self.states = dict(states)
        self.codes = sorted(self.states)
        self.out: list[tuple[str, str, str]] = []
        self.count = 0
        self.places: set[str] = set()
        self.people: set[str] = set()
        self.pairs_seen: set[tuple[str, str]] = set()
        self.summits: set[str] = set()
        self.levels: dict[tuple[str, str], int] = {}
        n_orgs = max(2, min(40, triples // 25000))
        self.orgs = [f"osc{i + 1}" for i in range(n_orgs)]
        self.members: dict[str, list[str]] = {}
        self.report_no = 0

    # -- basic emission --
    def add(self, s: str, p: str, o: str) -> None:
        self.out.append((s, p, o))

    def flush(self):
        batch, self.out = self.out, []
        self.count += len(batch)
        return batch

    # -- shared entities (not statements: no provenance needed) --
    def state(self, code: str) -> str:
        return _iri(f"state/{code}")

    def capital(self, code: str) -> str:
        if code == "KAZ":
            return _iri("place/astana")  # in graphs/reference/places.ttl
        node = _iri(f"place/capital-{code.lower()}")
        if code not in self.places:
            self.places.add(code)
            self.add(node, _T, _dg("Place"))
            self.add(node, _LABEL, _en(f"Capital of {self.states[code]}"))
            self.add(node, _dg("inState"), self.state(code))
        return node

    def _name(self, code: str, role: str) -> str:
        h = int(hashlib.sha256(f"{self.seed}:{code}:{role}".encode()).hexdigest()[:12], 16)
        parts = []
        for _ in range(2):
            word = "".join(_SYLLABLES[(h >> (4 * k)) % len(_SYLLABLES)] for k in range(2 + h % 2))
            parts.append(word.capitalize())
            h //= 997
        return " ".join(parts)

    def person(self, code: str, role: str, post_label: str, post_role: str, accredited: str | None = None) -> tuple[str, str, str]:
        """(person IRI, name, post IRI) of the holder of a post of ``code``; described once."""
        if role == "leader" and code in _KNOWN_PEOPLE:
            slug, name = _KNOWN_PEOPLE[code]
        else:
            name = self._name(code, role + (accredited or ""))
            slug = f"{role}-{code.lower()}" + (f"-{accredited.lower()}" if accredited else "")
        node = _iri(f"person/{slug}")
        post = _iri(f"post/{code}-{role}" + (f"-{accredited}" if accredited else ""))
        if slug not in self.people:
            self.people.add(slug)
            self.add(node, _T, _dg("Person"))
            self.add(node, _LABEL, _str(name))
            self.add(node, _FOAFNAME, _str(name))
            self.add(node, _dg("affiliatedState"), self.state(code))
            self.add(post, _T, _dg("Post"))
            self.add(post, _LABEL, _str(post_label))
            self.add(post, _dg("postIn"), self.state(code))
            self.add(post, _dg("role"), _dg(post_role))
            if accredited:
                self.add(post, _dg("accreditedTo"), self.state(accredited))
        return node, name, post

    def institution(self, code: str) -> str:
        node = _iri(f"institution/national-university-{code.lower()}")
        key = "inst:" + code
        if key not in self.people:
            self.people.add(key)
            self.add(node, _T, _dg("Institution"))
            self.add(node, _LABEL, _str(f"National University of {self.states[code]}"))
            self.add(node, _dg("inState"), self.state(code))
        return node

    def org(self, acronym: str) -> str:
        node = _iri(f"org/{acronym}")
        if acronym not in REFERENCE_ORGS and acronym not in self.members:
            self.membership_report(acronym)
        return node

    # -- a source document and its sentences --
    def report(self, stem: str, title: str, subject: str | None = None):
        doc = _iri(f"source/{stem}")
        author = _iri(f"source/{stem}/author")
        self.add(doc, _T, _dg("SourceDocument"))
        self.add(doc, f"<{_DCT}title>", _str(title))
        self.add(doc, f"<{_DCT}language>", _str("en"))
        self.add(doc, f"<{_DCT}creator>", author)
        if subject:
            self.add(doc, f"<{_DCT}subject>", subject)
        self.add(doc, _dg("fileName"), _str(f"{stem}.txt"))
        self.add(doc, _dg("sha256"), _str(hashlib.sha256(stem.encode()).hexdigest()))
        self.add(author, _T, _dg("UnnamedAuthor"))
        self.add(author, _LABEL, _str(f"unnamed author of {stem}"))
        counter = [0]

        def sentence(text: str) -> str:
            i = counter[0]
            counter[0] += 1
            line, n = 2 + i // 3, i % 3 + 1
            node = _iri(f"source/{stem}/sentence/{line}-{n}")
            self.add(node, _T, _dg("Sentence"))
            self.add(node, f"<{_DCT}isPartOf>", doc)
            self.add(node, _dg("lineNumber"), _typed(line, "integer"))
            self.add(node, _dg("sentenceNumber"), _typed(n, "integer"))
            self.add(node, _dg("text"), _str(text))
            return node

        def statement(node: str, cls: str, label: str, text: str, by: str | None = None,
                      modality: str = "ReportedFact", occasion: str | None = None, note: str | None = None,
                      evidence: str | None = None) -> str:
            self.add(node, _T, _dg(cls))
            if label:
                self.add(node, _LABEL, _str(label))
            self.add(node, _dg("evidence"), evidence or sentence(text))
            self.add(node, f"<{_PROVNS}wasDerivedFrom>", doc)
            self.add(node, f"<{_PROVNS}wasAttributedTo>", by or author)
            self.add(node, _dg("modality"), _dg(modality))
            if occasion:
                self.add(node, _dg("occasion"), occasion)
            if note:
                self.add(node, _dg("note"), _str(note))
            return node

        return doc, sentence, statement

    def membership_report(self, acronym: str) -> None:
        rng = random.Random(f"{self.seed}:org:{acronym}")
        members = sorted(rng.sample(self.codes, rng.randint(8, 40)))
        self.members[acronym] = members
        org = _iri(f"org/{acronym}")
        name = f"Organisation for Synthetic Cooperation {acronym[3:]}"
        self.add(org, _T, _dg("InternationalOrganisation"))
        self.add(org, _LABEL, _en(name))
        self.add(org, _dg("acronym"), _str(acronym.upper()))
        stem = f"world-{self.seed}-members-{acronym}"
        *_, statement = self.report(stem, f"Members of the {name}")
        for code in members:
            m = _iri(f"membership/{acronym}/{code}")
            statement(m, "Membership", "", f"{self.states[code]} takes part in the {name}.")
            self.add(m, f"<{_ORGNS}member>", self.state(code))
            self.add(m, f"<{_ORGNS}organization>", org)
            self.add(m, _dg("membershipStatus"), _dg(rng.choice(_STATUSES)))
            self.add(m, _dg("startDate"), _year_date(str(rng.randint(1992, 2023))))

    def summit(self, acronym: str, year: int, statement) -> tuple[str, str]:
        """(summit IRI, place IRI) of ``acronym``'s summit in ``year``, described by the first report naming it."""
        if (acronym, year) == ("sco", 2024):
            node, place = _iri("event/summit-2024-astana-sco"), _iri("place/astana")
        else:
            host = random.Random(f"{self.seed}:summit:{acronym}:{year}").choice(self.codes)
            place = self.capital(host)
            node = _iri(f"event/summit-{acronym}-{year}-capital-{host.lower()}")
        org = self.org(acronym)
        if node not in self.summits:
            self.summits.add(node)
            statement(node, "Summit", f"{acronym.upper()} summit, {year}",
                      f"Leaders gathered for the {acronym.upper()} summit in {year}.")
            self.add(node, _dg("summitOf"), org)
            self.add(node, _dg("place"), place)
            self.add(node, _dg("date"), _year_date(str(year)))
        return node, place

    # -- one report about one relationship in one year --
    def pair_report(self, a: str, b: str, year: int, r: int) -> None:
        rng = self.rng
        x, y = sorted((a, b))
        na, nb = self.states[a], self.states[b]
        rel = _iri(f"relationship/{x}-{y}")
        self.report_no += 1
        stem = f"world-{self.seed}-{self.report_no:06d}-{x.lower()}-{y.lower()}-{year}"
        *_, statement = self.report(stem, f"{na} and {nb} in {year}: a synthetic report", rel)
        leader_a, name_a, post_la = self.person(a, "leader", f"President of {na}", "President")
        leader_b, name_b, post_lb = self.person(b, "leader", f"President of {nb}", "President")
        amb, amb_name, post_amb = self.person(a, "ambassador", f"Ambassador of {na} to {nb}", "Ambassador", accredited=b)
        minister, min_name, post_min = self.person(b, "minister", f"Foreign Minister of {nb}", "Diplomat")
        cap_a, cap_b = self.capital(a), self.capital(b)

        statement(rel, "BilateralRelationship", f"{self.states[x]}–{self.states[y]} relations",
                  f"{na} and {nb} described their relations as friendly in {year}.")
        self.add(rel, _dg("party"), self.state(a))
        self.add(rel, _dg("party"), self.state(b))
        st = lambda local: _iri(f"statement/{stem}/{local}")

        presser = _iri(f"event/press-conference-{year}-{a.lower()}-{b.lower()}-{r}")
        statement(presser, "PressConference", f"Press conference by {amb_name}, {year}",
                  f"Speaking at a press conference in {year}, {amb_name} reviewed relations between {na} and {nb}.")
        self.add(presser, _dg("speaker"), amb)
        self.add(presser, _dg("topic"), _str(f"relations between {na} and {nb} in {year}"))
        self.add(presser, _dg("date"), _year_date(str(year)))
        self.add(presser, _dg("place"), cap_b)

        for who, name, post in ((leader_a, name_a, post_la), (leader_b, name_b, post_lb), (amb, amb_name, post_amb),
                                (minister, min_name, post_min)):
            h = statement(st(f"post-holding-{who[len(_IDNS) + 8:-1]}"), "PostHolding", f"{name} in office, {year}",
                          f"{name} was in office in {year}.", occasion=presser)
            self.add(h, _dg("holder"), who)
            self.add(h, _dg("post"), post)
            self.add(h, _dg("asOf"), _year_date(str(year)))

        if (x, y) not in self.pairs_seen:
            self.pairs_seen.add((x, y))
            when = f"{rng.randint(1991, 2011)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"[: rng.choice((4, 7, 10))]
            est = statement(st("relations-established"), "RelationsEstablishment",
                            f"{na} and {nb} established diplomatic relations",
                            f"{na} and {nb} established diplomatic ties in {when}.",
                            by=amb, note="Synthetic: the precision of the date varies on purpose.")
            self.add(est, _dg("relationship"), rel)
            self.add(est, _dg("date"), _year_date(when))

        # a meeting of the two leaders, on the sidelines of a summit half of the time
        if (x, y, year) == ("AZE", "CHN", 2024):
            date, acronym = "2024-07-03", "sco"
        else:
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            acronym = rng.choice(REFERENCE_ORGS + tuple(self.orgs)) if rng.random() < 0.5 else None
        summit = None
        if acronym:
            summit, place = self.summit(acronym, year, statement)
        else:
            place = rng.choice((cap_a, cap_b))
        meeting = _iri(f"event/meeting-{date}-{place[len(_IDNS) + 7:-1]}-{a.lower()}-{b.lower()}")
        statement(meeting, "Meeting", f"Meeting of {name_a} and {name_b}, {date}",
                  f"{name_a} and {name_b} met on {date}.", by=amb, occasion=presser)
        self.add(meeting, _dg("participant"), leader_a)
        self.add(meeting, _dg("participant"), leader_b)
        self.add(meeting, _dg("place"), place)
        self.add(meeting, _dg("date"), _year_date(date))
        if summit:
            self.add(meeting, _dg("partOfEvent"), summit)
        level = self.levels.get((x, y), -1)
        if level < len(_LEVELS) - 1 and ((x, y, year) == ("AZE", "CHN", 2024) or rng.random() < 0.6):
            level += 1
            self.levels[(x, y)] = level
            ls = statement(st(f"level-{_LEVELS[level].lower()}"), "RelationshipLevelStatus",
                           f"{na}–{nb} relations raised to {_LEVELS[level]} on {date}",
                           f"The leaders announced that their ties were raised on {date}.", by=amb, occasion=presser)
            self.add(ls, _dg("relationship"), rel)
            self.add(ls, _dg("level"), _dg(_LEVELS[level]))
            self.add(ls, _dg("startDate"), _year_date(date))
            self.add(ls, _dg("announcedAt"), meeting)
            self.add(ls, _dg("announcedBy"), leader_a)
            self.add(ls, _dg("announcedBy"), leader_b)

        visit = _iri(f"event/visit-{year}-{b}-{a.lower()}-{r}")
        statement(visit, "Visit", f"Visit of {min_name} to {na}, {year}", f"{min_name} visited {na} in {year}.")
        self.add(visit, _dg("visitor"), minister)
        self.add(visit, _dg("visitingState"), self.state(b))
        self.add(visit, _dg("hostState"), self.state(a))
        self.add(visit, _dg("place"), cap_a)
        self.add(visit, _dg("date"), _year_date(f"{year}-{rng.randint(1, 12):02d}"))

        # indicators: trade for the whole previous year and the first ten months of this one
        base = rng.randint(50, 5000) * 1_000_000
        for local, start, end, value, change in (
            (f"trade-{year - 1}", f"{year - 1}-01-01", f"{year - 1}-12-31", base, None),
            (f"trade-{year}-jan-oct", f"{year}-01-01", f"{year}-10-31", int(base * rng.uniform(0.6, 1.1)),
             round(rng.uniform(-20, 40), 1)),
        ):
            text = f"Trade between {na} and {nb} was {value} US dollars from {start} to {end}."
            ind = statement(st(f"indicator-{local}"), "Indicator", text[:-1], text)
            self.add(ind, _dg("indicatorType"), _dg("BilateralTradeVolume"))
            self.add(ind, _dg("relationship"), rel)
            self.add(ind, _dg("value"), _typed(value, "integer"))
            self.add(ind, _dg("unit"), _dg("USD"))
            self.add(ind, _dg("approximate"), _typed("false", "boolean"))
            self.add(ind, _dg("periodStart"), _year_date(start))
            self.add(ind, _dg("periodEnd"), _year_date(end))
            if change is not None:
                self.add(ind, _dg("change"), _typed(change, "decimal"))
                self.add(ind, _dg("changeKind"), _dg("PercentChange"))
                self.add(ind, _dg("comparedWith"), _str("year-on-year"))
                self.add(ind, _dg("trend"), _dg("Growing" if change >= 0 else "Declining"))
        tourists = statement(st("indicator-tourist-arrivals"), "Indicator", f"Tourists from {na} in {nb}, {year}",
                             f"Nearly {rng.randint(1, 900) * 100} tourists from {na} visited {nb}.")
        self.add(tourists, _dg("indicatorType"), _dg("TouristArrivals"))
        self.add(tourists, _dg("relationship"), rel)
        self.add(tourists, _dg("fromState"), self.state(a))
        self.add(tourists, _dg("toState"), self.state(b))
        self.add(tourists, _dg("value"), _typed(rng.randint(1, 900) * 100, "integer"))
        self.add(tourists, _dg("unit"), _dg("Count"))
        self.add(tourists, _dg("approximate"), _typed("true", "boolean"))
        self.add(tourists, _dg("approximationWord"), _str("nearly"))
        self.add(tourists, _dg("asOf"), _year_date(str(year)))
        flights = statement(st("indicator-weekly-flights"), "Indicator", f"Weekly flights between {na} and {nb}",
                            f"There are {rng.randint(1, 30)} weekly flights between the two capitals.")
        self.add(flights, _dg("indicatorType"), _dg("WeeklyFlights"))
        self.add(flights, _dg("relationship"), rel)
        self.add(flights, _dg("connects"), cap_a)
        self.add(flights, _dg("connects"), cap_b)
        self.add(flights, _dg("value"), _typed(rng.randint(1, 30), "integer"))
        self.add(flights, _dg("unit"), _dg("Count"))
        self.add(flights, _dg("asOf"), _year_date(str(year)))
        meetings = statement(st("indicator-leader-meetings"), "Indicator", f"Meetings of {name_a} with {nb}, {year}",
                             f"{name_a} held {rng.randint(1, 6)} meetings with delegations from {nb} in {year}.")
        self.add(meetings, _dg("indicatorType"), _dg("HighLevelMeetings"))
        self.add(meetings, _dg("relationship"), rel)
        self.add(meetings, _dg("aboutPerson"), leader_a)
        self.add(meetings, _dg("value"), _typed(rng.randint(1, 6), "integer"))
        self.add(meetings, _dg("unit"), _dg("Count"))
        self.add(meetings, _dg("periodStart"), _year_date(f"{year}-01-01"))
        self.add(meetings, _dg("periodEnd"), _year_date(f"{year}-12-31"))

        # positions
        for i, (holder, hname, concerns) in enumerate(((a, na, b), (b, nb, a))):
            issue = rng.choice(_ISSUES)
            kind = rng.choice(("Supports", "Opposes"))
            s = statement(st(f"stance-{i}"), "Stance", f"{hname} {kind.lower()} {issue} ({year})",
                          f"{hname} stated its position on {issue} concerning {self.states[concerns]}.")
            self.add(s, _dg("holder"), self.state(holder))
            self.add(s, _dg("stanceKind"), _dg(kind))
            self.add(s, _dg("issue"), _dg(issue))
            self.add(s, _dg("concernsState"), self.state(concerns))
            self.add(s, _dg("relationship"), rel)
            self.add(s, _dg("reaffirmed"), _typed(rng.choice(("true", "false")), "boolean"))
            if i == 0:
                self.add(s, _dg("expressedBy"), leader_a)
                self.add(s, _dg("intensity"), _str("strong"))
        forums = sorted({rng.choice(REFERENCE_ORGS), rng.choice(self.orgs)})
        c = statement(st("commitment-multilateral"), "Commitment", f"{na} and {nb} cooperate in multilateral forums",
                      f"{na} and {nb} will continue to cooperate in {', '.join(f.upper() for f in forums)}.")
        self.add(c, _dg("committedParty"), self.state(a))
        self.add(c, _dg("committedParty"), self.state(b))
        self.add(c, _dg("issue"), _dg("MultilateralCooperation"))
        for f in forums:
            self.add(c, _dg("forum"), self.org(f))
        self.add(c, _dg("relationship"), rel)
        p = statement(st("policy-visa-free"), "Policy", f"Visa-free regime of {nb} for citizens of {na}",
                      f"{nb} introduced a visa-free regime for citizens of {na}.")
        self.add(p, _dg("policyType"), _dg("VisaFreeRegime"))
        self.add(p, _dg("grantingState"), self.state(b))
        self.add(p, _dg("beneficiaryState"), self.state(a))
        self.add(p, _dg("effect"), tourists)
        self.add(p, _dg("startDate"), _year_date(str(year - rng.randint(0, 5))))
        self.add(p, _dg("relationship"), rel)
        plan = statement(st("plan-tourism"), "Plan", f"Plans to facilitate tourism from {nb} to {na}",
                         f"Plans are underway to facilitate tourism from {nb} to {na}.", modality="PlanModality")
        self.add(plan, _dg("objective"), _str(f"facilitate tourism from {nb} to {na}"))
        self.add(plan, _dg("sector"), _dg("Tourism"))
        self.add(plan, _dg("actor"), self.state(a))
        self.add(plan, _dg("actor"), self.state(b))
        self.add(plan, _dg("fromState"), self.state(b))
        self.add(plan, _dg("toState"), self.state(a))
        self.add(plan, _dg("relationship"), rel)
        proj = statement(st(f"projection-trade-{year}"), "Projection", f"{amb_name} projects record trade for {year}",
                         f"{amb_name} projected a record annual trade volume by year-end.", by=amb,
                         modality="ProjectionModality", occasion=presser)
        self.add(proj, _dg("indicatorType"), _dg("BilateralTradeVolume"))
        self.add(proj, _dg("projectedOutcome"), _str("a record annual trade volume by year-end"))
        self.add(proj, _dg("periodStart"), _year_date(f"{year}-01-01"))
        self.add(proj, _dg("periodEnd"), _year_date(f"{year}-12-31"))
        self.add(proj, _dg("relationship"), rel)
        for i, sector in enumerate(sorted(set(rng.sample(_SECTORS, 2)))):
            area = statement(st(f"cooperation-{sector.lower()}"), "CooperationArea", f"Cooperation in {sector} ({na}, {nb})",
                             f"Cooperation between {na} and {nb} in {sector} is growing.")
            self.add(area, _dg("sector"), _dg(sector))
            self.add(area, _dg("trend"), _dg("Growing"))
            self.add(area, _dg("relationship"), rel)
            if sector == "EconomicCooperation":
                self.add(area, _dg("product"), _dg(rng.choice(_PRODUCTS)))
                self.add(area, _dg("fromState"), self.state(a))
                self.add(area, _dg("toState"), self.state(b))
            if sector in ("Research", "Education"):
                self.add(area, _dg("institution"), self.institution(a))
        assessment = statement(st("assessment-relations"), "Assessment", f"{na}–{nb} relations are at their best",
                               f"Relations between {na} and {nb} are at their best in history, {amb_name} said.",
                               by=amb, modality="Claim")
        self.add(assessment, _dg("subject"), rel)
        self.add(assessment, _dg("trend"), _dg("Growing"))
        self.add(assessment, _dg("relationship"), rel)
        quote_text = f"Our cooperation with {nb} has entered a new stage in {year}"
        quote = statement(st("quote-new-stage"), "Quote", f"{amb_name}: a new stage",
                          f'"{quote_text}," {amb_name} said.', by=amb, modality="Claim", occasion=presser)
        self.add(quote, _dg("quoteText"), _str(quote_text))
        self.add(quote, _dg("subject"), rel)
        self.add(quote, _dg("reportedBy"), amb)
        self.add(quote, _dg("relationship"), rel)

    def __iter__(self):
        # the pairs the named queries ask about (VALUES rows) come first, then random pairs
        first = [("AZE", "CHN"), ("CHN", "KAZ"), ("AZE", "KAZ")]
        first = [p for p in first if all(c in self.states for c in p)]
        org_every = max(1, 60 // len(self.orgs))
        i = 0
        while self.count < self.target:
            if i < len(first):
                a, b = first[i]
            else:
                a, b = self.rng.sample(self.codes, 2)
                if tuple(sorted((a, b))) in self.pairs_seen:
                    continue
            reports = 2 if i < len(first) else self.rng.randint(1, 3)
            end = 2024 if i < len(first) else self.rng.randint(2012, 2024)
            for r, year in enumerate(range(end - reports + 1, end + 1)):
                self.pair_report(a, b, year, r)
                yield from self.flush()
                if self.count >= self.target:
                    break
            if i % org_every == 0 and len(self.members) < len(self.orgs):
                self.org(self.orgs[len(self.members)])
                yield from self.flush()
            i += 1


def iter_world_triples(triples: int, seed: int = 0, states_file: Path | str | None = None):
    """Yield ``(s, p, o)`` of a synthetic world of about ``triples`` triples, terms in N-Triples syntax.

    Stops at the first report boundary after ``triples`` (a few hundred over at most). Deterministic.
    """
    yield from _World(triples, seed, reference_states(states_file))


def write_world(path: Path | str, triples: int, seed: int = 0, states_file: Path | str | None = None) -> int:
    """Write a synthetic world to ``path`` (N-Triples for ``.nt``, Turtle for ``.ttl``); return its triple count.

    The Turtle form groups consecutive triples of one subject with ``;`` (every term a full IRI or
    literal). Written atomically (temporary file in the same folder, then ``os.replace``).
    """
    path = Path(path)
    turtle = path.suffix.lower() == ".ttl"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            if turtle:
                out.write(f"# Synthetic diplomatic world: {triples} triples requested, seed {seed}. Invented data, not claims.\n")
            last = None
            for s, p, o in iter_world_triples(triples, seed, states_file):
                n += 1
                if not turtle:
                    out.write(f"{s} {p} {o} .\n")
                elif s == last:
                    out.write(f" ;\n    {p} {o}")
                else:
                    out.write(f" .\n{s} {p} {o}" if last is not None else f"{s} {p} {o}")
                    last = s
            if turtle and last is not None:
                out.write(" .\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def generate_world(triples: int, seed: int = 0, states_file: Path | str | None = None) -> Graph:
    """A synthetic world of about ``triples`` triples as an rdflib ``Graph`` (see :func:`write_world`)."""
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in iter_world_triples(triples, seed, states_file))
    return bind_prefixes(Graph()).parse(data=text, format="nt")
