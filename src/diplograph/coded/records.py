"""What one row of event data becomes: an :class:`Event` between two :class:`Actor`\\ s, or a :class:`Skip`.

The format modules (:mod:`~diplograph.coded.icews`, :mod:`~diplograph.coded.gdelt`) fill these in;
:mod:`~diplograph.coded.writer` turns them into Turtle. Values are kept as the lexical forms the
writer needs (a checked decimal is a string such as ``"-2.5"``), so that writing is string joining.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from diplograph import iris
from diplograph.coded.codebook import Code
from diplograph.coded.countries import MISSING, Country

__all__ = [
    "Actor",
    "Event",
    "Skip",
    "coded_actor",
    "decimal",
    "day",
    "integer",
    "state_actor",
    "text",
    "unresolved_actor",
]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts in an event: a state or territory itself, an actor affiliated with one, or an unresolved actor."""

    iri: str
    kind: str  # "state", "territory", "coded", "unresolved"
    label: str = ""
    country: Country | None = None  # the state or territory (itself, or the one it belongs to)
    sectors: tuple[str, ...] = ()
    code: str = ""  # GDELT's CAMEO actor code
    country_as_written: str = ""

    @property
    def state(self) -> Country | None:
        """The state the actor is or belongs to (None for a territory or an unresolved actor)."""
        return self.country if self.country is not None and self.country.is_state else None


def state_actor(country: Country) -> Actor:
    return Actor(country.iri, "state" if country.is_state else "territory", country.label, country)


def coded_actor(name: str, country: Country, sectors: tuple[str, ...] = (), code: str = "") -> Actor:
    return Actor(str(iris.coded_actor(country.iso3, code or name)), "coded", name, country, sectors, code)


def unresolved_actor(name: str, country_as_written: str, code: str = "", sectors: tuple[str, ...] = ()) -> Actor:
    written = "" if country_as_written in MISSING else country_as_written
    return Actor(str(iris.unresolved_actor(code or name, written)), "unresolved", name or code, None, sectors, code, written)


@dataclass(slots=True)
class Event:
    """One coded event, ready to write."""

    dataset: str  # "icews" or "gdelt"
    event_id: str
    line: int
    date: str  # YYYY-MM-DD
    code: Code
    source: Actor | None
    target: Actor | None
    evidence: str
    intensity: str | None = None
    quad_class: int | None = None
    place_name: str = ""
    place_country: Country | None = None
    latitude: str | None = None
    longitude: str | None = None
    story_id: str = ""
    sentence: str | None = None
    publisher: str = ""
    url: str = ""
    counts: dict[str, str] = field(default_factory=dict)  # numMentions, numSources, numArticles
    tone: str | None = None

    @property
    def pair(self) -> tuple[str, str] | None:
        """The two different states of a bilateral event, ISO codes sorted; None otherwise."""
        a = self.source.state if self.source else None
        b = self.target.state if self.target else None
        if a is None or b is None or a.iso3 == b.iso3:
            return None
        return (a.iso3, b.iso3) if a.iso3 < b.iso3 else (b.iso3, a.iso3)

    @property
    def within_one_state(self) -> bool:
        a = self.source.state if self.source else None
        b = self.target.state if self.target else None
        return a is not None and b is not None and a.iso3 == b.iso3


@dataclass(frozen=True, slots=True)
class Skip(Exception):
    """A row that cannot be imported: its line, why (one line), and the category the summary counts."""

    line: int
    reason: str
    category: str


# --- checked values ------------------------------------------------------------------

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[0-9]+")


def text(value: str) -> str:
    """A field's text, or "" for the markers of a missing value (``NA``)."""
    value = value.strip()
    return "" if value in MISSING else value


def decimal(value: str, column: str, line: int, low: float | None = None, high: float | None = None) -> str | None:
    """A decimal as Turtle writes one (``-2.0``), None when missing; a :class:`Skip` when not a number or out of range."""
    value = text(value)
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        raise Skip(line, f"{column} is not a number: {value!r}", "bad number")
    if low is not None and not low <= float(value) <= high:
        raise Skip(line, f"{column} {value} is outside {low:g} to {high:g}", "bad number")
    if value.startswith((".", "-.", "+.")):
        value = value.replace(".", "0.", 1)
    return value if "." in value else value + ".0"


def integer(value: str, column: str, line: int) -> str | None:
    value = text(value)
    if not value:
        return None
    if not _INTEGER.fullmatch(value):
        raise Skip(line, f"{column} is not a whole number: {value!r}", "bad number")
    return str(int(value))


def day(value: str, column: str, line: int, compact: bool = False) -> str:
    """``YYYY-MM-DD`` (or ``YYYYMMDD`` when ``compact``) checked as a real day; a :class:`Skip` otherwise."""
    value = value.strip()
    try:
        parsed = dt.datetime.strptime(value, "%Y%m%d" if compact else "%Y-%m-%d").date()
    except ValueError:
        expected = "YYYYMMDD" if compact else "YYYY-MM-DD"
        raise Skip(line, f"{column} is not a date ({expected}): {value!r}", "unparsable date") from None
    return parsed.isoformat()
