"""Write coded events as Turtle, one event at a time, so memory does not grow with the file.

Events are written in the order of the file, each as one block of ``subject ; predicate object``
lines; the actors and the relationships they name are collected (their number is bounded by the
distinct actors and pairs, not by the rows) and written at the end, sorted by IRI. Same rows in,
same bytes out. There are no blank nodes: every node has an IRI built by :mod:`diplograph.iris`.
String literals are escaped by :func:`json.dumps` (its escapes are Turtle's), decimals arrive
checked by :mod:`diplograph.coded.records`.
"""

from __future__ import annotations

import json
from typing import TextIO

from diplograph import iris
from diplograph.coded.records import Actor, Event
from diplograph.namespaces import DG, ID

__all__ = ["EventGraphWriter"]

_PREFIXES = {
    "dg": str(DG),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "state": str(ID["state/"]),
    "territory": str(ID["territory/"]),
    "rel": str(ID["relationship/"]),
    "refsrc": str(ID["reference-source/"]),
    "src": str(ID["source/"]),
    "cameo": str(ID["cameo/"]),
    "plover-event": str(iris.plover_scheme("event")) + "/",
    "plover-mode": str(iris.plover_scheme("mode")) + "/",
    "plover-context": str(iris.plover_scheme("context")) + "/",
}
_STATE, _TERRITORY = _PREFIXES["state"], _PREFIXES["territory"]


def _lit(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _node(iri: str) -> str:
    if iri.startswith(_STATE):
        return "state:" + iri[len(_STATE):]
    if iri.startswith(_TERRITORY):
        return "territory:" + iri[len(_TERRITORY):]
    return f"<{iri}>"


class EventGraphWriter:
    """Turtle for the events of one data file: :meth:`start`, then :meth:`event` per row, then :meth:`finish`."""

    def __init__(self, out: TextIO, dataset: str, stem: str) -> None:
        self.out = out
        self.dataset = dataset
        self.source = f"src:{stem}"
        self._event_prefix = str(ID[f"coded-event/{dataset}/"])
        self.actors: dict[str, Actor] = {}
        self.sectors: dict[str, set[str]] = {}
        self.pairs: set[tuple[str, str]] = set()

    def start(self, header: list[str], title: str, file_name: str, sha256: str, upstream: str) -> None:
        w = self.out.write
        for line in header:
            w(f"# {line}\n")
        w("\n")
        prefixes = dict(_PREFIXES, ce=self._event_prefix)
        for prefix in sorted(prefixes):
            w(f"@prefix {prefix}: <{prefixes[prefix]}> .\n")
        w(f"\n{self.source} a dg:CodedEventDataset ;\n"
          f"    dcterms:title {_lit(title)} ;\n"
          f"    dcterms:source {_lit(upstream)} ;\n"
          f"    dg:fileName {_lit(file_name)} ;\n"
          f"    dg:sha256 {_lit(sha256)} .\n")

    def _actor(self, actor: Actor) -> str:
        if actor.kind in ("coded", "unresolved"):
            if actor.iri not in self.actors:
                self.actors[actor.iri] = actor
                self.sectors[actor.iri] = set()
            self.sectors[actor.iri].update(actor.sectors)
        return _node(actor.iri)

    def event(self, e: Event) -> None:
        local = iris.coded_event(e.dataset, e.event_id)[len(self._event_prefix):]
        code = e.code
        lines = [
            f"ce:{local} a dg:CodedEvent",
            f"dg:codedEventId {_lit(e.event_id)}",
            f"dg:lineInFile {e.line}",
            f'dg:date "{e.date}"^^xsd:date',
            f"dg:cameoCode cameo:{code.code}",
        ]
        if code.plover_event:
            lines.append(f"dg:ploverEventType plover-event:{code.plover_event}")
        if code.plover_mode:
            lines.append(f"dg:ploverMode plover-mode:{code.plover_mode}")
        for context in code.plover_contexts:
            lines.append(f"dg:ploverContext plover-context:{context}")
        for role, actor in (("source", e.source), ("target", e.target)):
            if actor is not None:
                lines.append(f"dg:{role}Actor {self._actor(actor)}")
                if actor.state is not None:
                    lines.append(f"dg:{role}State state:{actor.state.iso3}")
        pair = e.pair
        if pair is not None:
            self.pairs.add(pair)
            lines.append(f"dg:relationship rel:{pair[0]}-{pair[1]}")
        if e.intensity is not None:
            lines.append(f"dg:eventIntensity {e.intensity}")
        if e.quad_class is not None:
            lines.append(f"dg:quadClass {e.quad_class}")
        if e.place_name:
            lines.append(f"dg:placeName {_lit(e.place_name)}")
        if e.place_country is not None:
            lines.append(f"dg:placeCountry {_node(e.place_country.iri)}")
        if e.latitude is not None:
            lines.append(f"dg:latitude {e.latitude}")
        if e.longitude is not None:
            lines.append(f"dg:longitude {e.longitude}")
        if e.story_id:
            lines.append(f"dg:storyId {_lit(e.story_id)}")
        if e.sentence is not None:
            lines.append(f"dg:storySentence {e.sentence}")
        if e.publisher:
            lines.append(f"dg:publisher {_lit(e.publisher)}")
        if e.url:
            lines.append(f'dg:sourceUrl {_lit(e.url)}^^xsd:anyURI')
        for key, value in e.counts.items():
            lines.append(f"dg:{key} {value}")
        if e.tone is not None:
            lines.append(f"dg:averageTone {e.tone}")
        lines.append(f"dg:evidenceNote {_lit(e.evidence)}")
        lines.append(f"prov:wasDerivedFrom {self.source}")
        lines.append("dg:modality dg:MachineCoded")
        self.out.write("\n" + " ;\n    ".join(lines) + " .\n")

    def finish(self, file_name: str) -> None:
        w = self.out.write
        for iri in sorted(self.actors):
            a = self.actors[iri]
            lines = [f"{_node(iri)} a {'dg:CodedActor' if a.kind == 'coded' else 'dg:UnresolvedActor'}",
                     f"rdfs:label {_lit(a.label)}"]
            if a.kind == "coded":
                lines.append(f"dg:actorState {_node(a.country.iri)}")
            elif a.country_as_written:
                lines.append(f"dg:countryAsWritten {_lit(a.country_as_written)}")
            if a.code:
                lines.append(f"dg:actorCode {_lit(a.code)}")
            if self.sectors[iri]:
                lines.append("dg:actorSector " + " , ".join(_lit(s) for s in sorted(self.sectors[iri])))
            w("\n" + " ;\n    ".join(lines) + " .\n")
        note = _lit(
            f"The pair of states of coded events in {file_name}: a key shared with curated graphs, "
            "the states named by their ISO 3166-1 codes (vendor/reference/country-codes.csv)."
        )
        for a, b in sorted(self.pairs):
            w(f"\nrel:{a}-{b} a dg:BilateralRelationship ;\n"
              f"    dg:party state:{a} , state:{b} ;\n"
              f"    prov:wasDerivedFrom refsrc:country-codes ;\n"
              f"    dg:evidenceNote {note} ;\n"
              f"    dg:modality dg:ReportedFact .\n")
