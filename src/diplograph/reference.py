"""Reference graphs (states, organisations, places, memberships, event codes) generated from data.

Inputs:

- ``{upstream}/country-codes.csv``: the upstream table (datasets/country-codes, PDDL), vendored
  unchanged at ``vendor/reference/`` (its README records the source and checksum).
- ``{curated}/organisations.csv``, ``{curated}/places.csv``, ``{curated}/memberships.csv``:
  facts the project adds, each row with its source (conventionally ``reference/``).

Every fact is linked by ``prov:wasDerivedFrom`` to a ``dg:ReferenceSource`` node
(``id/reference-source/{slug}``) describing the file or web page it came from.

Outputs are written by :func:`write_reference_graphs` as ``{out}/{stem}.ttl`` atomically and
deterministically: the same inputs give byte-identical files (each with a generated-file header
naming the command and the input files with their SHA-256).

Errors: :class:`ReferenceDataError` (local; ``diplograph.errors`` did not exist when this module
was written) with a message ``"{file}:{line}: {problem}"``. This module never prints or exits.

The command is ``diplograph reference``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from diplograph import iris
from diplograph.errors import InputError
from diplograph.files import write_atomically
from diplograph.namespaces import DG, ID, SCHEMA, WD
from diplograph.terms import turtle

__all__ = [
    "GRAPH_STEMS",
    "ReferenceDataError",
    "build_reference_graphs",
    "serialize_reference_graph",
    "write_reference_graphs",
]


GRAPH_STEMS: tuple[str, ...] = ("states", "organisations", "places", "memberships", "event-codes")

GENERATOR_COMMAND = "diplograph reference"

# Conventional locations, used in the generated headers and in dg:fileName so that output does
# not depend on where the caller's copies of the input folders are.
UPSTREAM_LABEL = "vendor/reference"
CURATED_LABEL = "reference"

COUNTRY_CODES = "country-codes.csv"
ORGANISATIONS = "organisations.csv"
PLACES = "places.csv"
MEMBERSHIPS = "memberships.csv"

COUNTRY_CODES_COLUMNS = (
    "ISO3166-1-Alpha-3",
    "ISO3166-1-Alpha-2",
    "ISO3166-1-numeric",
    "is_independent",
    "CLDR display name",
    "UNTERM English Formal",
    "official_name_fr",
    "official_name_es",
    "official_name_ru",
    "official_name_ar",
    "official_name_cn",
    "wikidata_id",
)
ORGANISATIONS_COLUMNS = ("acronym", "name", "alt_name", "wikidata", "source")
PLACES_COLUMNS = ("slug", "name", "state", "wikidata", "source", "note")
MEMBERSHIPS_COLUMNS = ("org", "state", "status", "start", "end", "source", "note")

# country-codes.csv column -> language tag of the extra rdfs:label
LABEL_LANGUAGES = (
    ("official_name_fr", "fr"),
    ("official_name_es", "es"),
    ("official_name_ru", "ru"),
    ("official_name_ar", "ar"),
    ("official_name_cn", "zh"),
)

MEMBERSHIP_STATUSES = ("MemberState", "Observer", "DialoguePartner", "PartnerCountry", "Applicant")

CURATED_LICENCE = "Apache-2.0 (diplograph project data)"

_QID = re.compile(r"Q[1-9][0-9]*")
_WIKIDATA_URL = re.compile(r"https?://www\.wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)")
_ALPHA3 = re.compile(r"[A-Z]{3}")
_ALPHA2 = re.compile(r"[A-Z]{2}")
_NUMERIC = re.compile(r"[0-9]{1,3}")
_ACRONYM = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE_PATTERNS = (
    (re.compile(r"[0-9]{4}"), XSD.gYear),
    (re.compile(r"[0-9]{4}-[0-9]{2}"), XSD.gYearMonth),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), XSD.date),
)


class ReferenceDataError(InputError):
    """A reference input is missing or malformed.

    ``str(error)`` is ``"{file}:{line}: {problem}"`` (or ``"{file}: {problem}"`` when no line
    applies). Attributes: ``path``, ``line`` (1-based line of the file, or None), ``problem``.
    """

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {problem}")

    def __str__(self) -> str:
        return self.args[0]


# --------------------------------------------------------------------------- reading CSV


@dataclass(frozen=True)
class _Row:
    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def error(self, problem: str) -> ReferenceDataError:
        return ReferenceDataError(self.path, self.line, problem)


def _read_csv(path: Path, columns: tuple[str, ...], *, exact: bool) -> list[_Row]:
    """Read a UTF-8 CSV file; check its header; strip surrounding whitespace of values."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReferenceDataError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(path, None, f"not UTF-8 ({exc.reason})") from None
    except OSError as exc:
        raise ReferenceDataError(path, None, f"cannot read ({exc.strerror})") from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    rows: list[_Row] = []
    try:
        header = next(reader, None)
        if header is None:
            raise ReferenceDataError(path, None, "empty file (no header row)")
        missing = [c for c in columns if c not in header]
        if missing:
            raise ReferenceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
        if exact and tuple(header) != columns:
            raise ReferenceDataError(
                path, 1, f"header must be exactly {','.join(columns)!r}, found {','.join(header)!r}"
            )
        if len(set(header)) != len(header):
            raise ReferenceDataError(path, 1, "duplicate column names in header")
        while True:
            line = reader.line_num + 1
            record = next(reader, None)
            if record is None:
                break
            if not any(field.strip() for field in record):
                continue
            if len(record) != len(header):
                raise ReferenceDataError(
                    path, line, f"expected {len(header)} fields, found {len(record)}"
                )
            rows.append(_Row(path, line, {k: v.strip() for k, v in zip(header, record)}))
    except csv.Error as exc:
        raise ReferenceDataError(path, reader.line_num, f"malformed CSV ({exc})") from None
    return rows


