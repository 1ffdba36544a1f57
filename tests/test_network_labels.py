"""Edge labels of the detailed network page (issue 15, item 4): drawn by the page where they cover
no other label and no node, and only at a zoom where they are legible.

Headless Chromium with every request blocked (the ``watched`` fixture of test_network_page). Node
boxes are computed here from vis's own records (shape and label), not from the page's code.
"""

from __future__ import annotations

import pytest

from coded_util import copy_project
from diplograph.dataset import assemble
from diplograph.project import Project
from diplograph.viz import write_network_html
from test_network_page import ARTIFACTS, browser, dataset, seed_page, watched  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

ID = "https://w3id.org/diplograph/id/"

# Every fillText call with its text and point, so a test sees what was drawn, not what was meant.
RECORD_TEXT = """(() => {
  const fill = CanvasRenderingContext2D.prototype.fillText;
  window.__texts = [];
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
    window.__texts.push({text: String(text), x: x, y: y});
    return fill.apply(this, arguments);
  };
})();"""

LAYOUT = """() => {
  const box = n => { const b = n.shape.boundingBox, l = n.labelModule.size;
    return l && l.width ? {left: Math.min(b.left, l.left), top: Math.min(b.top, l.top), right: Math.max(b.right, l.left + l.width),
                           bottom: Math.max(b.bottom, l.top + l.height)} : {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
  window.__texts = [];
  network.redraw();
  return {
    boxes: diplograph.labelBoxes(),
    placed: diplograph.placedLabels().map(b => b.id),
    nodes: network.body.nodeIndices.map(id => network.body.nodes[id]).filter(n => !n.options.hidden).map(box),
    edges: network.body.data.edges.get().map(e => ({id: e.id, from: e.from, to: e.to, caption: e.caption, text: e.text,
                                                     label: e.label === undefined ? null : e.label, title: e.title.textContent})),
    texts: window.__texts,
    legible: diplograph.labelsLegible(), scale: network.getScale(),
  };
}"""


