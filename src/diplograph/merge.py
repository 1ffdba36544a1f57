"""Merge graphs of several bilateral relationships into one dataset, reconciling shared entities.

:func:`merge_sources` reads source graphs (Turtle, TriG, …) and reference graphs and returns a
:class:`MergeResult`: an ``rdflib.Dataset`` with one named graph per source, plus a
:class:`MergeReport` saying what was rewritten, what conflicts and what could not be reconciled.
:func:`merge_into` adds sources to an existing merge (only the new files are parsed),
:func:`remove_sources` takes sources out again, :func:`to_trig` / :func:`to_nquads` /
:func:`write_merged` give the canonical, byte-reproducible serialisation.

How a merge works
-----------------
1. **Load.** Every input file is parsed on its own (:mod:`diplograph.loading`); every broken
   file is reported (one line each, with its line number) and nothing is merged or written.
   A triple file becomes the named graph ``graph/source/{stem}`` (reference files:
   ``graph/reference/{stem}``); a TriG / N-Quads file keeps its own named graphs (its default
   graph becomes ``graph/source/{stem}``; a ``graph/meta`` graph in it is dropped and made
   anew). The same file given twice, or two files giving a graph the same name and the same
   triples, count once (so merge(A, A) = merge(A)); the same name with different triples is
   an :class:`~diplograph.errors.UsageError`.
2. **Skolemise blank nodes**, per file, deterministically: every blank node becomes
   ``id/.well-known/genid/{h}/{label}`` (``h``: see :func:`skolem_base`), where ``label`` is
   the canonical hash rdflib's graph canonicaliser (``rdflib.compare``) gives the blank node
   in the file's blank-node triples. Two files never share a skolem IRI, and parsing the same
   file twice gives the same IRIs, whatever labels the parser invented.
3. **Reconcile by keys** (the ``owl:hasKey`` declarations of the ontology and the IRI
   conventions of ``notes/CONVENTIONS.md``), over the union of every input, reference graphs
   included. IRIs are global, so a node's description is the union of what every graph says
   about it. In dependency order:

   - states: ``dg:isoAlpha3`` -> ``id/state/{ISO3}``; else ``dg:wikidata`` (or
     ``skos:exactMatch wd:Q…``) looked up among states that have both -> ``id/state/{ISO3}``;
     territories likewise -> ``id/territory/{ISO3}``;
   - international organisations: ``dg:acronym`` -> ``id/org/{acronym, lower case}``; else QID;
   - places: QID (a group of places sharing one);
   - people: QID, or ``foaf:name`` + (reconciled) ``dg:affiliatedState``; people sharing any
     such key are one person (union-find over keys);
   - events: type + ``dg:date`` + (reconciled) ``dg:place``, plus ``dg:summitOf`` for summits
     and the participants for other events (two bilateral meetings on the sidelines of one
     summit, same day and place, stay two meetings; the ``[/{participants}]`` part of the
     event IRI convention);
   - bilateral relationships: their two reconciled ``dg:party`` states ->
     ``id/relationship/{ISO3}-{ISO3}`` (codes sorted);
   - memberships: reconciled ``org:organization`` + ``org:member`` ->
     ``id/membership/{org}/{ISO3}``.

   States, territories, organisations, relationships and memberships get the IRI computed from
   their key. People, places and events get the smallest IRI of their group that already
   follows the conventions (is under ``id/``), else one minted from the key
   (``id/person/{name-slug}``, ``id/event/{type}/{date}/{place}[/{…}]``), so the seed's IRIs
   never change. Every reference to a rewritten node, in every graph, is rewritten; the report
   lists each rewrite (from, to, key, source graph). No ``owl:sameAs`` is written.
   A node that no key reaches is kept as it is, with a warning naming it. A node typed as two
   incompatible kinds of thing (``id/state/AZE`` typed ``dg:Person`` in one source and
   ``dg:State`` in another) is a *type clash*: reported, left out of reconciliation, kept.
4. **Conflicts** on single-valued facts, after rewriting: two ``dg:date`` for the
   ``dg:RelationsEstablishment`` of one relationship; two ``dg:value`` for one indicator type +
   relationship + period (+ unit, product, direction, person, places); two ``dg:isoAlpha3`` or
   ``dg:wikidata`` on one entity; two values of a functional property (``dg:value``,
   ``dg:modality``, ``dg:membershipStatus``) on one node. Each is reported with every value
   and the graphs that say it; all values are kept, side by side, each in its own graph.
5. **Metadata** goes to the named graph ``graph/meta``: per graph, ``a prov:Entity``,
   ``dg:fileName`` (the file's base name, so output does not depend on where files live),
   ``dg:sha256`` of the file, ``prov:wasDerivedFrom`` the source documents it holds, and
   ``prov:generatedAtTime`` only when the caller passes ``loaded_at``. The wall-clock load time
   is always in the report (:attr:`SourceInfo.loaded_at`), never in the canonical output,
   so the same inputs give byte-identical output.

Canonical output: named graphs sorted by IRI, triples sorted by (subject, predicate, object)
with a fixed term order; N-Quads one sorted line per quad, TriG with the prefixes of
:data:`diplograph.namespaces.PREFIXES`. The result does not depend on the order of the inputs.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID as _DEFAULT_GRAPH
from rdflib.term import Node

from diplograph.errors import (
    DiplographError,
    InputError,
    InputErrors,
    UsageError,
    display_path,
)
from diplograph.files import write_atomically
from diplograph.loading import DATASET_FORMATS, load_dataset_file, load_graph
from diplograph.namespaces import (
    DG,
    FOAF,
    GRAPH,
    ID,
    ORG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    WD,
    XSD,
    shorten,
)
from diplograph.store import DEFAULT_STORE, new_dataset

__all__ = [
    "META_GRAPH",
    "Conflict",
    "MergeConflictError",
    "MergeReport",
    "MergeResult",
    "MergeWarning",
    "Rewrite",
    "SourceInfo",
    "TypeClash",
    "merge_into",
    "merge_sources",
    "remove_sources",
    "skolem_base",
    "to_nquads",
    "to_trig",
    "write_merged",
]

#: The named graph holding the PROV metadata of every merged graph.
META_GRAPH = GRAPH["meta"]

Triple = tuple[Node, Node, Node]


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
        }

    def to_json(self, times: bool = True) -> str:
        return json.dumps(self.as_json(times), indent=2, ensure_ascii=False) + "\n"


# --- internal state ------------------------------------------------------------


@dataclass
class _Input:
    """One named graph read from a file: skolemised, not yet rewritten."""

    name: URIRef
    kind: str
    file: str
    sha256: str
    loaded_at: str
    triples: tuple[Triple, ...]
    nodes: frozenset[Node]
    key_facts: tuple[Triple, ...]  # rdf:type and key-property triples, for reconciliation


@dataclass
class _Rewritten:
    signature: tuple  # the mapping restricted to the graph's nodes
    triples: frozenset[Triple]
    facts: dict  # node -> property -> set(values), for conflict detection


@dataclass
class _State:
    inputs: dict[URIRef, _Input]
    rewritten: dict[URIRef, _Rewritten]
    loaded_at: str | None
    store: str


@dataclass
class MergeResult:
    """A merged ``dataset`` and its ``report``. Serialise with :func:`to_trig` / :func:`to_nquads`."""

    dataset: Dataset
    report: MergeReport
    _state: _State = field(repr=False, compare=False, default=None)

    @property
    def graph_names(self) -> list[URIRef]:
        return sorted(self._state.rewritten) + [META_GRAPH]

    def quads(self) -> list[tuple[Node, Node, Node, URIRef]]:
        """Every quad of the merge (meta graph included), in canonical order."""
        return _sorted_quads(self._state)


# --- public API ----------------------------------------------------------------


def merge_sources(
    paths: Sequence[Path | str],
    reference_graphs: Sequence[Path | str] = (),
    *,
    store: str = DEFAULT_STORE,
    loaded_at: str | None = None,
    strict: bool = False,
) -> MergeResult:
    """Merge the source graph files ``paths`` and the reference graph files ``reference_graphs``.

    ``store`` is the store of the returned dataset (see :mod:`diplograph.store`); ``loaded_at``
    (an ISO 8601 date-time) is written as ``prov:generatedAtTime`` of every graph in
    ``graph/meta`` when given; ``strict`` raises :class:`MergeConflictError` (exit 1) when the
    report holds a conflict or type clash. Unreadable inputs raise
    :class:`~diplograph.errors.InputError` / ``InputErrors`` (exit 2) before anything is merged.
    """
    if not paths and not reference_graphs:
        raise UsageError("nothing to merge: give at least one graph file")
    inputs = _read_all([(p, "source") for p in paths] + [(p, "reference") for p in reference_graphs])
    state = _State(inputs={}, rewritten={}, loaded_at=loaded_at, store=store)
    _add_inputs(state, inputs)
    return _assemble(state, new_dataset(store), strict=strict)


def merge_into(existing: MergeResult, new_paths: Sequence[Path | str], *, strict: bool = False,
               kind: str = "source") -> MergeResult:
    """Add the graph files ``new_paths`` to an existing merge and return the new merge.

    Only the new files are parsed; keys are resolved again over everything, and only graphs
    whose rewrites change (rare: a new source can change which IRI a group gets) are rewritten
    again. ``existing.dataset`` is updated in place and shared with the result: keep using the
    returned value, not ``existing``.
    """
    state = existing._state
    inputs = _read_all([(p, kind) for p in new_paths])
    _add_inputs(state, inputs)
    return _assemble(state, existing.dataset, strict=strict)


def remove_sources(existing: MergeResult, sources: Iterable[URIRef | str | Path]) -> MergeResult:
    """Take graphs out of a merge: by graph IRI, or by file (all graphs read from that file).

    The result equals merging without them (keys are resolved again). ``existing.dataset`` is
    updated in place. A name that is not in the merge is a :class:`~diplograph.errors.UsageError`.
    """
    state = existing._state
    drop: set[URIRef] = set()
    for item in sources:
        if isinstance(item, URIRef):
            matches = {item} & set(state.inputs)
        else:
            matches = {n for n, i in state.inputs.items() if i.file == display_path(item)}
            matches |= {n for n in state.inputs if str(n) == str(item)}
        if not matches:
            raise UsageError(f"{item}: no such graph in the merge")
        drop |= matches
    for name in drop:
        del state.inputs[name]
    return _assemble(state, existing.dataset, strict=False)


def skolem_base(sha256: str, graph: str = "") -> str:
    """The IRI prefix of the skolemised blank nodes of a file: its SHA-256 and its default graph name.

    ``id/.well-known/genid/{first 16 hex of sha256(graph name + file SHA-256)}/``: two files
    never share it, not even two copies of one file under different names.
    """
    digest = hashlib.sha256(f"{graph}\n{sha256}".encode()).hexdigest()
    return str(ID[f".well-known/genid/{digest[:16]}/"])


def to_nquads(result: MergeResult) -> str:
    """The merge as N-Quads, one line per quad, sorted: byte-identical for the same inputs."""
    return "".join(f"{_nt(s)} {_nt(p)} {_nt(o)} {_nt(g)} .\n" for s, p, o, g in _sorted_quads(result._state))


def to_trig(result: MergeResult) -> str:
    """The merge as TriG: fixed prefixes, graphs and triples in canonical order."""
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    current_graph = current_subject = None
    for s, p, o, g in _sorted_quads(result._state):
        if g != current_graph:
            if current_graph is not None:
                lines[-1] += " ."
                lines.append("}")
            lines.append("")
            lines.append(f"{_short(g)} {{")
            current_graph, current_subject = g, None
        if s != current_subject:
            if current_subject is not None:
                lines[-1] += " ."
            lines.append(f"{_short(s)}")
            current_subject = s
        lines.append(f"    {_short(p)} {_short(o)} ;")
    if current_graph is not None:
        lines[-1] += " ."
        lines.append("}")
    # "p o ;" followed by a subject's end: drop the dangling ";" before " .".
    text = "\n".join(lines) + "\n"
    return text.replace(" ; .\n", " .\n")


def write_merged(result: MergeResult, path: Path | str, report_path: Path | str | None = None) -> None:
    """Write the merge to ``path`` (``.trig`` or ``.nq``) and the report as JSON, atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".trig":
        text = to_trig(result)
    elif suffix == ".nq":
        text = to_nquads(result)
    else:
        raise UsageError(f"{display_path(path)}: write the merge to a .trig or .nq file")
    texts = [(path, text)]
    if report_path is not None:
        texts.append((Path(report_path), result.report.to_json()))
    for target, content in texts:
        write_atomically(target, content)


