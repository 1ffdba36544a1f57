"""One ICEWS row (the 20 tab-separated columns of the Dataverse release) -> an :class:`~diplograph.coded.records.Event`.

Actors are named with their country in parentheses ("Foreign Affairs (Bangladesh)") and the
Source/Target Country columns give the country by name; an actor whose name is its country's
("India", "India") is the state itself. Intensity is the Goldstein-style score of the CAMEO code.
Story ID and Sentence Number name the sentence the event was coded from; its text is not in the data.
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

__all__ = ["COLUMNS", "parse_row"]

COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)
(_ID, _DATE, _SNAME, _SSECT, _SCTRY, _TEXT, _CAMEO, _INT, _TNAME, _TSECT, _TCTRY, _STORY, _SENT, _PUB,
 _CITY, _DISTRICT, _PROVINCE, _COUNTRY, _LAT, _LON) = range(20)


def _actor(name: str, sectors: str, country: str, countries: CountryResolver) -> Actor | None:
    name, country = text(name), text(country)
    if not name and not country:
        return None
    found = countries.by_name(country)
    sector_list = tuple(s.strip() for s in text(sectors).split(",") if s.strip())
    if found is None:
        return unresolved_actor(name or country, country, sectors=sector_list)
    if not name or name == country:
        return state_actor(found)
    return coded_actor(name, found, sector_list)


def parse_row(row: list[str], line: int, codes: dict[str, Code], countries: CountryResolver) -> Event:
    """The event of one row; raises :class:`~diplograph.coded.records.Skip` saying why it cannot be one."""
    if len(row) != len(COLUMNS):
        raise Skip(line, f"expected {len(COLUMNS)} tab-separated columns (ICEWS), found {len(row)}", "wrong column count")
    event_id = text(row[_ID])
    if not event_id:
        raise Skip(line, "Event ID is empty", "no identifier")
    date = day(row[_DATE], "Event Date", line)
    code = codes.get(row[_CAMEO].strip())
    if code is None:
        raise Skip(line, f"CAMEO Code {row[_CAMEO].strip()!r} is not in the CAMEO codebook", "unknown CAMEO code")
    source = _actor(row[_SNAME], row[_SSECT], row[_SCTRY], countries)
    target = _actor(row[_TNAME], row[_TSECT], row[_TCTRY], countries)
    if source is None and target is None:
        raise Skip(line, "neither a source nor a target actor", "no actors")
    story, sentence, publisher = text(row[_STORY]), integer(row[_SENT], "Sentence Number", line), text(row[_PUB])
    evidence = f"ICEWS event {event_id}, coded from sentence {sentence or '?'} of story {story or '?'}"
    evidence += f" ({publisher})." if publisher else "."
    return Event(
        dataset="icews",
        event_id=event_id,
        line=line,
        date=date,
        code=code,
        source=source,
        target=target,
        evidence=evidence,
        intensity=decimal(row[_INT], "Intensity", line, -10, 10),
        place_name=text(row[_CITY]) or text(row[_DISTRICT]) or text(row[_PROVINCE]),
        place_country=countries.by_name(row[_COUNTRY]),
        latitude=decimal(row[_LAT], "Latitude", line, -90, 90),
        longitude=decimal(row[_LON], "Longitude", line, -180, 180),
        story_id=story,
        sentence=sentence,
        publisher=publisher,
    )
