(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("diplograph-data").textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // Tooltip / panel content, built from text nodes only: data is never parsed as HTML.
  function describe(tip, full) {
    var box = el("div", full ? "dg-full" : "dg-tip");
    box.appendChild(el("h3", null, tip.heading));
    var meta = [tip.kind, tip.date].filter(Boolean).join(" · ");
    if (meta) box.appendChild(el("div", "dg-meta", meta));
    var details = tip.details || [];
    var shown = full ? details : details.slice(0, 10);
    if (shown.length) {
      var table = el("table", "dg-details");
      shown.forEach(function (kv) {
        var tr = el("tr");
        tr.appendChild(el("td", null, kv[0]));
        tr.appendChild(el("td", null, kv[1]));
        table.appendChild(tr);
      });
      box.appendChild(table);
      if (details.length > shown.length) box.appendChild(el("div", "dg-more", "… " + (details.length - shown.length) + " more: click for all"));
    }
    var prov = tip.provenance || [];
    if (prov.length) {
      box.appendChild(el("div", "dg-meta", "Sources (" + prov.length + ")"));
      var list = el("ul", "dg-prov");
      (full ? prov : prov.slice(0, 3)).forEach(function (p) {
        var li = el("li");
        if (p.evidence) li.appendChild(el("div", "dg-quote", "\u201c" + p.evidence + "\u201d"));
        var by = [p.speaker && ("said by " + p.speaker), p.modality, p.occasion && ("at " + p.occasion)].filter(Boolean).join(" · ");
        if (by) li.appendChild(el("div", "dg-by", by));
        (p.sources || []).forEach(function (s) { li.appendChild(sourceLine(s)); });
        list.appendChild(li);
      });
      box.appendChild(list);
      if (!full && prov.length > 3) box.appendChild(el("div", "dg-more", "… " + (prov.length - 3) + " more: click for all"));
    }
    if (full && tip.iri) box.appendChild(el("div", "dg-iri", tip.iri));
    return box;
  }
  // A source: its title, and its address as a link only when it is https: (checked here again).
  function sourceLine(s) {
    var line = el("div", "dg-source", "source: " + (s.title && s.title !== s.url ? s.title : ""));
    var url = String(s.url || "");
    var ok = false;
    try { ok = /^https:\/\/[^\s"'<>\\]+$/.test(url) && new URL(url).protocol === "https:"; } catch (e) { ok = false; }
    if (ok) {
      if (s.title && s.title !== url) line.appendChild(document.createTextNode(" "));
      var a = el("a", "dg-url", url);
      a.href = url; a.rel = "noopener noreferrer"; a.target = "_blank";
      line.appendChild(a);
    } else if (url) {
      line.appendChild(document.createTextNode(" " + url));
    }
    return line;
  }
  document.getElementById("dg-title").textContent = data.title;
  document.getElementById("dg-subtitle").textContent = data.subtitle || "";

  var byId = {};
  data.nodes.forEach(function (n) { n.title = describe(n.tip, false); byId[n.id] = n; });
  data.edges.forEach(function (e) { e.title = describe(e.tip, false); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var state = { ready: false, readyAt: null, hiddenKinds: {} };
  window.network = network;
  window.diplograph = { network: network, nodes: nodes, edges: edges, state: state, ready: false, selectNode: selectNode };

  function markReady() {
    if (state.ready) return;
    state.ready = true; state.readyAt = performance.now();
    window.diplograph.ready = true; window.diplograph.readyAt = state.readyAt;
    document.body.dataset.ready = "true";
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });  // freeze: stop the simulation
      network.fit();
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  // Detail panel (click).
  var panel = document.getElementById("dg-panel");
  var panelBody = document.getElementById("panel-body");
  function showPanel(tip) {
    panelBody.replaceChildren(describe(tip, true));
    panel.hidden = false;
  }
  document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(byId[params.nodes[0]].tip); syncSelect(params.nodes[0]); }
    else if (params.edges.length) { var e = edges.get(params.edges[0]); if (e) showPanel(e.tip); }
    else panel.hidden = true;
  });

  // Search and select menu (plain DOM; option text set with textContent).
  var search = document.getElementById("node-search");
  var select = document.getElementById("node-select");
  var sorted = data.nodes.slice().sort(function (a, b) { return a.full.localeCompare(b.full); });
  function fillSelect() {
    var q = search.value.trim().toLowerCase();
    var keep = select.value;
    select.replaceChildren();
    var first = el("option", null, q ? "Matches for \u201c" + search.value.trim() + "\u201d…" : "Select a node (" + sorted.length + ")…");
    first.value = "";
    select.appendChild(first);
    var hits = sorted.filter(function (n) {
      if (state.hiddenKinds[n.kind]) return false;
      return !q || n.full.toLowerCase().indexOf(q) >= 0 || String(n.id).toLowerCase().indexOf(q) >= 0;
    });
    // Labels that start with the query come first.
    var starts = function (n) { return q && n.full.toLowerCase().indexOf(q) === 0 ? 0 : 1; };
    hits.sort(function (a, b) { return starts(a) - starts(b); });
    hits.forEach(function (n) {
      var o = el("option", null, n.full + " \u2014 " + (n.tip.kind || n.kind));
      o.value = n.id;
      select.appendChild(o);
    });
    select.value = keep;
    if (select.value !== keep) select.value = "";
    return { count: hits.length, prefix: hits.filter(function (n) { return starts(n) === 0; }).length };
  }
  function syncSelect(id) { if (select.querySelector("option") && byId[id]) { select.value = id; } }
  function selectNode(id) {
    if (!byId[id]) return false;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showPanel(byId[id].tip);
    select.value = id;
    return true;
  }
  select.addEventListener("change", function () { if (select.value) selectNode(select.value); });
  search.addEventListener("input", function () {
    var found = fillSelect();
    if (found.count === 1 || found.prefix === 1) { select.selectedIndex = 1; selectNode(select.value); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && select.options.length > 1) { select.selectedIndex = 1; selectNode(select.value); }
  });
  document.getElementById("node-reset").addEventListener("click", function () {
    search.value = ""; fillSelect(); select.value = ""; network.unselectAll(); panel.hidden = true; network.fit();
  });
  fillSelect();

  // Legend that is also the filter by kind.
  var SVGNS = "http://www.w3.org/2000/svg";
  function swatch(shape, colour) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    var s;
    var polys = {
      hexagon: "8,1 14,4.5 14,11.5 8,15 2,11.5 2,4.5", diamond: "8,1 15,8 8,15 1,8", triangle: "8,2 15,14 1,14",
      star: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.7 3.5,15 5,9.5 1,6 6,6", square: "2,2 14,2 14,14 2,14"
    };
    if (polys[shape]) { s = document.createElementNS(SVGNS, "polygon"); s.setAttribute("points", polys[shape]); }
    else { s = document.createElementNS(SVGNS, "circle"); s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6"); }
    s.setAttribute("fill", colour); s.setAttribute("stroke", "#333"); s.setAttribute("stroke-width", "0.6");
    svg.appendChild(s);
    return svg;
  }
  var legendBox = document.getElementById("legend-items");
  data.legend.forEach(function (item) {
    var label = el("label", "legend-item");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.dataset.kind = item.kind;
    box.setAttribute("aria-label", "show " + item.name);
    box.addEventListener("change", function () {
      state.hiddenKinds[item.kind] = !box.checked;
      var ids = nodes.getIds({ filter: function (n) { return n.kind === item.kind; } });
      nodes.update(ids.map(function (id) { return { id: id, hidden: !box.checked }; }));
      fillSelect();
    });
    label.appendChild(box);
    label.appendChild(swatch(item.shape, item.colour));
    label.appendChild(el("span", null, item.name));
    label.appendChild(el("span", "legend-count", "(" + item.count + ")"));
    legendBox.appendChild(label);
  });
  if (data.focus && byId[data.focus]) network.once("afterDrawing", function () { network.selectNodes([data.focus]); });
})();