# --- reading -------------------------------------------------------------------


def _read_all(items: list[tuple[Path | str, str]]) -> list[_Input]:
    errors: list[InputError] = []
    inputs: list[_Input] = []
    seen_files: set[Path] = set()
    for raw, kind in items:
        path = Path(raw)
        if path.exists() and path.resolve() in seen_files:
            continue  # the same file twice counts once
        try:
            inputs.extend(_read_file(path, kind))
            seen_files.add(path.resolve())
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    return inputs


def _read_file(path: Path, kind: str) -> list[_Input]:
    sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    loaded_at = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    default_name = _graph_name(kind, path.stem)
    graphs: dict[URIRef, list[Triple]] = {}
    if path.suffix.lower() in DATASET_FORMATS:
        ds = load_dataset_file(path)
        for g in ds.graphs():
            if not len(g):
                continue
            name = default_name if g.identifier == _DEFAULT_GRAPH else URIRef(g.identifier)
            if name == META_GRAPH:
                continue  # the metadata of an earlier merge: made anew
            graphs.setdefault(name, []).extend(g)
    else:
        graphs[default_name] = list(load_graph(path))
    graphs = _skolemise(graphs, skolem_base(sha, str(default_name)))
    file = display_path(path)
    result = []
    for name, triples in graphs.items():
        graph_kind = "reference" if str(name).startswith(str(GRAPH["reference/"])) else kind
        result.append(_make_input(name, graph_kind, file, sha, loaded_at, triples))
    return result


