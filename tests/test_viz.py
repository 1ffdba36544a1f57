"""The network HTML as a file: self-contained, escaped, written atomically; the `viz` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import run_cli
from diplograph.projection import project
from diplograph.viz import json_for_script, render_html, write_network_html

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "fixtures" / "hostile.ttl"


@pytest.fixture(scope="module")
def seed_dataset(project_datasets):
    return project_datasets.get("memory")


def page_data(text: str) -> dict:
    block = re.search(r'<script type="application/json" id="diplograph-data">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def test_json_for_script_escapes_what_could_end_a_script():
    value = {"label": "</script><script>alert(2)</script> & \u2028\u2029 <!--"}
    text = json_for_script(value)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_seed_page_is_one_self_contained_file(seed_dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = write_network_html(seed_dataset, tmp_path / "site" / "network.html")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["network.html", "site"]  # no lib/, no temp file
    text = out.read_text(encoding="utf-8")
    # No external resource of any kind: no src/href attributes, no <link>, no @import, no url(http…).
    assert not re.search(r"<(script|img|iframe|link)[^>]*\s(src|href)\s*=", text, re.I)
    assert "<link" not in text.lower()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "@import" not in text
    assert "cdn.jsdelivr" not in text and "cdnjs.cloudflare" not in text
    assert text.count("</script>") == 3  # data block, vis-network, the page script
    data = page_data(text)
    G = project(seed_dataset)
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["links"]) == G.number_of_edges()
    assert {n["kind"] for n in data["nodes"]} == {"state", "person", "organisation", "event", "relationship", "issue"}
    assert all("title" not in n and "tip" in n for n in data["nodes"] + data["links"])  # tooltips built as DOM
    assert data["physics"] is True
    assert out.stat().st_mode & 0o777 == 0o644
    assert 500_000 < out.stat().st_size < 1_200_000


def test_hostile_strings_stay_data(tmp_path):
    G = project(Graph().parse(HOSTILE))
    out = render_html(G, tmp_path / "hostile.html", title="<script>alert('title')</script>")
    text = out.read_text(encoding="utf-8")
    for needle in ("<img src=x", "</script><script>alert(2)", "<svg onload", "<iframe", "<script>alert(5)", "alert('title')</script>", "<!--"):
        assert needle not in text, needle
    assert text.count("</script>") == 3
    assert "\u2028" not in text and "\u2029" not in text
    data = page_data(text)
    labels = {n["full"] for n in data["nodes"]}
    assert "<img src=x onerror=alert(1)>" in labels and "</script><script>alert(2)</script>" in labels
    assert "javascript:alert(3)" in {n["id"] for n in data["nodes"]}
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in text  # the <title> is html-escaped


def test_large_graph_gets_a_precomputed_layout_and_no_physics(tmp_path):
    import networkx as nx

    base = nx.gnm_random_graph(600, 900, seed=1)
    G = nx.MultiDiGraph()
    for n in base:
        G.add_node(str(n), kind="state", label=f"S{n}", details=[], provenance=[])
    for u, v in base.edges():
        G.add_edge(str(u), str(v), kind="member of", label="x", details=[], provenance=[])
    data = page_data(render_html(G, tmp_path / "big.html").read_text(encoding="utf-8"))
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float) for n in data["nodes"])


def test_write_is_atomic_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    import diplograph.files as files
    from diplograph.errors import OutputPathError

    target = tmp_path / "network.html"
    target.write_text("old", encoding="utf-8")
    G = project(Graph().parse(HOSTILE))

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OutputPathError) as info:
        render_html(G, target)
    assert info.value.path == target and "disk full" in str(info.value) and info.value.exit_code == 2
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["network.html"]


# --- the command line -------------------------------------------------------------------------


def test_cli_viz_writes_the_page(tmp_path):
    out = tmp_path / "n.html"
    result = run_cli("viz", "-o", str(out), "--until", "2024-07-02", cwd=tmp_path, home=REPO)
    assert result.returncode == 0, result.stderr
    assert out.is_file() and "wrote" in result.stdout
    data = page_data(out.read_text(encoding="utf-8"))
    assert "as of 2024-07-02" in data["subtitle"]
    assert not any(e["kind"] == "partner" for e in data["links"])
    assert not (tmp_path / "lib").exists()


def test_cli_viz_focus(tmp_path):
    out = tmp_path / "n.html"
    result = run_cli("viz", "-o", str(out), "--focus", "Ilham Aliyev", "--radius", "1", cwd=tmp_path, home=REPO)
    assert result.returncode == 0, result.stderr
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["focus"] == "https://w3id.org/diplograph/id/person/ilham-aliyev"
    assert {n["full"] for n in data["nodes"] if n["kind"] == "person"} == {"Ilham Aliyev", "Xi Jinping"}


def test_cli_viz_unknown_focus(tmp_path):
    result = run_cli("viz", "-o", str(tmp_path / "n.html"), "--focus", "Aliev", cwd=tmp_path, home=REPO)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Ilham Aliyev" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "n.html").exists()


@pytest.mark.parametrize("bad", ["2024-02-30", "03/07/2024", "tomorrow"])
def test_cli_viz_bad_date(tmp_path, bad):
    result = run_cli("viz", "-o", str(tmp_path / "n.html"), "--until", bad, cwd=tmp_path, home=REPO)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "YYYY-MM-DD" in result.stderr


def test_cli_viz_help_documents_every_option(tmp_path):
    result = run_cli("viz", "--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in ("--output", "--focus", "--until", "--radius"):
        assert option in result.stdout
