"""Independent answers for the coded-event tests, computed from the raw files with plain Python.

Nothing here imports diplograph: the rows are read with the csv module, countries are matched
with country_converter (the maintained library the issue names) and the independence flag of
the vendored country-codes table, so a bug in diplograph's importer cannot hide in its answers.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
ICEWS_SAMPLE = DATA / "icews" / "events.2018.sample.tab"
GDELT_SAMPLE = DATA / "gdelt" / "events.sample.tsv"
PROJECT_PARTS = ("ontology", "graphs", "queries", "vendor", "sources", "reference")
COUNTRY_CODES = ROOT / "vendor" / "reference" / "country-codes.csv"
CAMEO_CODES = ROOT / "vendor" / "reference" / "cameo-codes.csv"


@cache
def independent_states() -> frozenset[str]:
    """ISO alpha-3 codes the country-codes table marks independent (the project's states)."""
    with COUNTRY_CODES.open(encoding="utf-8", newline="") as handle:
        return frozenset(r["ISO3166-1-Alpha-3"] for r in csv.DictReader(handle)
                         if r["is_independent"] == "Yes" and r["ISO3166-1-Alpha-3"])


@cache
def iso3_of_name(name: str) -> str | None:
    if name in ("", "NA"):
        return None
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    import country_converter

    code = country_converter.convert(names=name, to="ISO3", not_found=None)
    return code if isinstance(code, str) and len(code) == 3 else None


def icews_rows() -> list[dict[str, str]]:
    with ICEWS_SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def gdelt_rows() -> list[list[str]]:
    with GDELT_SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def icews_state(name: str) -> str | None:
    code = iso3_of_name(name)
    return code if code in independent_states() else None


def icews_pair(row: dict[str, str]) -> tuple[str, str] | None:
    a, b = icews_state(row["Source Country"]), icews_state(row["Target Country"])
    if a is None or b is None or a == b:
        return None
    return tuple(sorted((a, b)))


def gdelt_pair(row: list[str]) -> tuple[str, str] | None:
    states = independent_states()
    a = row[7] if row[5] and row[7] in states else None
    b = row[17] if row[15] and row[17] in states else None
    if a is None or b is None or a == b:
        return None
    return tuple(sorted((a, b)))


@cache
def root_of_code() -> dict[str, str]:
    with CAMEO_CODES.open(encoding="utf-8", newline="") as handle:
        return {r["code"]: r["root_code"] for r in csv.DictReader(handle)}


def quad_class_of_root(root: str) -> int:
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


def icews_pair_month_quad() -> Counter:
    """(ISO a, ISO b, YYYY-MM, quad class) -> events, ICEWS quad class from the CAMEO root code."""
    out: Counter = Counter()
    for r in icews_rows():
        pair = icews_pair(r)
        if pair:
            quad = quad_class_of_root(root_of_code()[r["CAMEO Code"]])
            out[(*pair, r["Event Date"][:7], quad)] += 1
    return out


def icews_mean_intensity() -> dict[tuple[str, str], tuple[int, float]]:
    values: dict = defaultdict(list)
    for r in icews_rows():
        pair = icews_pair(r)
        if pair:
            values[pair].append(float(r["Intensity"]))
    return {p: (len(v), sum(v) / len(v)) for p, v in values.items()}


def cli(*args: str, cwd: Path, home: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DIPLOGRAPH_HOME", "DIPLOGRAPH_DEBUG")}
    env["DIPLOGRAPH_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "diplograph", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def copy_project(dest: Path) -> Path:
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, dest / part)
    return dest


# --- one list of (pair, month, quad class, intensity, CAMEO code) over both samples -----------------

CROSSWALK = ROOT / "vendor" / "reference" / "cameo-to-plover.txt"


@cache
def plover_event_types() -> dict[str, str]:
    """CAMEO code -> PLOVER event type, read from the crosswalk's 'CODE: EVENT, mode, context' lines."""
    explicit: dict[str, str] = {}
    headings: dict[str, set[str]] = defaultdict(set)
    for raw in CROSSWALK.read_text(encoding="utf-8").splitlines():
        text = raw.split("#")[0].strip()
        if ":" not in text or not text.split(":")[0].isdigit():
            continue
        code, rest = (part.strip() for part in text.split(":", 1))
        fields = rest.split(",")
        if len(fields) == 1:
            headings[code].add(fields[0].strip())
        else:
            explicit.setdefault(code, fields[0].strip())
    for code, names in headings.items():
        if len(names) == 1:
            explicit.setdefault(code, next(iter(names)))
    return explicit


def plover_event_type(code: str) -> str | None:
    table = plover_event_types()
    for n in range(len(code), 1, -1):  # a code the crosswalk does not list: its nearest listed parent
        if code[:n] in table:
            return table[code[:n]]
    return None


def coded_records() -> list[tuple[tuple[str, str], str, int, float, str]]:
    """(pair, YYYY-MM, quad class, intensity, CAMEO code) of every bilateral event of both samples."""
    out = []
    for r in icews_rows():
        pair = icews_pair(r)
        if pair:
            quad = quad_class_of_root(root_of_code()[r["CAMEO Code"]])
            out.append((pair, r["Event Date"][:7], quad, float(r["Intensity"]), r["CAMEO Code"]))
    for row in gdelt_rows():
        pair = gdelt_pair(row)
        if pair:
            out.append((pair, f"{row[1][:4]}-{row[1][4:6]}", int(row[29]), float(row[30]), row[26]))
    return out
