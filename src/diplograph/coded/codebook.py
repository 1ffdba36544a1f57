"""The CAMEO codebook and the CAMEO-to-PLOVER crosswalk, and the reference graph built from them.

Both tables are vendored unchanged in ``vendor/reference`` (``cameo-codes.csv`` from
andybega/icews, ``cameo-to-plover.txt`` from openeventdata/PLOVER; provenance in its README).
:func:`read_codebook` reads them into :class:`Code` records the importers look codes up in;
:func:`build_event_codes_graph` turns them into SKOS concept schemes (``id/cameo`` and
``id/plover/{event,mode,context}``) for ``graphs/reference/event-codes.ttl``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from diplograph import iris
from diplograph.errors import InputError

__all__ = [
    "CAMEO_CODES",
    "CAMEO_TO_PLOVER",
    "Code",
    "CodebookError",
    "build_event_codes_graph",
    "quad_class",
    "read_codebook",
]

CAMEO_CODES = "cameo-codes.csv"
CAMEO_TO_PLOVER = "cameo-to-plover.txt"


class CodebookError(InputError):
    """A codebook table that cannot be read: ``file:line: problem``."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = Path(path), line, problem
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class Code:
    """One CAMEO event code with what the codebook and the crosswalk say about it."""

    code: str
    name: str
    goldstein: Decimal
    description: str
    root: str
    quad_class: int
    plover_event: str | None = None
    plover_mode: str | None = None
    plover_contexts: tuple[str, ...] = ()


def quad_class(root_code: str) -> int:
    """The CAMEO quad class of a root code (01-05 verbal cooperation … 14-20 material conflict).

    The grouping GDELT documents for its QuadClass field; ICEWS records give none, so it is read
    from the code.

    >>> [quad_class(r) for r in ("01", "05", "06", "08", "09", "13", "14", "20")]
    [1, 1, 2, 2, 3, 3, 4, 4]
    """
    n = int(root_code)
    if not 1 <= n <= 20:
        raise ValueError(f"not a CAMEO root code (01-20): {root_code!r}")
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