def _graph_name(kind: str, stem: str) -> URIRef:
    if not stem or "/" in stem or any(c.isspace() for c in stem):
        raise UsageError(f"cannot name a graph after the file stem {stem!r}")
    return GRAPH[f"{kind}/{stem}"]


def _make_input(name, kind, file, sha, loaded_at, triples: Iterable[Triple]) -> _Input:
    normalised = tuple({(s, p, _rdflib_form(o)) for s, p, o in triples})
    nodes = frozenset(n for s, _p, o in normalised for n in (s, o) if isinstance(n, URIRef))
    key_facts = tuple(t for t in normalised if t[1] in _KEY_PREDICATES)
    return _Input(name, kind, file, sha, loaded_at, normalised, nodes, key_facts)


def _rdflib_form(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    return term


def _skolemise(graphs: dict[URIRef, list[Triple]], base: str) -> dict[URIRef, list[Triple]]:
    bnode_triples = Graph()
    for triples in graphs.values():
        bnode_triples += (t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode))
    if not len(bnode_triples):
        return graphs
    labels = _bnode_labels(bnode_triples)

    def sk(n: Node) -> Node:
        return URIRef(base + labels[n]) if isinstance(n, BNode) else n

    return {name: [(sk(s), p, sk(o)) for s, p, o in triples] for name, triples in graphs.items()}


