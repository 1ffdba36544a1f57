"""Country names and codes of event data -> the states and territories of the reference graph.

ICEWS names countries ("Russian Federation", "Occupied Palestinian Territory"); GDELT gives CAMEO
country codes for actors (ISO 3166-1 alpha-3 for states) and FIPS 10-4 codes for places. Names go
through country_converter (its regular expressions know the spellings news data uses); the
ISO code it finds, or the code given, must then be a state or territory of
``graphs/reference/states.ttl``, so an imported graph only points to nodes the project describes.
FIPS codes are looked up in the vendored ``country-codes.csv`` (the table the reference graph is
generated from). What matches nothing is returned as ``None`` and becomes an unresolved actor.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from diplograph.errors import InputError
from diplograph.namespaces import DG, RDF, RDFS

__all__ = ["Country", "CountryResolver", "MISSING"]

#: How the data sets write "no value".
MISSING = frozenset({"", "NA", "N/A", "NULL", "None"})


@dataclass(frozen=True, slots=True)
class Country:
    """A state or territory of the reference graph."""

    iso3: str
    iri: str
    is_state: bool
    label: str


class CountryResolver:
    """Resolve names, ISO alpha-3 and FIPS codes to :class:`Country`; every answer is cached.

    Memory grows with the number of distinct names seen (a few hundred), not with the rows.
    """

    def __init__(self, states_graph: Path, country_codes_csv: Path) -> None:
        self._by_iso3 = _read_states(states_graph)
        self._fips = _read_fips(country_codes_csv, self._by_iso3)
        self._names: dict[str, Country | None] = {}
        self._converter = None

    @property
    def countries(self) -> dict[str, Country]:
        return self._by_iso3

    def by_iso3(self, code: str) -> Country | None:
        return self._by_iso3.get(code.strip().upper()) if code else None

    def by_fips(self, code: str) -> Country | None:
        return self._fips.get(code.strip().upper()) if code else None

    def by_name(self, name: str) -> Country | None:
        name = name.strip()
        if name in MISSING:
            return None
        if name in self._names:
            return self._names[name]
        found = self._by_iso3.get(name) if len(name) == 3 and name.isupper() else None
        if found is None:
            iso3 = self._convert(name)
            found = self._by_iso3.get(iso3) if iso3 else None
        self._names[name] = found
        return found

    def _convert(self, name: str) -> str | None:
        if self._converter is None:
            # country_converter logs a warning per unmatched name; the importer counts those itself.
            logging.getLogger("country_converter").setLevel(logging.ERROR)
            import country_converter  # lazy: it loads pandas and its tables (half a second)

            self._converter = country_converter.CountryConverter()
        result = self._converter.convert(names=name, to="ISO3", not_found=None)
        return result if isinstance(result, str) and len(result) == 3 and result.isalpha() else None


def _read_states(path: Path) -> dict[str, Country]:
    """ISO alpha-3 -> Country, from the states reference graph (states and territories)."""
    from diplograph.loading import load_graph  # typed errors for a missing or malformed file

    graph = load_graph(path)
    found: dict[str, Country] = {}
    for kind, is_state in ((DG.State, True), (DG.Territory, False)):
        for node in graph.subjects(RDF.type, kind):
            code = graph.value(node, DG.isoAlpha3)
            if code is None:
                continue
            labels = [str(o) for o in graph.objects(node, RDFS.label) if getattr(o, "language", None) == "en"]
            found[str(code)] = Country(str(code), str(node), is_state, min(labels) if labels else str(code))
    if not found:
        raise InputError(f"{path}: no states in the reference graph; run `diplograph reference`")
    return found


def _read_fips(path: Path, countries: dict[str, Country]) -> dict[str, Country]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    table: dict[str, Country] = {}
    for row in rows:
        fips, iso3 = (row.get("FIPS") or "").strip(), (row.get("ISO3166-1-Alpha-3") or "").strip()
        if fips and iso3 in countries:
            table.setdefault(fips, countries[iso3])
    return table
