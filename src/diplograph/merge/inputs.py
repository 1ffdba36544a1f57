"""Reading the graphs to merge: one :class:`GraphInput` per named graph, blank nodes skolemised.

A triple file becomes the named graph ``graph/source/{stem}`` (reference files:
``graph/reference/{stem}``); a TriG / N-Quads file keeps its own named graphs (its default graph
becomes ``graph/source/{stem}``; a ``graph/meta`` graph in it is dropped, the merge makes it
anew). Every file is read before anything is raised, so every broken file is reported at once.

Blank nodes are skolemised per file, deterministically: each becomes
``id/.well-known/genid/{h}/{label}`` (:func:`diplograph.iris.skolem_base`), ``label`` being the
canonical hash rdflib's canonicaliser gives it in the file's blank-node triples. Two files never
share a skolem IRI, and parsing the same file twice gives the same IRIs.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from diplograph.merge.blank_nodes import blank_node_labels
from diplograph.errors import GraphNameClashError, InputError, InputErrors, UsageError, display_path
from diplograph.iris import META_GRAPH, skolem_base
from diplograph.loading import DATASET_FORMATS, load_dataset_file, load_graph
from diplograph.namespaces import GRAPH
from diplograph.terms import plain

__all__ = ["GraphInput", "Triple", "file_facts", "file_sha256", "graph_kind", "graph_name", "rdflib_graphs", "read_at", "read_inputs"]

Triple = tuple[Node, Node, Node]


@dataclass
class GraphInput:
    """One named graph read from a file: skolemised, literals normalised, not yet rewritten.

    ``key_facts`` are its triples whose predicate is one of ``key_predicates`` (rdf:type and the
    properties keys are made of), which is all reconciliation reads.
    """

    name: URIRef
    kind: str
    file: str
    sha256: str
    loaded_at: str
    triples: tuple[Triple, ...]
    nodes: frozenset[Node]
    key_facts: tuple[Triple, ...]


def read_inputs(items: list[tuple[Path | str, str]], key_predicates: frozenset[URIRef]) -> list[GraphInput]:
    """Read each ``(path, kind)`` (kind ``"source"`` or ``"reference"``); the same file twice counts once.

    Raises the :mod:`diplograph.errors` input errors of :mod:`diplograph.loading`, all of them together.
    """
    errors: list[InputError] = []
    inputs: list[GraphInput] = []
    seen_files: set[Path] = set()
    for raw, kind in items:
        path = Path(raw)
        if path.exists() and path.resolve() in seen_files:
            continue
        try:
            inputs.extend(_read_file(path, kind, key_predicates))
            seen_files.add(path.resolve())
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    return inputs


def check_new_input(existing: dict[URIRef, GraphInput], new: GraphInput) -> bool:
    """True to add ``new``; False when the same graph is already there (merge(A, A) = merge(A)).

    Raises :class:`~diplograph.errors.GraphNameClashError` when another file gave a graph of
    that name with other triples.
    """
    old = existing.get(new.name)
    if old is None:
        return True
    if set(old.triples) == set(new.triples):
        return False
    raise GraphNameClashError(Path(new.file), new.name, Path(old.file))


def rdflib_graphs(path: Path, default_name: URIRef) -> dict[URIRef, list[Triple]]:
    """The named graphs of one file as rdflib reads it (the default graph named ``default_name``, a
    ``graph/meta`` graph left out); raises the typed errors of :mod:`diplograph.loading`."""
    graphs: dict[URIRef, list[Triple]] = {}
    if path.suffix.lower() in DATASET_FORMATS:
        for g in load_dataset_file(path).graphs():
            if not len(g):
                continue
            name = default_name if g.identifier == DATASET_DEFAULT_GRAPH_ID else URIRef(g.identifier)
            if name == META_GRAPH:
                continue
            graphs.setdefault(name, []).extend(g)
    else:
        graphs[default_name] = list(load_graph(path))
    return graphs


def file_facts(path: Path, kind: str) -> tuple[str, str, URIRef]:
    """(SHA-256 of the file, when it was read, its default graph name)."""
    loaded_at, name = read_at(path, kind)
    return file_sha256(path), loaded_at, name


def read_at(path: Path, kind: str) -> tuple[str, URIRef]:
    """(when the file is read: now, its default graph name): :func:`file_facts` but the checksum."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(), graph_name(kind, path.stem)


def file_sha256(path: Path) -> str:
    """The file's SHA-256 ("" for what is not a file), read a few megabytes at a time: hashlib lets
    go of Python's lock on each, so it can run beside the parse."""
    if not path.is_file():
        return ""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def graph_kind(name: URIRef, kind: str) -> str:
    """``"reference"`` for a graph under graph/reference/ (even in a source file), else ``kind``."""
    return "reference" if str(name).startswith(str(GRAPH["reference/"])) else kind


def _read_file(path: Path, kind: str, key_predicates: frozenset[URIRef]) -> list[GraphInput]:
    sha, loaded_at, default_name = file_facts(path, kind)
    graphs = _skolemise(rdflib_graphs(path, default_name), skolem_base(sha, str(default_name)))
    file = display_path(path)
    result = []
    for name, triples in graphs.items():
        result.append(_make_input(name, graph_kind(name, kind), file, sha, loaded_at, triples, key_predicates))
    return result


def graph_name(kind: str, stem: str) -> URIRef:
    """``graph/{kind}/{stem}``, the graph a file's default graph becomes."""
    if not stem or "/" in stem or any(c.isspace() for c in stem):
        raise UsageError(f"cannot name a graph after the file stem {stem!r}")
    return GRAPH[f"{kind}/{stem}"]


def _make_input(name, kind, file, sha, loaded_at, triples: Iterable[Triple], key_predicates) -> GraphInput:
    normalised = tuple({(s, p, plain(o)) for s, p, o in triples})
    nodes = frozenset(n for s, _p, o in normalised for n in (s, o) if isinstance(n, URIRef))
    key_facts = tuple(t for t in normalised if t[1] in key_predicates)
    return GraphInput(name, kind, file, sha, loaded_at, normalised, nodes, key_facts)


def _skolemise(graphs: dict[URIRef, list[Triple]], base: str) -> dict[URIRef, list[Triple]]:
    bnode_triples = Graph()
    for triples in graphs.values():
        bnode_triples += (t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode))
    if not len(bnode_triples):
        return graphs
    labels = blank_node_labels(bnode_triples)

    def sk(n: Node) -> Node:
        return URIRef(base + labels[n]) if isinstance(n, BNode) else n

    return {name: [(sk(s), p, sk(o)) for s, p, o in triples] for name, triples in graphs.items()}
