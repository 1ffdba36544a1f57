"""The coded-event queries (queries/coded-*.rq) against answers computed from the raw sample files.

The dataset is a copy of the project with both real samples imported (ICEWS, GDELT) and the
invented curated China–Kazakhstan fixture added; every query runs through `diplograph query`.
The expected rows come from tests/coded_util.py: the csv module over the raw rows, not diplograph.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from coded_util import GDELT_SAMPLE, ICEWS_SAMPLE, ROOT, cli, coded_records, copy_project, plover_event_type

CURATED = ROOT / "tests" / "fixtures" / "coded" / "china-kazakhstan-curated.ttl"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("coded-queries") / "project")
    for fmt, sample in (("icews", ICEWS_SAMPLE), ("gdelt", GDELT_SAMPLE)):
        done = cli("import", fmt, str(sample), cwd=root, home=root)
        assert done.returncode == 0, done.stderr
    shutil.copy(CURATED, root / "graphs")
    return root


def query(project: Path, name: str) -> list[dict[str, str]]:
    done = cli("query", name, "-f", "csv", cwd=project, home=project)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def pair_text(pair: tuple[str, str]) -> str:
    return f"{pair[0]}-{pair[1]}"


def test_events_per_pair_month_and_quad_class(project: Path):
    expected = Counter((pair_text(p), month, str(quad)) for p, month, quad, _i, _c in coded_records())
    rows = query(project, "coded-events-by-month")
    got = {(r["pair"], r["month"], r["quadClass"]): int(r["events"]) for r in rows}
    assert len(rows) == len(got)  # one row per pair, month and quad class
    assert got == dict(expected)
    assert sum(got.values()) == len(coded_records())


def test_most_active_pairs(project: Path):
    counts = Counter(pair_text(p) for p, *_rest in coded_records())
    expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    rows = query(project, "coded-most-active-pairs")
    assert [(r["pair"], int(r["events"])) for r in rows] == expected
    assert rows[0]["pair"] == "PRK-USA" and {rows[0]["stateA"], rows[0]["stateB"]} == {"North Korea", "US"}


def test_mean_intensity_per_pair(project: Path):
    values: dict[str, list[float]] = defaultdict(list)
    for p, _m, _q, intensity, _c in coded_records():
        values[pair_text(p)].append(intensity)
    rows = query(project, "coded-mean-intensity")
    assert [r["pair"] for r in rows] == sorted(values)
    for r in rows:
        v = values[r["pair"]]
        assert int(r["events"]) == len(v)
        assert float(r["meanIntensity"]) == pytest.approx(sum(v) / len(v), abs=1e-9)
        assert int(r["cooperative"]) == sum(1 for x in v if x > 0)
        assert int(r["conflictual"]) == sum(1 for x in v if x < 0)


def test_plover_event_types_per_pair(project: Path):
    expected = Counter((pair_text(p), t) for p, _m, _q, _i, code in coded_records() if (t := plover_event_type(code)))
    rows = query(project, "coded-plover-types")
    assert {(r["pair"], r["eventType"]): int(r["events"]) for r in rows} == dict(expected)
    assert len(rows) == len(expected)


def test_coded_events_beside_the_curated_level_and_statements(project: Path):
    kaz_chn = [i for p, _m, _q, i, _c in coded_records() if p == ("CHN", "KAZ")]
    rows = query(project, "coded-beside-curated")
    # the seed's AZE-CHN has curated statements but no coded events in either sample: not listed
    assert [r["pair"] for r in rows] == ["CHN-KAZ"]
    row = rows[0]
    assert row["level"] == "https://w3id.org/diplograph/ns#ComprehensiveStrategicPartnership"
    assert int(row["curatedStatements"]) == 2  # the fixture's establishment and level statements
    assert int(row["codedEvents"]) == len(kaz_chn) == 1
    assert float(row["meanIntensity"]) == pytest.approx(sum(kaz_chn) / len(kaz_chn))
