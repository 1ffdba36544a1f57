"""ICEWS-layout event files of any size, for benchmarks and tests (invented rows, not data about the world).

:func:`write_icews` writes the 20 tab-separated columns of the ICEWS release with its header, so
`diplograph import icews` reads it like a real file. Every row is invented: the event ID counts
from 900000000, the story ID from 800000000, and the Publisher column says
``INVENTED (diplograph benchmark)``, so no row can be taken for a real one. Country names, actor
kinds, sectors, CAMEO codes and intensities are drawn from small tables modelled on the real
sample (tests/data/icews), with a fixed seed: the same arguments always give the same file.
About 15% of rows are events within one state and 5% have no target country, as in the sample.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

__all__ = ["HEADER", "INVENTED_PUBLISHER", "write_icews"]

HEADER = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)
INVENTED_PUBLISHER = "INVENTED (diplograph benchmark)"

# Names as ICEWS writes them (country_converter resolves each); capitals with rounded coordinates.
_COUNTRIES = (
    ("United States", "Washington", 38.9, -77.0), ("China", "Beijing", 39.9, 116.4),
    ("Russian Federation", "Moscow", 55.8, 37.6), ("India", "New Delhi", 28.6, 77.2),
    ("Japan", "Tokyo", 35.7, 139.7), ("Germany", "Berlin", 52.5, 13.4), ("France", "Paris", 48.9, 2.4),
    ("United Kingdom", "London", 51.5, -0.1), ("North Korea", "Pyongyang", 39.0, 125.8),
    ("South Korea", "Seoul", 37.6, 127.0), ("Kazakhstan", "Astana", 51.2, 71.4),
    ("Azerbaijan", "Baku", 40.4, 49.9), ("Turkey", "Ankara", 39.9, 32.9), ("Iran", "Tehran", 35.7, 51.4),
    ("Israel", "Jerusalem", 31.8, 35.2), ("Nigeria", "Abuja", 9.1, 7.5), ("Brazil", "Brasilia", -15.8, -47.9),
    ("Ukraine", "Kyiv", 50.5, 30.5), ("Pakistan", "Islamabad", 33.7, 73.1), ("Vietnam", "Hanoi", 21.0, 105.8),
)
_ACTORS = (
    ("Foreign Affairs", "Executive,Foreign Ministry,Government"), ("Government", "Government"),
    ("Citizen", "General Population / Civilian / Social,Social"), ("Military", "Military,Government"),
    ("Police", "Police,Government"), ("Head of Government", "Executive,Government,Elite"),
)
# (CAMEO code, event text, intensity): common codes of the real sample.
_CODES = (
    ("010", "Make statement", "0"), ("036", "Express intent to meet or negotiate", "4"),
    ("040", "Consult", "1"), ("042", "Make a visit", "1.9"), ("043", "Host a visit", "2.8"),
    ("051", "Praise or endorse", "3.4"), ("057", "Sign formal agreement", "8"),
    ("061", "Cooperate economically", "6.4"), ("112", "Accuse", "-2"), ("173", "Arrest, detain", "-5"),
    ("190", "Use conventional military force", "-10"), ("1823", "Kill by physical assault", "-10"),
)


def _actor(rng: random.Random, country: str) -> tuple[str, str]:
    if rng.random() < 0.25:
        return country, "NA"  # the state itself
    name, sectors = rng.choice(_ACTORS)
    return f"{name} ({country})", sectors


def write_icews(path: Path | str, rows: int, seed: int = 0) -> Path:
    """Write ``rows`` invented events in the ICEWS layout to ``path`` (streamed: any size)."""
    rng = random.Random(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        out.writerow(HEADER)
        for i in range(rows):
            src_country, city, lat, lon = rng.choice(_COUNTRIES)
            roll = rng.random()
            if roll < 0.15:
                tgt_country = src_country
            elif roll < 0.20:
                tgt_country = "NA"
            else:
                tgt_country = rng.choice(_COUNTRIES)[0]
            code, text, intensity = rng.choice(_CODES)
            source_name, source_sectors = _actor(rng, src_country)
            if tgt_country == "NA":
                target_name, target_sectors = "Unspecified Actor", "Unspecified"
            else:
                target_name, target_sectors = _actor(rng, tgt_country)
            out.writerow((
                900000000 + i, f"2018-{1 + i * 12 // max(rows, 1):02d}-{1 + rng.randrange(28):02d}",
                source_name, source_sectors, src_country, text, code, intensity,
                target_name, target_sectors, tgt_country, 800000000 + i // 4, 1 + i % 4, INVENTED_PUBLISHER,
                city, "NA", "NA", src_country, f"{lat:.4f}", f"{lon:.4f}",
            ))
    return path
