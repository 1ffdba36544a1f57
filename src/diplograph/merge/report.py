"""What a merge reports: the graphs merged, every rewrite, conflict, type clash and warning.

Values only (frozen dataclasses with ``as_json`` and ``line``); nothing here reads or writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node
from rdflib.util import from_n3

from diplograph.errors import DiplographError
from diplograph.terms import nt, shorten

__all__ = [
    "Conflict",
    "MergeConflictError",
    "MergeReport",
    "MergeWarning",
    "Refinement",
    "Rewrite",
    "SourceInfo",
    "TypeClash",
]


class MergeConflictError(DiplographError):
    """``strict`` merging found conflicts or type clashes (exit 1: the data does not agree)."""

    exit_code = 1

    def __init__(self, report: MergeReport) -> None:
        self.report = report
        n = len(report.conflicts) + len(report.type_clashes)
        super().__init__(f"{n} conflict{'s' if n != 1 else ''} found while merging (strict mode)")

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(report_line for report_line in self.report.problem_lines()) + (str(self),)


# --- report values -------------------------------------------------------------


@dataclass(frozen=True)
class SourceInfo:
    """One merged named graph: where it came from. ``loaded_at`` is for people, not for output."""

    graph: URIRef
    file: str  # the path as given (display form)
    sha256: str
    triples: int
    kind: str  # "source" or "reference"
    loaded_at: str = ""

    def as_json(self, times: bool = True) -> dict:
        d = {"graph": str(self.graph), "file": self.file, "sha256": self.sha256, "triples": self.triples,
             "kind": self.kind}
        if times:
            d["loaded_at"] = self.loaded_at
        return d


@dataclass(frozen=True, order=True)
class Rewrite:
    """One IRI rewritten to its canonical IRI in one graph, and the key that decided it."""

    source: URIRef
    from_iri: URIRef
    to_iri: URIRef
    key: str
    file: str = ""

    def as_json(self) -> dict:
        return {"source": str(self.source), "file": self.file, "from": str(self.from_iri),
                "to": str(self.to_iri), "key": self.key}


@dataclass(frozen=True, order=True)
class Conflict:
    """Different values for a single-valued fact; ``values`` pairs each value with the graphs saying it."""

    kind: str  # "establishment-date", "indicator-value", "identifier", "functional-property"
    subject: str  # what the fact is about (a node, or a key), for people
    property: URIRef
    values: tuple[tuple[str, tuple[str, ...]], ...]
    nodes: tuple[str, ...] = ()  # the statement nodes involved

    def as_json(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "property": str(self.property),
                "values": [{"value": v, "sources": list(s)} for v, s in self.values], "nodes": list(self.nodes)}

    def line(self) -> str:
        vals = "; ".join(f"{v} in {', '.join(s)}" for v, s in self.values)
        return f"conflict ({self.kind}): {self.subject}: {shorten(self.property)} has {len(self.values)} values: {vals}"


@dataclass(frozen=True)
class Refinement:
    """A date given at two precisions that agree: the coarser value, taken out of the graphs that gave
    it, and the more precise one the merged view keeps (:mod:`~diplograph.merge.precision`).

    ``coarse_graphs`` / ``precise_graphs`` are graph IRIs; ``coarse_sources`` / ``precise_sources``
    the same graphs with their files, for people.
    """

    node: Node
    property: URIRef
    coarse: Literal
    coarse_graphs: tuple[URIRef, ...]
    coarse_sources: tuple[str, ...]
    precise: Literal
    precise_graphs: tuple[URIRef, ...]
    precise_sources: tuple[str, ...]

    def sort_key(self) -> tuple:
        return (str(self.node), str(self.property), str(self.coarse), self.coarse_sources)

    def as_json(self) -> dict:
        return {"node": str(self.node), "property": str(self.property),
                "from": {"value": nt(self.coarse), "graphs": [str(g) for g in self.coarse_graphs],
                         "sources": list(self.coarse_sources)},
                "to": {"value": nt(self.precise), "graphs": [str(g) for g in self.precise_graphs],
                       "sources": list(self.precise_sources)}}

    @classmethod
    def from_json(cls, d: dict) -> Refinement:
        return cls(URIRef(d["node"]), URIRef(d["property"]), from_n3(d["from"]["value"]),
                   tuple(URIRef(g) for g in d["from"]["graphs"]), tuple(d["from"]["sources"]),
                   from_n3(d["to"]["value"]), tuple(URIRef(g) for g in d["to"]["graphs"]), tuple(d["to"]["sources"]))

    def line(self) -> str:
        return (f"refined: {shorten(self.node)} {shorten(self.property)} {self.coarse} "
                f"({', '.join(self.coarse_sources)}) -> {self.precise} ({', '.join(self.precise_sources)}); "
                "the merged view keeps the more precise date, graph/meta records the coarser one")


@dataclass(frozen=True, order=True)
class TypeClash:
    """A node typed as incompatible kinds of thing in different graphs (``kinds``: kind -> graphs)."""

    node: URIRef
    kinds: tuple[tuple[str, tuple[str, ...]], ...]

    def as_json(self) -> dict:
        return {"node": str(self.node), "kinds": [{"kind": k, "sources": list(s)} for k, s in self.kinds]}

    def line(self) -> str:
        parts = "; ".join(f"{k} in {', '.join(s)}" for k, s in self.kinds)
        return f"type clash: {shorten(self.node)} is typed as different kinds of thing: {parts}; not reconciled, kept as is"


@dataclass(frozen=True, order=True)
class MergeWarning:
    """Something merged but not reconciled (a state with no key, say), naming the graph and node."""

    source: str
    node: str
    message: str

    def as_json(self) -> dict:
        return {"source": self.source, "node": self.node, "message": self.message}

    def line(self) -> str:
        return f"{self.source}: {self.node}: {self.message}"


@dataclass(frozen=True)
class MergeReport:
    """What a merge did: the graphs merged, every rewrite, every conflict, clash and warning."""

    sources: tuple[SourceInfo, ...]
    rewrites: tuple[Rewrite, ...]
    conflicts: tuple[Conflict, ...]
    type_clashes: tuple[TypeClash, ...]
    warnings: tuple[MergeWarning, ...]
    triples: int = 0
    refinements: tuple[Refinement, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing conflicts (warnings allowed)."""
        return not self.conflicts and not self.type_clashes

    def problem_lines(self) -> list[str]:
        return [c.line() for c in self.conflicts] + [t.line() for t in self.type_clashes]

    def as_json(self, times: bool = True) -> dict:
        return {
            "sources": [s.as_json(times) for s in self.sources],
            "triples": self.triples,
            "rewrites": [r.as_json() for r in self.rewrites],
            "conflicts": [c.as_json() for c in self.conflicts],
            "type_clashes": [t.as_json() for t in self.type_clashes],
            "warnings": [w.as_json() for w in self.warnings],
            "refinements": [r.as_json() for r in self.refinements],
        }

    def to_json(self, times: bool = True) -> str:
        return json.dumps(self.as_json(times), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, data: dict) -> MergeReport:
        """The report :meth:`as_json` wrote (an on-disk store keeps the report of its last merge)."""
        return cls(
            sources=tuple(SourceInfo(URIRef(s["graph"]), s["file"], s["sha256"], s["triples"], s["kind"],
                                     s.get("loaded_at", "")) for s in data["sources"]),
            rewrites=tuple(Rewrite(URIRef(r["source"]), URIRef(r["from"]), URIRef(r["to"]), r["key"], r["file"])
                           for r in data["rewrites"]),
            conflicts=tuple(Conflict(c["kind"], c["subject"], URIRef(c["property"]),
                                     tuple((v["value"], tuple(v["sources"])) for v in c["values"]), tuple(c["nodes"]))
                            for c in data["conflicts"]),
            type_clashes=tuple(TypeClash(URIRef(c["node"]), tuple((k["kind"], tuple(k["sources"])) for k in c["kinds"]))
                               for c in data["type_clashes"]),
            warnings=tuple(MergeWarning(w["source"], w["node"], w["message"]) for w in data["warnings"]),
            triples=data["triples"],
            refinements=tuple(Refinement.from_json(r) for r in data.get("refinements", ())),
        )