def _bnode_labels(graph: Graph) -> dict[Node, str]:
    """Deterministic labels for the blank nodes of ``graph``, from rdflib's canonicaliser."""
    from rdflib.compare import _TripleCanonicalizer

    canon = _TripleCanonicalizer(graph)
    coloring = canon._initial_color()
    coloring = canon._refine(coloring, coloring[:])
    if not canon._discrete(coloring):
        coloring = canon._traces(coloring, stats=None, depth=[0])
    labels = {c.nodes[0]: c.hash_color()[:24] for c in coloring if isinstance(c.nodes[0], BNode)}
    bnodes = {n for t in graph for n in (t[0], t[2]) if isinstance(n, BNode)}
    missing = bnodes - set(labels)
    if missing:  # never seen; keep a deterministic fallback rather than fail
        for i, n in enumerate(sorted(missing, key=lambda b: sorted(map(str, graph.predicate_objects(b))))):
            labels[n] = f"x{i}"
    return labels


def _add_inputs(state: _State, inputs: list[_Input]) -> None:
    for inp in inputs:
        old = state.inputs.get(inp.name)
        if old is not None:
            if set(old.triples) == set(inp.triples):
                continue  # the same graph again: merge(A, A) = merge(A)
            raise UsageError(
                f"{inp.file}: would share the named graph <{inp.name}> with {old.file}; "
                "graph names come from file stems, rename one"
            )
        state.inputs[inp.name] = inp


# --- reconciliation --------------------------------------------------------------

# Kinds of thing that cannot be the same node: a node typed as two of these is a type clash.
_KIND_OF: dict[URIRef, str] = {
    DG.State: "dg:State", DG.Territory: "dg:Territory",
    DG.InternationalOrganisation: "organisation", DG.PoliticalParty: "organisation",
    DG.GoverningBody: "organisation", DG.Institution: "dg:Institution",
    DG.Person: "dg:Person", DG.UnnamedAuthor: "dg:UnnamedAuthor", DG.Place: "dg:Place", DG.Post: "dg:Post",
    DG.SourceDocument: "dg:SourceDocument", DG.Sentence: "dg:Sentence", DG.ReferenceSource: "dg:ReferenceSource",
    DG.BilateralRelationship: "dg:BilateralRelationship",
    DG.DiplomaticEvent: "event", DG.Meeting: "event", DG.Summit: "event", DG.Visit: "event",
    DG.PressConference: "event",
    **{DG[c]: "statement" for c in ("PostHolding", "Membership", "RelationsEstablishment",
                                    "RelationshipLevelStatus", "Stance", "Commitment", "Policy", "Plan",
                                    "Projection", "CooperationArea", "Indicator", "Quote", "Assessment")},
}
_EVENT_CLASSES = {DG.Meeting: "meeting", DG.Summit: "summit", DG.Visit: "visit",
                  DG.PressConference: "press-conference", DG.DiplomaticEvent: "event"}
_EVENT_PEOPLE = (DG.participant, DG.speaker, DG.visitor, DG.visitingState, DG.hostState)
_KEY_PREDICATES = frozenset({
    RDF.type, DG.isoAlpha3, DG.wikidata, SKOS.exactMatch, DG.acronym, FOAF.name, RDFS.label,
    DG.affiliatedState, DG.date, DG.place, DG.summitOf, DG.party, ORG.member, ORG.organization, *_EVENT_PEOPLE,
})
_SOURCE_DOC = DG.SourceDocument