def _qid(row: _Row, column: str) -> str | None:
    value = row[column]
    if not value:
        return None
    if not _QID.fullmatch(value):
        raise row.error(f"{column}: not a Wikidata QID: {value!r}")
    return value


def _date_literal(row: _Row, column: str) -> Literal | None:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD into xsd:gYear, xsd:gYearMonth or xsd:date."""
    value = row[column]
    if not value:
        return None
    for pattern, datatype in _DATE_PATTERNS:
        if pattern.fullmatch(value):
            parts = [int(p) for p in value.split("-")] + [1, 1]
            try:
                _dt.date(parts[0], parts[1], parts[2])
            except ValueError:
                break
            return Literal(value, datatype=datatype)
    raise row.error(
        f"{column}: bad date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
    )


# --------------------------------------------------------------------------- graphs and sources


def _new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in (
        ("dg", DG),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("skos", SKOS),
        ("prov", PROV),
        ("dcterms", DCTERMS),
        ("org", ORG),
        ("schema", SCHEMA),
        ("wd", WD),
        ("state", ID["state/"]),
        ("territory", ID["territory/"]),
        ("place", ID["place/"]),
        ("refsrc", ID["reference-source/"]),
    ):
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _add_file_source(
    g: Graph, slug: str, title: str, upstream: str, licence: str, file_name: str
) -> URIRef:
    node = iris.reference_source(slug)
    g.add((node, RDF.type, DG.ReferenceSource))
    g.add((node, DCTERMS.title, Literal(title, lang="en")))
    g.add((node, DCTERMS.source, Literal(upstream)))
    g.add((node, DCTERMS.license, Literal(licence)))
    g.add((node, DG.fileName, Literal(file_name)))
    return node


def _country_codes_source(g: Graph) -> URIRef:
    return _add_file_source(
        g,
        "country-codes",
        "Country and territory codes (ISO 3166-1, M49, names, capitals, Wikidata QIDs)",
        "datasets/country-codes, data/country-codes.csv",
        "PDDL (public domain)",
        f"{UPSTREAM_LABEL}/{COUNTRY_CODES}",
    )


def _curated_source(g: Graph, stem: str, title: str) -> URIRef:
    return _add_file_source(
        g,
        stem,
        title,
        f"diplograph, {CURATED_LABEL}/{stem}.csv (curated; each row names its source)",
        CURATED_LICENCE,
        f"{CURATED_LABEL}/{stem}.csv",
    )


def _add_wikidata(g: Graph, node: URIRef, qid: str | None) -> None:
    if qid is not None:
        g.add((node, DG.wikidata, Literal(qid)))
        g.add((node, SKOS.exactMatch, WD[qid]))


# --------------------------------------------------------------------------- builders


@dataclass(frozen=True)
class _Country:
    iso3: str
    iri: URIRef
    is_state: bool


def _strip_footnote(name: str) -> str:
    """UNTERM formal names carry footnote markers (``"the Holy See *"``); drop them."""
    return re.sub(r"\s*\*+$", "", name)


def _build_states(path: Path) -> tuple[Graph, dict[str, _Country]]:
    g = _new_graph()
    source = _country_codes_source(g)
    countries: dict[str, _Country] = {}
    seen_alpha2: dict[str, int] = {}
    seen_numeric: dict[str, int] = {}
    seen_qid: dict[str, int] = {}
    for row in _read_csv(path, COUNTRY_CODES_COLUMNS, exact=False):
        iso3 = row["ISO3166-1-Alpha-3"]
        if not iso3:
            continue  # only rows with an alpha-3 code become states or territories
        if not _ALPHA3.fullmatch(iso3):
            raise row.error(f"ISO3166-1-Alpha-3: not three capital letters: {iso3!r}")
        if iso3 in countries:
            raise row.error(f"duplicate ISO3166-1-Alpha-3 {iso3!r}")
        alpha2 = row["ISO3166-1-Alpha-2"]
        if not _ALPHA2.fullmatch(alpha2):
            raise row.error(f"ISO3166-1-Alpha-2: not two capital letters: {alpha2!r}")
        numeric = row["ISO3166-1-numeric"]
        if not _NUMERIC.fullmatch(numeric):
            raise row.error(f"ISO3166-1-numeric: not a number of 1-3 digits: {numeric!r}")
        numeric = numeric.zfill(3)
        label = row["CLDR display name"]
        if not label:
            raise row.error("CLDR display name is empty")
        qid = None
        if row["wikidata_id"]:
            match = _WIKIDATA_URL.fullmatch(row["wikidata_id"])
            if match is None:
                raise row.error(f"wikidata_id: not a Wikidata item URL: {row['wikidata_id']!r}")
            qid = match.group(1)
        for key, seen, what in (
            (alpha2, seen_alpha2, "ISO3166-1-Alpha-2"),
            (numeric, seen_numeric, "ISO3166-1-numeric"),
            (qid, seen_qid, "wikidata_id"),
        ):
            if key is None:
                continue
            if key in seen:
                raise row.error(f"duplicate {what} {key!r} (also on line {seen[key]})")
            seen[key] = row.line

        is_state = row["is_independent"] == "Yes"
        node = iris.state(iso3) if is_state else iris.territory(iso3)
        countries[iso3] = _Country(iso3, node, is_state)
        g.add((node, RDF.type, DG.State if is_state else DG.Territory))
        g.add((node, RDFS.label, Literal(label, lang="en")))
        for column, lang in LABEL_LANGUAGES:
            if row[column]:
                g.add((node, RDFS.label, Literal(row[column], lang=lang)))
        formal = _strip_footnote(row["UNTERM English Formal"])
        if formal:
            g.add((node, DG.officialName, Literal(formal, lang="en")))
        g.add((node, DG.isoAlpha3, Literal(iso3)))
        g.add((node, DG.isoAlpha2, Literal(alpha2)))
        g.add((node, DG.isoNumeric, Literal(numeric)))
        _add_wikidata(g, node, qid)
        g.add((node, PROV.wasDerivedFrom, source))
    if not countries:
        raise ReferenceDataError(path, None, "no rows with an ISO3166-1-Alpha-3 code")
    return g, countries


def _build_organisations(path: Path) -> tuple[Graph, set[str]]:
    g = _new_graph()
    source = _curated_source(g, "organisations", "International organisations (curated)")
    acronyms: dict[str, int] = {}
    for row in _read_csv(path, ORGANISATIONS_COLUMNS, exact=True):
        acronym = row["acronym"]
        if not _ACRONYM.fullmatch(acronym):
            raise row.error(f"acronym: not letters and digits: {acronym!r}")
        if acronym.lower() in acronyms:
            raise row.error(
                f"duplicate acronym {acronym!r} (also on line {acronyms[acronym.lower()]})"
            )
        acronyms[acronym.lower()] = row.line
        if not row["name"]:
            raise row.error("name is empty")
        if not row["source"]:
            raise row.error("source is empty: every curated row needs a source")
        qid = _qid(row, "wikidata")
        node = iris.organisation(acronym)
        g.add((node, RDF.type, DG.InternationalOrganisation))
        g.add((node, RDFS.label, Literal(row["name"], lang="en")))
        if row["alt_name"]:
            g.add((node, SKOS.altLabel, Literal(row["alt_name"], lang="en")))
        g.add((node, DG.acronym, Literal(acronym)))
        _add_wikidata(g, node, qid)
        g.add((node, SKOS.note, Literal(f"Source: {row['source']}", lang="en")))
        g.add((node, PROV.wasDerivedFrom, source))
    if not acronyms:
        raise ReferenceDataError(path, None, "no organisations")
    return g, set(acronyms)


def _known_country(row: _Row, column: str, countries: dict[str, _Country]) -> _Country:
    iso3 = row[column]
    if iso3 not in countries:
        raise row.error(f"{column}: unknown ISO3166-1-Alpha-3 code {iso3!r} (not in {COUNTRY_CODES})")
    return countries[iso3]


def _build_places(path: Path, countries: dict[str, _Country]) -> Graph:
    g = _new_graph()
    source = _curated_source(g, "places", "Places (curated)")
    slugs: dict[str, int] = {}
    for row in _read_csv(path, PLACES_COLUMNS, exact=True):
        slug = row["slug"]
        if not _SLUG.fullmatch(slug):
            raise row.error(f"slug: not lower-case words joined by '-': {slug!r}")
        if slug in slugs:
            raise row.error(f"duplicate slug {slug!r} (also on line {slugs[slug]})")
        slugs[slug] = row.line
        if not row["name"]:
            raise row.error("name is empty")
        if not row["source"]:
            raise row.error("source is empty: every curated row needs a source")
        country = _known_country(row, "state", countries)
        if not country.is_state:
            raise row.error(f"state: {country.iso3!r} is not an independent state in {COUNTRY_CODES}")
        qid = _qid(row, "wikidata")
        node = iris.place(slug)
        g.add((node, RDF.type, DG.Place))
        g.add((node, RDFS.label, Literal(row["name"], lang="en")))
        g.add((node, DG.inState, country.iri))
        _add_wikidata(g, node, qid)
        g.add((node, SKOS.note, Literal(f"Source: {row['source']}", lang="en")))
        if row["note"]:
            g.add((node, SKOS.note, Literal(row["note"], lang="en")))
        g.add((node, PROV.wasDerivedFrom, source))
    if not slugs:
        raise ReferenceDataError(path, None, "no places")
    return g


def _url_source(g: Graph, row: _Row) -> URIRef:
    url = row["source"]
    if not re.fullmatch(r"https?://[^\s\"<>]+", url):
        raise row.error(f"source: not an http(s) URL: {url!r}")
    node = iris.reference_source(re.sub(r"^https?://(www\.)?", "", url))
    g.add((node, RDF.type, DG.ReferenceSource))
    g.add((node, SCHEMA.url, URIRef(url)))
    return node


def _build_memberships(
    path: Path, countries: dict[str, _Country], acronyms: set[str]
) -> Graph:
    g = _new_graph()
    _curated_source(g, "memberships", "Memberships of states in international organisations (curated)")
    keys: dict[tuple[str, str], int] = {}
    for row in _read_csv(path, MEMBERSHIPS_COLUMNS, exact=True):
        acronym = row["org"]
        if acronym.lower() not in acronyms:
            raise row.error(f"org: unknown organisation {acronym!r} (not in {ORGANISATIONS})")
        country = _known_country(row, "state", countries)
        status = row["status"]
        if status not in MEMBERSHIP_STATUSES:
            raise row.error(
                f"unknown status {status!r} (expected one of {', '.join(MEMBERSHIP_STATUSES)})"
            )
        key = (acronym.lower(), country.iso3)
        if key in keys:
            raise row.error(
                f"duplicate membership {acronym}/{country.iso3} (also on line {keys[key]})"
            )
        keys[key] = row.line
        start = _date_literal(row, "start")
        end = _date_literal(row, "end")
        if start is not None and end is not None and str(end) < str(start)[: len(str(end))]:
            raise row.error(f"end {end} is before start {start}")
        if not row["note"]:
            raise row.error("note is empty: say what the source states")
        source = _url_source(g, row)
        node = iris.membership(acronym, country.iso3)
        g.add((node, RDF.type, DG.Membership))
        g.add((node, ORG.member, country.iri))
        g.add((node, ORG.organization, iris.organisation(acronym)))
        g.add((node, DG.membershipStatus, DG[status]))
        g.add((node, ORG.role, DG[status]))  # the same concept, for a W3C ORG reader (the statuses are org:Role)
        if start is not None:
            g.add((node, DG.startDate, start))
        if end is not None:
            g.add((node, DG.endDate, end))
        g.add((node, PROV.wasDerivedFrom, source))
        g.add((node, DG.modality, DG.ReportedFact))
        g.add((node, DG.evidenceNote, Literal(row["note"])))
    if not keys:
        raise ReferenceDataError(path, None, "no memberships")
    return g


def build_reference_graphs(upstream_dir: Path, curated_dir: Path) -> dict[str, Graph]:
    """Build the reference graphs, keyed by file stem (see :data:`GRAPH_STEMS`)."""
    upstream_dir = Path(upstream_dir)
    curated_dir = Path(curated_dir)
    if not upstream_dir.is_dir():
        raise ReferenceDataError(
            upstream_dir, None,
            f"upstream reference folder not found (the repository keeps it at {UPSTREAM_LABEL})",
        )
    states, countries = _build_states(upstream_dir / COUNTRY_CODES)
    organisations, acronyms = _build_organisations(curated_dir / ORGANISATIONS)
    places = _build_places(curated_dir / PLACES, countries)
    memberships = _build_memberships(curated_dir / MEMBERSHIPS, countries, acronyms)
    return {
        "states": states,
        "organisations": organisations,
        "places": places,
        "memberships": memberships,
        "event-codes": _build_event_codes(upstream_dir),
    }


def _build_event_codes(upstream_dir: Path) -> Graph:
    """The CAMEO codebook and the PLOVER categories as concept schemes (see :mod:`diplograph.coded.codebook`)."""
    from diplograph.coded.codebook import CAMEO_CODES, CAMEO_TO_PLOVER, build_event_codes_graph, read_codebook

    g = _new_graph()
    g.bind("cameo", ID["cameo/"], override=True, replace=True)
    g.bind("plover", ID["plover/"], override=True, replace=True)
    cameo_source = _add_file_source(
        g, "cameo-codes", "CAMEO event codebook with Goldstein scores", "andybega/icews, data-raw/cameo-codes.csv",
        "MIT", f"{UPSTREAM_LABEL}/{CAMEO_CODES}",
    )
    plover_source = _add_file_source(
        g, "cameo-to-plover", "CAMEO to PLOVER crosswalk, PLOVER draft 0.8 (2021)",
        "openeventdata/PLOVER, CAMEO2PLOVER-2021.txt", "CC BY-SA 4.0", f"{UPSTREAM_LABEL}/{CAMEO_TO_PLOVER}",
    )
    return build_event_codes_graph(g, read_codebook(upstream_dir), cameo_source, plover_source)


# --------------------------------------------------------------------------- writing

# Which input files each output is generated from (conventional location, file name).
_INPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "states": ((UPSTREAM_LABEL, COUNTRY_CODES),),
    "organisations": ((CURATED_LABEL, ORGANISATIONS),),
    "places": ((CURATED_LABEL, PLACES), (UPSTREAM_LABEL, COUNTRY_CODES)),
    "memberships": (
        (CURATED_LABEL, MEMBERSHIPS),
        (CURATED_LABEL, ORGANISATIONS),
        (UPSTREAM_LABEL, COUNTRY_CODES),
    ),
    "event-codes": ((UPSTREAM_LABEL, "cameo-codes.csv"), (UPSTREAM_LABEL, "cameo-to-plover.txt")),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _header(stem: str, upstream_dir: Path, curated_dir: Path) -> str:
    dirs = {UPSTREAM_LABEL: Path(upstream_dir), CURATED_LABEL: Path(curated_dir)}
    lines = [
        f"# GENERATED FILE - do not edit. Regenerate with `{GENERATOR_COMMAND}`",
        "# (library: diplograph.reference.write_reference_graphs;",
        f"#  upstream tables from {UPSTREAM_LABEL}, curated facts from {CURATED_LABEL}/).",
        f"# Reference graph '{stem}', generated from:",
    ]
    for label, name in _INPUTS[stem]:
        lines.append(f"#   {label}/{name}  sha256:{_sha256(dirs[label] / name)}")
    return "\n".join(lines) + "\n\n"


def serialize_reference_graph(graph: Graph) -> str:
    """Turtle with a fixed order: subjects, predicates and objects sorted.

    rdflib's Turtle serializer sorts subjects/predicates/objects, but its output order of
    prefixes and subjects is an implementation detail; to keep bytes stable across rdflib
    versions and hash seeds this writes the graph itself (no blank nodes are produced here).
    """
    nm = graph.namespace_manager
    prefixes = {prefix: str(ns) for prefix, ns in nm.namespaces()}
    used: set[str] = set()

    def term(t) -> str:
        return turtle(t, prefixes, used)

    def predicate_key(p: URIRef) -> tuple[int, str]:
        return (0 if p == RDF.type else 1, str(p))

    def object_key(o) -> tuple[str, str, str, str]:
        if isinstance(o, Literal):
            return ("1", str(o.datatype or ""), o.language or "", str(o))
        return ("0", "", "", str(o))

    blocks: list[str] = []
    for s in sorted(set(graph.subjects()), key=str):
        predicates = sorted(set(graph.predicates(s)), key=predicate_key)
        lines = []
        for p in predicates:
            objs = sorted(graph.objects(s, p), key=object_key)
            lines.append(f"    {term(p)} " + ", ".join(term(o) for o in objs))
        blocks.append(term(s) + "\n" + " ;\n".join(lines) + " .\n")
    prefixes = "".join(
        f"@prefix {prefix}: <{ns}> .\n"
        for prefix, ns in sorted(nm.namespaces(), key=lambda p: p[0])
        if prefix in used
    )
    return prefixes + "\n" + "\n".join(blocks)




def write_reference_graphs(upstream_dir: Path, curated_dir: Path, out_dir: Path) -> list[Path]:
    """Build the reference graphs and write ``out_dir/{stem}.ttl`` for each; return the paths."""
    graphs = build_reference_graphs(upstream_dir, curated_dir)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReferenceDataError(out_dir, None, f"cannot create output folder ({exc.strerror})") from None
    written = []
    for stem in GRAPH_STEMS:
        text = _header(stem, upstream_dir, curated_dir) + serialize_reference_graph(graphs[stem])
        path = out_dir / f"{stem}.ttl"
        write_atomically(path, text)
        written.append(path)
    return written