_CROSSWALK_LINE = re.compile(r"(?P<code>[0-9]{2,4})\s*:\s*(?P<rest>.*)")
_PLOVER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _crosswalk(path: Path) -> dict[str, tuple[str, str | None, tuple[str, ...]]]:
    """CAMEO code -> (PLOVER event, mode or None, contexts), from lines ``CODE: EVENT, mode, context # note``.

    A two-digit line that only names an event type (``04: CONSULT``) is a section heading; it maps
    its root code when the heading is not ambiguous (``08`` heads both CONCEDE and RETREAT).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CodebookError(path, None, f"cannot read ({exc.strerror})") from None
    table: dict[str, tuple[str, str | None, tuple[str, ...]]] = {}
    headings: dict[str, set[str]] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.split("#", 1)[0].strip()
        if not text or set(text) == {"~"}:  # the file ends with a "~~~~~" rule
            continue
        match = _CROSSWALK_LINE.fullmatch(text)
        if match is None:
            raise CodebookError(path, number, f"expected 'CODE: EVENT, mode, context', found {text!r}")
        fields = [f.strip() for f in match["rest"].split(",")]
        event = fields[0]
        if not _PLOVER_NAME.fullmatch(event):
            raise CodebookError(path, number, f"not a PLOVER event type: {event!r}")
        code = match["code"]
        if len(fields) == 1:
            headings.setdefault(code, set()).add(event)
            continue
        mode = fields[1] or None
        contexts = tuple(c.strip() for c in ",".join(fields[2:]).split(";") if c.strip())
        for name in (mode, *contexts):
            if name is not None and not _PLOVER_NAME.fullmatch(name):
                raise CodebookError(path, number, f"not a PLOVER mode or context: {name!r}")
        table.setdefault(code, (event, mode, contexts))
    for code, events in headings.items():
        if len(events) == 1 and code not in table:
            table[code] = (next(iter(events)), None, ())
    return table


def read_codebook(upstream_dir: Path) -> dict[str, Code]:
    """Every CAMEO code of ``{upstream_dir}/cameo-codes.csv``, with its PLOVER categories.

    A code the crosswalk does not list takes the categories of its nearest listed parent
    (``0874`` those of ``087``): the crosswalk lists only codes whose mapping differs.
    """
    upstream_dir = Path(upstream_dir)
    path = upstream_dir / CAMEO_CODES
    crosswalk = _crosswalk(upstream_dir / CAMEO_TO_PLOVER)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise CodebookError(path, None, f"cannot read ({exc.strerror})") from None
    codes: dict[str, Code] = {}
    for line, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if not re.fullmatch(r"[0-9]{2,4}", code):
            raise CodebookError(path, line, f"code: not 2 to 4 digits: {code!r}")
        try:
            goldstein = Decimal(row["goldstein"])
        except (InvalidOperation, KeyError, TypeError):
            raise CodebookError(path, line, f"goldstein: not a number: {row.get('goldstein')!r}") from None
        root = (row.get("root_code") or "").strip()
        try:
            quad = quad_class(root)
        except ValueError as exc:
            raise CodebookError(path, line, f"root_code: {exc}") from None
        description = (row.get("description") or "").strip()
        mapping = next((crosswalk[code[:n]] for n in range(len(code), 1, -1) if code[:n] in crosswalk), None)
        event, mode, contexts = mapping or (None, None, ())
        codes[code] = Code(
            code, row["name"].strip(), goldstein, "" if description == "NA" else description, root, quad,
            event, mode, contexts,
        )
    if not codes:
        raise CodebookError(path, None, "no codes")
    return codes


def _scheme(g: Graph, node: URIRef, label: str, definition: str, source: URIRef) -> None:
    g.add((node, RDF.type, SKOS.ConceptScheme))
    g.add((node, RDFS.label, Literal(label, lang="en")))
    g.add((node, SKOS.definition, Literal(definition, lang="en")))
    g.add((node, PROV.wasDerivedFrom, source))


def build_event_codes_graph(g: Graph, codes: dict[str, Code], cameo_source: URIRef, plover_source: URIRef) -> Graph:
    """Add the CAMEO and PLOVER concept schemes to ``g`` (which holds the two reference sources)."""
    from diplograph.namespaces import DG

    cameo = iris.cameo_scheme()
    _scheme(g, cameo, "CAMEO event codes",
            "The Conflict and Mediation Event Observations codebook: what one actor does to another, "
            "in 20 root codes and their refinements, each with a Goldstein score.", cameo_source)
    kinds = {
        "event": ("PLOVER event types", "The event types of the PLOVER ontology (draft 0.8): AGREE, CONSULT, …"),
        "mode": ("PLOVER modes", "How a PLOVER event was carried out: by phone, by a visit, …"),
        "context": ("PLOVER contexts", "The domain a PLOVER event concerns: diplomatic, economic, military, …"),
    }
    for kind, (label, definition) in kinds.items():
        _scheme(g, iris.plover_scheme(kind), label, definition, plover_source)
    plover_seen: set[tuple[str, str]] = set()

    def plover(kind: str, name: str) -> URIRef:
        node = iris.plover(kind, name)
        if (kind, name) not in plover_seen:
            plover_seen.add((kind, name))
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, iris.plover_scheme(kind)))
            g.add((node, SKOS.topConceptOf, iris.plover_scheme(kind)))
            g.add((node, SKOS.prefLabel, Literal(name.replace("_", " "), lang="en")))
            g.add((node, SKOS.notation, Literal(name)))
            g.add((node, PROV.wasDerivedFrom, plover_source))
        return node

    for code in codes.values():
        node = iris.cameo(code.code)
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, cameo))
        if code.code == code.root:
            g.add((node, SKOS.topConceptOf, cameo))
        else:
            parent = next((code.code[:n] for n in range(len(code.code) - 1, 1, -1) if code.code[:n] in codes), code.root)
            g.add((node, SKOS.broader, iris.cameo(parent)))
        g.add((node, SKOS.notation, Literal(code.code)))
        g.add((node, SKOS.prefLabel, Literal(code.name, lang="en")))
        if code.description:
            g.add((node, SKOS.definition, Literal(code.description, lang="en")))
        g.add((node, DG.goldsteinScore, Literal(code.goldstein, datatype=XSD.decimal)))
        g.add((node, DG.quadClass, Literal(code.quad_class)))
        g.add((node, PROV.wasDerivedFrom, cameo_source))
        if code.plover_event:
            g.add((node, DG.ploverEventType, plover("event", code.plover_event)))
        if code.plover_mode:
            g.add((node, DG.ploverMode, plover("mode", code.plover_mode)))
        for context in code.plover_contexts:
            g.add((node, DG.ploverContext, plover("context", context)))
    g.add((cameo_source, DCTERMS.description, Literal(f"{len(codes)} codes", lang="en")))
    return g
