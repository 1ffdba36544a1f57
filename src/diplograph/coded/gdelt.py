"""One GDELT 1.0 event row -> an :class:`~diplograph.coded.records.Event`.

GDELT 1.0 files have no header and come in two layouts: 57 columns (the back file, before April
2013, no source URL) and 58 (with ``SOURCEURL`` last); the first 57 columns are the same in both,
so one file may mix them. Actor codes are CAMEO actor codes that start with a CAMEO country code
(ISO 3166-1 alpha-3 for states: CHN, CHNGOV); an actor with no country code, or one no reference
state has, is kept as an unresolved actor. Places use FIPS 10-4 country codes (China CH).
"""

from __future__ import annotations

from diplograph.coded.codebook import Code
from diplograph.coded.countries import CountryResolver
from diplograph.coded.records import (
    Actor,
    Event,
    Skip,
    coded_actor,
    day,
    decimal,
    integer,
    state_actor,
    text,
    unresolved_actor,
)

__all__ = ["COLUMNS", "LAYOUTS", "parse_row"]

#: The 58 column names of GDELT 1.0 (tests/data/gdelt/events-column-names.csv).
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_Lat",
    "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_Lat",
    "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_Lat",
    "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
)
_I = {name: i for i, name in enumerate(COLUMNS)}
#: Layout name -> the column counts it accepts.
LAYOUTS: dict[str, tuple[int, ...]] = {"auto": (57, 58), "57": (57,), "58": (58,)}


def _actor(row: list[str], n: int, countries: CountryResolver) -> Actor | None:
    code = text(row[_I[f"Actor{n}Code"]])
    if not code:
        return None
    name = text(row[_I[f"Actor{n}Name"]])
    country_code = text(row[_I[f"Actor{n}CountryCode"]])
    found = countries.by_iso3(country_code)
    if found is None:
        return unresolved_actor(name or code, country_code, code)
    if code == country_code:
        return state_actor(found)
    types = tuple(t for t in (text(row[_I[f"Actor{n}Type{k}Code"]]) for k in (1, 2, 3)) if t)
    return coded_actor(name or code, found, types, code)


def parse_row(row: list[str], line: int, codes: dict[str, Code], countries: CountryResolver,
              layout: str = "auto") -> Event:
    """The event of one row; raises :class:`~diplograph.coded.records.Skip` saying why it cannot be one."""
    allowed = LAYOUTS[layout]
    if len(row) not in allowed:
        expected = " or ".join(str(n) for n in allowed)
        raise Skip(line, f"expected {expected} tab-separated columns (GDELT 1.0), found {len(row)}", "wrong column count")
    event_id = text(row[_I["GLOBALEVENTID"]])
    if not event_id:
        raise Skip(line, "GLOBALEVENTID is empty", "no identifier")
    date = day(row[_I["SQLDATE"]], "SQLDATE", line, compact=True)
    raw_code = row[_I["EventCode"]].strip()
    code = codes.get(raw_code)
    if code is None:
        raise Skip(line, f"EventCode {raw_code!r} is not in the CAMEO codebook", "unknown CAMEO code")
    source, target = _actor(row, 1, countries), _actor(row, 2, countries)
    if source is None and target is None:
        raise Skip(line, "neither Actor1Code nor Actor2Code", "no actors")
    quad = integer(row[_I["QuadClass"]], "QuadClass", line)
    if quad is not None and quad not in ("1", "2", "3", "4"):
        raise Skip(line, f"QuadClass is not 1, 2, 3 or 4: {quad}", "bad number")
    url = text(row[_I["SOURCEURL"]]) if len(row) == 58 else ""
    evidence = f"GDELT event {event_id}" + (f", coded from {url}." if url else " (no source URL in the 57-column layout).")
    counts = {}
    for column, key in (("NumMentions", "numMentions"), ("NumSources", "numSources"), ("NumArticles", "numArticles")):
        value = integer(row[_I[column]], column, line)
        if value is not None:
            counts[key] = value
    return Event(
        dataset="gdelt",
        event_id=event_id,
        line=line,
        date=date,
        code=code,
        source=source,
        target=target,
        evidence=evidence,
        intensity=decimal(row[_I["GoldsteinScale"]], "GoldsteinScale", line, -10, 10),
        quad_class=int(quad) if quad is not None else None,
        place_name=text(row[_I["ActionGeo_FullName"]]),
        place_country=countries.by_fips(text(row[_I["ActionGeo_CountryCode"]])),
        latitude=decimal(row[_I["ActionGeo_Lat"]], "ActionGeo_Lat", line, -90, 90),
        longitude=decimal(row[_I["ActionGeo_Long"]], "ActionGeo_Long", line, -180, 180),
        url=url,
        counts=counts,
        tone=decimal(row[_I["AvgTone"]], "AvgTone", line, -100, 100),
    )