class _Index:
    """What every graph says about the key properties of every node: node -> prop -> value -> graphs."""

    def __init__(self, inputs: Iterable[_Input]) -> None:
        self.facts: dict[Node, dict[Node, dict[Node, set[URIRef]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(set)))
        for inp in inputs:
            for s, p, o in inp.key_facts:
                self.facts[s][p][o].add(inp.name)

    def values(self, node: Node, prop: Node) -> list[Node]:
        d = self.facts.get(node)
        if not d or prop not in d:
            return []
        return sorted(d[prop], key=_term_key)

    def graphs_typing(self, node: Node) -> list[str]:
        d = self.facts.get(node, {}).get(RDF.type, {})
        return sorted({str(g) for gs in d.values() for g in gs})

    def qids(self, node: Node) -> list[str]:
        found = {str(v) for v in self.values(node, DG.wikidata)}
        found |= {str(v)[len(str(WD)):] for v in self.values(node, SKOS.exactMatch) if str(v).startswith(str(WD))}
        return sorted(q for q in found if re.fullmatch(r"Q[1-9][0-9]*", q))


def _resolve(inputs: Mapping[URIRef, _Input]):
    """Compute the canonical IRI of every reconcilable node: (mapping, keys, warnings, clashes)."""
    idx = _Index(inputs.values())
    files = {name: inp.file for name, inp in inputs.items()}
    mapping: dict[Node, URIRef] = {}
    keys: dict[Node, str] = {}
    warnings: list[MergeWarning] = []

    def where(node: Node) -> str:
        gs = idx.graphs_typing(node)
        return ", ".join(f"{shorten(URIRef(g))} ({files.get(URIRef(g), '')})" for g in gs) or "?"

    def warn(node: Node, message: str) -> None:
        warnings.append(MergeWarning(where(node), shorten(node), message))

    # kinds and clashes
    by_kind: dict[str, list[Node]] = defaultdict(list)
    clashes: list[TypeClash] = []
    clashed: set[Node] = set()
    for node, props in idx.facts.items():
        kinds: dict[str, set[str]] = defaultdict(set)
        for cls, graphs in props.get(RDF.type, {}).items():
            if cls in _KIND_OF:
                kinds[_KIND_OF[cls]] |= {str(g) for g in graphs}
        if not isinstance(node, URIRef):
            continue
        if len(kinds) > 1:
            clashed.add(node)
            clashes.append(TypeClash(node, tuple(sorted((k, tuple(sorted(
                f"{shorten(URIRef(g))} ({files.get(URIRef(g), '')})" for g in gs))) for k, gs in kinds.items()))))
        for k in kinds:  # a clashing node still lends its keys (the real state AZE), but is never rewritten
            by_kind[k].append(node)
    for k in by_kind:
        by_kind[k].sort(key=str)

    def m(node: Node) -> Node:
        return mapping.get(node, node)

    def set_target(node: Node, target: URIRef, key: str) -> None:
        if node in clashed:
            return
        keys[node] = key
        if target != node:
            mapping[node] = target

    # states and territories: key ISO 3166-1 alpha-3, else QID
    for kind, base in (("dg:State", "state/"), ("dg:Territory", "territory/")):
        qid_iso: dict[str, set[str]] = defaultdict(set)
        for node in by_kind[kind]:
            isos = [str(v) for v in idx.values(node, DG.isoAlpha3)]
            if len(isos) == 1:
                for q in idx.qids(node):
                    qid_iso[q].add(isos[0])
        for node in by_kind[kind]:
            if str(node).startswith(str(ID[base])):
                continue  # already a canonical IRI: its IRI is its key
            isos = sorted({str(v) for v in idx.values(node, DG.isoAlpha3)})
            qids = idx.qids(node)
            if len(isos) == 1 and re.fullmatch(r"[A-Z]{3}", isos[0]):
                set_target(node, ID[base + isos[0]], f'dg:isoAlpha3 "{isos[0]}"')
            elif len(isos) > 1:
                warn(node, f"has {len(isos)} ISO codes ({', '.join(isos)}): cannot reconcile, kept as is")
            elif isos:
                warn(node, f'has the malformed ISO code "{isos[0]}": cannot reconcile, kept as is')
            elif qids:
                found = sorted({iso for q in qids for iso in qid_iso.get(q, ())})
                if len(found) == 1:
                    q = next(q for q in qids if found[0] in qid_iso.get(q, ()))
                    set_target(node, ID[base + found[0]], f'dg:wikidata "{q}"')
                else:
                    warn(node, f"has no dg:isoAlpha3 and its QID {', '.join(qids)} matches "
                               f"{'no' if not found else 'more than one'} {kind} with an ISO code: cannot reconcile, kept as is")
            else:
                warn(node, f"is a {kind} with no dg:isoAlpha3 and no dg:wikidata QID: cannot reconcile, kept as is")

    # international organisations: acronym, else QID
    orgs = [n for n in by_kind["organisation"] if DG.InternationalOrganisation in idx.facts[n].get(RDF.type, {})]
    qid_acr: dict[str, set[str]] = defaultdict(set)
    for node in orgs:
        acrs = [str(v) for v in idx.values(node, DG.acronym)]
        if len(acrs) == 1:
            for q in idx.qids(node):
                qid_acr[q].add(acrs[0])
    for node in orgs:
        if str(node).startswith(str(ID["org/"])):
            continue
        acrs = sorted({str(v) for v in idx.values(node, DG.acronym)})
        qids = idx.qids(node)
        if len(acrs) == 1:
            set_target(node, ID["org/" + _slug(acrs[0])], f'dg:acronym "{acrs[0]}"')
        elif len(acrs) > 1:
            warn(node, f"has {len(acrs)} acronyms ({', '.join(acrs)}): cannot reconcile, kept as is")
        else:
            found = sorted({a for q in qids for a in qid_acr.get(q, ())})
            if len(found) == 1:
                q = next(q for q in qids if found[0] in qid_acr.get(q, ()))
                set_target(node, ID["org/" + _slug(found[0])], f'dg:wikidata "{q}"')
            else:
                warn(node, "is an international organisation with no dg:acronym and no known QID: "
                           "cannot reconcile, kept as is")

    # places: QID groups
    _group(by_kind["dg:Place"], lambda n: [("qid", q) for q in idx.qids(n)], "place/",
           lambda n: _slug(_label(idx, n)) if _label(idx, n) else None, set_target,
           lambda n, k: f'dg:wikidata "{k[1]}"', used=set())

    # people: QID or name + affiliated state
    def person_keys(n: Node) -> list[tuple]:
        ks = [("qid", q) for q in idx.qids(n)]
        for name in idx.values(n, FOAF.name):
            for st in idx.values(n, DG.affiliatedState):
                ks.append(("name", str(name), m(st)))
        return ks

    def person_key_text(n: Node, k: tuple) -> str:
        return f'dg:wikidata "{k[1]}"' if k[0] == "qid" else f'foaf:name "{k[1]}" + dg:affiliatedState {shorten(k[2])}'

    unkeyed = _group(by_kind["dg:Person"], person_keys, "person/",
                     lambda n: _slug(str(idx.values(n, FOAF.name)[0])) if idx.values(n, FOAF.name) else None,
                     set_target, person_key_text, used=set())
    for node in unkeyed:
        if not str(node).startswith(str(ID)):
            warn(node, "is a dg:Person with no dg:wikidata and no foaf:name + dg:affiliatedState: "
                       "cannot reconcile, kept as is")

    # events: type + date + place (+ summitOf for summits, + participants for the others)
    def event_keys(n: Node) -> list[tuple]:
        classes = tuple(sorted(str(c) for c in idx.facts[n].get(RDF.type, {}) if c in _EVENT_CLASSES))
        if len(classes) > 1:
            classes = tuple(c for c in classes if c != str(DG.DiplomaticEvent))
        dates = idx.values(n, DG.date)
        places = sorted({m(p) for p in idx.values(n, DG.place)}, key=str)
        if len(dates) != 1 or len(places) > 1:
            return []
        place = places[0] if places else None
        if DG.Summit in idx.facts[n].get(RDF.type, {}):
            orgs_ = sorted({m(o) for o in idx.values(n, DG.summitOf)}, key=str)
            if len(orgs_) > 1 or (place is None and not orgs_):
                return []
            return [("event", classes, dates[0], place, orgs_[0] if orgs_ else None, frozenset())]
        if place is None:
            return []
        people = frozenset(m(v) for p in _EVENT_PEOPLE for v in idx.values(n, p))
        return [("event", classes, dates[0], place, None, people)]

    def event_mint(n: Node) -> str | None:
        ks = event_keys(n)
        if not ks:
            return None
        _e, classes, date, place, org, people = ks[0]
        kind = _EVENT_CLASSES.get(URIRef(classes[0]), "event") if classes else "event"
        parts = [kind, _slug(str(date)), _last(place) if place is not None else "unknown-place"]
        if org is not None:
            parts.append(_last(org))
        elif people:
            parts.append("-".join(sorted(_last(p) for p in people)))
        return "/".join(parts)

    def event_key_text(n: Node, k: tuple) -> str:
        _e, classes, date, place, org, people = k
        text = f"type+date+place ({', '.join(shorten(URIRef(c)) for c in classes)}, {_lit(date)}, {shorten(place)}"
        if org is not None:
            text += f", summitOf {shorten(org)}"
        if people:
            text += ", participants " + " ".join(sorted(shorten(p) for p in people))
        return text + ")"

    _group(by_kind["event"], event_keys, "event/", event_mint, set_target, event_key_text, used=set())

    # bilateral relationships: the two parties
    for node in by_kind["dg:BilateralRelationship"]:
        parties = sorted({m(p) for p in idx.values(node, DG.party)}, key=str)
        codes = [str(p)[len(str(ID["state/"])):] for p in parties if str(p).startswith(str(ID["state/"]))]
        if len(parties) == 2 and len(codes) == 2:
            target = ID["relationship/" + "-".join(sorted(codes))]
            set_target(node, target, f"dg:party {shorten(parties[0])} + {shorten(parties[1])}")
        elif not str(node).startswith(str(ID)):
            warn(node, "is a dg:BilateralRelationship whose two dg:party states cannot be reconciled: kept as is")

    # memberships: organisation + member
    for node in by_kind["statement"]:
        if DG.Membership not in idx.facts[node].get(RDF.type, {}):
            continue
        members = {m(v) for v in idx.values(node, ORG.member)}
        orgs_ = {m(v) for v in idx.values(node, ORG.organization)}
        if len(members) == 1 and len(orgs_) == 1:
            member, org = next(iter(members)), next(iter(orgs_))
            if str(member).startswith(str(ID["state/"])) and str(org).startswith(str(ID["org/"])):
                target = ID[f"membership/{_last(org)}/{_last(member)}"]
                set_target(node, target, f"org:organization {shorten(org)} + org:member {shorten(member)}")

    return mapping, keys, sorted(set(warnings)), sorted(clashes)


def _group(nodes, keys_of, base: str, mint, set_target, key_text, used: set) -> list[Node]:
    """Union-find ``nodes`` that share a key; give each group one canonical IRI. Returns unkeyed nodes."""
    parent: dict[Node, Node] = {}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[tuple, Node] = {}
    node_keys: dict[Node, list[tuple]] = {}
    unkeyed = []
    for n in nodes:
        parent[n] = n
        ks = keys_of(n)
        node_keys[n] = ks
        if not ks:
            unkeyed.append(n)
        for k in ks:
            if k in owner:
                a, b = find(owner[k]), find(n)
                if a != b:
                    parent[max(a, b, key=str)] = min(a, b, key=str)
            else:
                owner[k] = n
    groups: dict[Node, list[Node]] = defaultdict(list)
    for n in nodes:
        if node_keys[n]:
            groups[find(n)].append(n)
    prefix = str(ID[base])
    # groups with an IRI that follows the conventions first, so minted IRIs never take theirs
    ordered = sorted(groups.values(), key=lambda g: (not any(str(x).startswith(prefix) for x in g), min(map(str, g))))
    for members in ordered:
        members.sort(key=str)
        conventional = [x for x in members if str(x).startswith(prefix)]
        if conventional:
            canonical = conventional[0]
        else:
            minted = None
            for candidate in sorted({mint(x) for x in members} - {None}):
                minted = candidate
                break
            if minted is None:
                continue
            canonical = ID[base + minted]
            n = 2
            while canonical in used:
                canonical = ID[f"{base}{minted}-{n}"]
                n += 1
        used.add(canonical)
        group_keys = defaultdict(int)
        for x in members:
            for k in node_keys[x]:
                group_keys[k] += 1
        for x in members:
            shared = [k for k in node_keys[x] if group_keys[k] > 1] or node_keys[x]
            set_target(x, canonical, key_text(x, sorted(shared, key=repr)[0]))
    return unkeyed


# --- rewriting, conflicts, assembling --------------------------------------------

_CONFLICT_PREDICATES = frozenset({
    RDF.type, DG.relationship, DG.date, DG.value, DG.indicatorType, DG.periodStart, DG.periodEnd, DG.asOf,
    DG.unit, DG.product, DG.fromState, DG.toState, DG.aboutPerson, DG.connects, DG.isoAlpha3, DG.wikidata,
    DG.modality, DG.membershipStatus,
})
_FUNCTIONAL = (DG.value, DG.modality, DG.membershipStatus)
_IDENTIFIERS = (DG.isoAlpha3, DG.wikidata)
_INDICATOR_QUALIFIERS = (DG.unit, DG.product, DG.fromState, DG.toState, DG.aboutPerson, DG.connects)


def _rewrite(inp: _Input, mapping: Mapping[Node, URIRef]) -> _Rewritten:
    signature = tuple(sorted(((n, mapping[n]) for n in inp.nodes if n in mapping), key=lambda x: str(x[0])))
    if not signature:
        triples = frozenset(inp.triples)
    else:
        get = mapping.get
        triples = frozenset((get(s, s), p, get(o, o)) for s, p, o in inp.triples)
    facts: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        if p in _CONFLICT_PREDICATES:
            facts[s][p].add(o)
    return _Rewritten(signature, triples, {k: dict(v) for k, v in facts.items()})


def _assemble(state: _State, dataset: Dataset, strict: bool) -> MergeResult:
    mapping, keys, warnings, clashes = _resolve(state.inputs)
    # rewrite the graphs whose applicable mapping changed (all of them the first time)
    for name in list(state.rewritten):
        if name not in state.inputs:
            del state.rewritten[name]
            dataset.remove_graph(dataset.graph(name))
    for name, inp in state.inputs.items():
        old = state.rewritten.get(name)
        if old is not None:
            sig = tuple(sorted(((n, mapping[n]) for n in inp.nodes if n in mapping), key=lambda x: str(x[0])))
            if sig == old.signature:
                continue
            dataset.remove_graph(dataset.graph(name))
        new = _rewrite(inp, mapping)
        state.rewritten[name] = new
        target = dataset.graph(name)
        target.addN((s, p, o, target) for s, p, o in new.triples)
    meta = dataset.graph(META_GRAPH)
    meta.remove((None, None, None))
    meta.addN((s, p, o, meta) for s, p, o in _meta_triples(state))

    rewrites = []
    for name, inp in state.inputs.items():
        for n, target in state.rewritten[name].signature:
            rewrites.append(Rewrite(name, n, target, keys.get(n, ""), inp.file))
    sources = tuple(sorted(
        (SourceInfo(n, i.file, i.sha256, len(state.rewritten[n].triples), i.kind, i.loaded_at)
         for n, i in state.inputs.items()), key=lambda s: str(s.graph)))
    report = MergeReport(
        sources=sources,
        rewrites=tuple(sorted(rewrites)),
        conflicts=tuple(_conflicts(state)),
        type_clashes=tuple(clashes),
        warnings=tuple(warnings),
        triples=sum(len(r.triples) for r in state.rewritten.values()),
    )
    result = MergeResult(dataset=dataset, report=report, _state=state)
    if strict and not report.ok:
        raise MergeConflictError(report)
    return result


def _meta_triples(state: _State) -> list[Triple]:
    triples = []
    for name, inp in state.inputs.items():
        triples += [(name, RDF.type, PROV.Entity), (name, DG.fileName, Literal(Path(inp.file).name)),
                    (name, DG.sha256, Literal(inp.sha256))]
        facts = state.rewritten[name].facts
        for node, props in facts.items():
            if _SOURCE_DOC in props.get(RDF.type, ()):
                triples.append((name, PROV.wasDerivedFrom, node))
        if state.loaded_at:
            triples.append((name, PROV.generatedAtTime, Literal(state.loaded_at, datatype=XSD.dateTime)))
    return triples


def _conflicts(state: _State) -> list[Conflict]:
    files = {n: i.file for n, i in state.inputs.items()}

    def src(g: URIRef) -> str:
        return f"{shorten(g)} ({files[g]})"

    # node -> prop -> value -> graphs, over every graph
    merged: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for name, rw in state.rewritten.items():
        for node, props in rw.facts.items():
            for p, values in props.items():
                for v in values:
                    merged[node][p][v].add(name)
    conflicts: list[Conflict] = []

    def add(kind: str, subject: str, prop: URIRef, by_value: dict, nodes: Iterable[Node] = ()) -> None:
        conflicts.append(Conflict(kind, subject, prop, tuple(sorted(
            (_lit(v), tuple(sorted(src(g) for g in gs))) for v, gs in by_value.items())),
            tuple(sorted({shorten(n) for n in nodes}))))

    establishments: dict = defaultdict(lambda: defaultdict(set))
    est_nodes: dict = defaultdict(set)
    indicators: dict = defaultdict(lambda: defaultdict(set))
    ind_nodes: dict = defaultdict(set)
    for node, props in merged.items():
        types = props.get(RDF.type, {})
        for prop in _IDENTIFIERS:
            if len(props.get(prop, ())) > 1:
                add("identifier", shorten(node), prop, props[prop], [node])
        for prop in _FUNCTIONAL:
            values = _distinct_values(props.get(prop, {}))
            if len(values) > 1:
                add("functional-property", shorten(node), prop, values, [node])
        if DG.RelationsEstablishment in types:
            for rel in props.get(DG.relationship, {}):
                for d, gs in props.get(DG.date, {}).items():
                    establishments[rel][d] |= gs
                est_nodes[rel].add(node)
        if DG.Indicator in types and len(props.get(DG.value, ())) >= 1:
            period = tuple(frozenset(props.get(p, ())) for p in (DG.periodStart, DG.periodEnd, DG.asOf))
            if not any(period):
                continue
            for rel in props.get(DG.relationship, {}):
                for itype in props.get(DG.indicatorType, {}):
                    key = (rel, itype, period, tuple(frozenset(props.get(q, ())) for q in _INDICATOR_QUALIFIERS))
                    for v, gs in props[DG.value].items():
                        indicators[key][v] |= gs
                    ind_nodes[key].add(node)
    for rel, by_date in establishments.items():
        if len(by_date) > 1:
            add("establishment-date", f"establishment of {shorten(rel)}", DG.date, by_date, est_nodes[rel])
    for key, by_value in indicators.items():
        values = _distinct_values(by_value)
        if len(values) > 1:
            rel, itype, period, _q = key
            when = " ".join(_lit(v) for part in period for v in sorted(part, key=str))
            add("indicator-value", f"{shorten(itype)} of {shorten(rel)} for {when}", DG.value, values, ind_nodes[key])
    return sorted(set(conflicts))


def _distinct_values(by_value: Mapping[Node, set]) -> dict:
    """Group values equal as numbers (3100000000 and 3.1E9 are one value)."""
    out: dict = {}
    seen: dict = {}
    for v in sorted(by_value, key=_term_key):
        py = v.toPython() if isinstance(v, Literal) else v
        k = py if isinstance(py, (int, float)) and not isinstance(py, bool) else v
        if k in seen:
            out[seen[k]] |= set(by_value[v])
        else:
            seen[k] = v
            out[v] = set(by_value[v])
    return out


# --- canonical order and serialisation -----------------------------------------------


def _sorted_quads(state: _State) -> list[tuple[Node, Node, Node, URIRef]]:
    quads = []
    for name in sorted(state.rewritten, key=str):
        quads.extend((s, p, o, name) for s, p, o in sorted(state.rewritten[name].triples, key=_triple_key))
    quads.extend((s, p, o, META_GRAPH) for s, p, o in sorted(set(_meta_triples(state)), key=_triple_key))
    return quads


def _term_key(t: Node) -> tuple:
    if isinstance(t, Literal):
        return (2, str(t), str(t.datatype or ""), t.language or "")
    if isinstance(t, BNode):
        return (1, str(t), "", "")
    return (0, str(t), "", "")


def _triple_key(t: Triple) -> tuple:
    return (_term_key(t[0]), _term_key(t[1]), _term_key(t[2]))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _nt(t: Node) -> str:
    if isinstance(t, Literal):
        if t.language:
            return f"{_quote(str(t))}@{t.language}"
        if t.datatype:
            return f"{_quote(str(t))}^^<{t.datatype}>"
        return _quote(str(t))
    if isinstance(t, BNode):
        return f"_:{t}"
    return f"<{t}>"


_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_-]*)$")
_PREFIX_BY_LENGTH = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda x: -len(x[1]))


def _short(t: Node) -> str:
    if isinstance(t, Literal):
        if t.language:
            return f"{_quote(str(t))}@{t.language}"
        if t.datatype:
            return f"{_quote(str(t))}^^{_short(t.datatype)}"
        return _quote(str(t))
    if isinstance(t, URIRef):
        text = str(t)
        if t == RDF.type:
            return "a"
        for prefix, ns in _PREFIX_BY_LENGTH:
            if text.startswith(ns) and _LOCAL.match(text[len(ns):]):
                return f"{prefix}:{text[len(ns):]}"
    return _nt(t)


def _lit(v: Node) -> str:
    if isinstance(v, Literal):
        return _short(v)
    return shorten(v)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def _last(node: Node) -> str:
    return re.split(r"[/#]", str(node).rstrip("/#"))[-1]


def _label(idx: _Index, node: Node) -> str | None:
    labels = idx.values(node, RDFS.label)
    english = [str(v) for v in labels if isinstance(v, Literal) and v.language in (None, "en")]
    return english[0] if english else None