def meets(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def open_page(watched, path, width=1400, height=900):  # noqa: F811
    watched.page.set_viewport_size({"width": width, "height": height})
    watched.page.add_init_script(RECORD_TEXT)
    return watched.open(path)


@pytest.fixture(scope="module")
def three_page(tmp_path_factory):
    """The seed merged with two invented bilateral graphs (as test_overview_page's three-relationship test)."""
    from synthetic import generate_bilateral_graph

    root = copy_project(tmp_path_factory.mktemp("three") / "three")
    for seed, (a, b) in enumerate((("CHN", "KAZ"), ("AZE", "TUR")), start=3):
        generate_bilateral_graph(seed, a, b, size=400).serialize(root / "graphs" / f"fixture-{a}-{b}.ttl", format="turtle")
    return write_network_html(assemble(Project(root), store="memory"), root / "three.html")


def check_layout(view: dict, half: bool = True) -> None:
    """The drawn labels overlap nothing, at least half the pairs have one (``half``), the rest keep their summary."""
    boxes, edges = view["boxes"], {e["id"]: e for e in view["edges"]}
    assert all(e["label"] is None for e in edges.values())  # vis draws no label of its own
    assert len({b["id"] for b in boxes}) == len(boxes) and {b["id"] for b in boxes} <= set(edges)
    crossed = [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if meets(a, b)]
    assert crossed == []
    on_nodes = [b["id"] for b in boxes for n in view["nodes"] if meets(b, n)]
    assert on_nodes == []
    assert not half or 2 * len(boxes) >= len(edges), f"{len(boxes)} of {len(edges)} pairs labelled"
    # Each drawn label is its caption, or one line: the caption's start and "…" (when only that fits);
    # its lines were filled inside its box; no other pair's caption was drawn.
    for b in boxes:
        caption = edges[b["id"]]["caption"]
        assert b["lines"] == caption.split("\n") or (
            len(b["lines"]) == 1 and b["lines"][0].endswith(" \u2026") and caption.startswith(b["lines"][0][:-2]) and "\n" in caption), b
        for line in b["lines"]:
            assert [t for t in view["texts"] if t["text"] == line and abs(t["x"] - b["x"]) < 1 and b["top"] <= t["y"] <= b["bottom"]], line
    drawn_ids = {b["id"] for b in boxes}
    others = {line for e in edges.values() if e["id"] not in drawn_ids for line in e["caption"].split("\n")}
    others -= {line for b in boxes for line in edges[b["id"]]["caption"].split("\n") + b["lines"]}
    assert not [t for t in view["texts"] if t["text"] in others]
    # A pair without a drawn label: its summary (badges and all) is in its tooltip.
    for e in edges.values():
        if e["id"] not in drawn_ids:
            assert e["text"] and e["text"] in e["title"], e["id"]


@pytest.mark.parametrize("which,width,height", [("seed", 1600, 1000), ("seed", 1280, 720), ("three", 1600, 1000)])
def test_drawn_labels_cover_no_label_and_no_node(watched, seed_page, three_page, which, width, height):  # noqa: F811
    page = open_page(watched, seed_page if which == "seed" else three_page, width, height)
    view = page.evaluate(LAYOUT)
    assert view["legible"] and view["boxes"]
    check_layout(view)
    # After a filter (as of a day) the placement is redone for the lines still drawn.
    page.evaluate("d => diplograph.setAsOf(d)", "2024-07-02")
    cut = page.evaluate(LAYOUT)
    check_layout(cut)
    assert {e["id"] for e in cut["edges"]} < {e["id"] for e in view["edges"]}
    page.evaluate("() => diplograph.setAsOf(null)")
    if which == "three":
        page.screenshot(path=str(ARTIFACTS / "network-three-relationships-labels.png"))


def test_labels_only_at_a_legible_zoom(watched, seed_page):  # noqa: F811
    page = open_page(watched, seed_page, 1600, 1000)
    before = page.evaluate(LAYOUT)
    assert before["legible"] and before["boxes"]
    least = page.evaluate("diplograph.minLabelPx / JSON.parse(document.getElementById('diplograph-data').textContent).options.edges.font.size")
    page.evaluate("s => network.moveTo({scale: s})", least * 0.9)
    far = page.evaluate(LAYOUT)
    assert not far["legible"] and far["boxes"] == []
    captions = {line for e in far["edges"] for line in e["caption"].split("\n")}
    assert not [t for t in far["texts"] if t["text"] in captions]  # nothing drawn, not even tiny
    page.evaluate("s => network.moveTo({scale: s})", least * 1.5)
    near = page.evaluate(LAYOUT)
    assert near["legible"] and sorted(b["id"] for b in near["boxes"]) == sorted(b["id"] for b in before["boxes"])
    check_layout(near)


def test_a_selected_node_gets_its_lines_labelled_first(watched, seed_page):  # noqa: F811
    page = open_page(watched, seed_page, 1600, 1000)
    view = page.evaluate(LAYOUT)
    placed = set(view["placed"])
    ends = {}
    for e in view["edges"]:
        for end in (e["from"], e["to"]):
            ends.setdefault(end, set()).add(e["id"])
    gained = 0
    for node, lines in sorted(ends.items()):
        page.evaluate("id => diplograph.selectNode(id)", node)
        now = page.evaluate(LAYOUT)
        mine = set(now["placed"])
        assert mine <= lines  # dimmed lines draw no label
        assert len(mine) >= len(placed & lines), node  # the node's lines never lose a label
        gained += bool(mine - placed)
        check_layout(dict(now, edges=[e for e in now["edges"] if e["id"] in lines]), half=False)  # the dimmed have none
    assert gained >= 3  # labels that did not fit before are placed once one of their ends is selected
    page.keyboard.press("Escape")
    assert sorted(page.evaluate(LAYOUT)["placed"]) == sorted(placed)


def test_clicking_a_label_opens_its_line(watched, seed_page):  # noqa: F811
    page = open_page(watched, seed_page, 1600, 1000)
    boxes = page.evaluate(LAYOUT)["boxes"]
    for b in boxes:  # a corner of a label that is on no line and no node
        point = page.evaluate("""b => { const d = network.canvasToDOM({x: b.right - 3, y: b.top + 3});
            return network.getNodeAt(d) === undefined && network.getEdgeAt(d) === undefined
              ? (r => ({x: d.x + r.left, y: d.y + r.top}))(document.getElementById('mynetwork').getBoundingClientRect()) : null; }""", b)
        if point:
            page.mouse.click(point["x"], point["y"])
            assert page.evaluate("diplograph.state.edge") == b["id"]
            assert page.locator("#dg-panel").is_visible()
            return
    pytest.fail("no drawn label has a free corner")


def test_labels_are_placed_again_after_a_node_is_dragged(watched, seed_page):  # noqa: F811
    page = open_page(watched, seed_page, 1600, 1000)
    view = page.evaluate(LAYOUT)
    node = ID + "person/ding-xuexiang"
    target = next(b for b in view["boxes"] if node not in b["id"])  # another pair's label: drop the node on it
    start, end = page.evaluate("""([id, b]) => { const r = document.getElementById('mynetwork').getBoundingClientRect();
        const dom = p => { const d = network.canvasToDOM(p); return {x: d.x + r.left, y: d.y + r.top}; };
        return [dom(network.getPositions([id])[id]), dom({x: b.x, y: b.y})]; }""", [node, target])
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(end["x"], end["y"], steps=12)
    page.mouse.up()
    moved = page.evaluate("id => network.getPositions([id])[id]", node)
    assert abs(moved["x"] - target["x"]) < 20 and abs(moved["y"] - target["y"]) < 20  # the node is where the label was
    after = page.evaluate(LAYOUT)
    check_layout(after, half=False)
    assert [b for b in after["boxes"] if b["id"] == target["id"]] != [b for b in view["boxes"] if b["id"] == target["id"]]
