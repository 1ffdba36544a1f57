(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("diplograph-data").textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function words(type) { return String(type).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(); }
  document.getElementById("dg-title").textContent = data.title;
  document.getElementById("dg-subtitle").textContent = data.subtitle;

  var state = { mode: "overview", rel: null, selected: null, hiddenLevels: {}, allLabels: false, ready: false };
  var byId = {}, relById = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  data.links.forEach(function (r) { relById[r.id] = r; });
  function name(id) { return byId[id] ? byId[id].full : String(id); }
  var LABEL_ZOOM = 1.4;  // from this zoom on, every state is named, not only the hubs

  // --- the overview: states and relationships ---------------------------------------------------
  function stateRecord(n) {
    return { id: n.id, label: n.hub || state.allLabels ? n.full : undefined, x: n.x, y: n.y, size: n.size, shape: "hexagon",
             color: { background: data.stateColour, border: "#174f80", highlight: { background: data.stateColour, border: "#111" },
                      hover: { background: data.stateColour, border: "#111" } } };
  }
  function relRecord(r) {
    return { id: r.id, from: r.a, to: r.b, width: r.width, hidden: !!state.hiddenLevels[r.level],
             color: { color: r.colour, highlight: "#111111", hover: "#111111" } };
  }
  var worldNodes = new vis.DataSet(data.nodes.map(stateRecord));
  var worldEdges = new vis.DataSet(data.links.map(relRecord));
  var options = {
    autoResize: true,
    nodes: { font: { size: 14, face: "system-ui, sans-serif", color: "#1b1b1b", strokeWidth: 3, strokeColor: "#ffffff" }, borderWidth: 1 },
    edges: { smooth: false, selectionWidth: 2, font: { size: 13, face: "system-ui, sans-serif", color: "#3d4650", strokeWidth: 4, strokeColor: "#ffffff" } },
    interaction: { hover: true, tooltipDelay: 120, keyboard: { enabled: false } },
    physics: { enabled: false },
    layout: { randomSeed: 7, improvedLayout: false },
  };
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: worldNodes, edges: worldEdges }, options);
  window.network = network;

  // Tooltips are built when first hovered, from the data (nothing is prebuilt for every line).
  function levelText(r) {
    if (!r.levels.length) return "no level recorded";
    var last = r.levels[r.levels.length - 1];
    return last[0] + (last[1] ? " since " + last[1] : "");
  }
  function eventsText(r) {
    if (!r.events) return "";
    return r.events + " machine-coded event" + (r.events === 1 ? "" : "s") + (r.intensity !== null ? ", mean intensity " + (r.intensity > 0 ? "+" : "") + r.intensity.toFixed(2) : "");
  }
  function statementCount(r) { return r.statements.reduce(function (s, k) { return s + k[2]; }, 0); }
  function relTip(r) {
    var box = el("div", "dg-tip");
    box.appendChild(el("h3", null, name(r.a) + " \u2194 " + name(r.b)));
    box.appendChild(el("div", "dg-meta", levelText(r)));
    var facts = [eventsText(r), statementCount(r) + " statements"].filter(Boolean).join(" · ");
    box.appendChild(el("div", null, facts));
    box.appendChild(el("div", "dg-more", "click for its network"));
    return box;
  }
  function stateTip(n) {
    var box = el("div", "dg-tip");
    box.appendChild(el("h3", null, n.full));
    box.appendChild(el("div", "dg-meta", [n.iso, n.degree + " bilateral relationship" + (n.degree === 1 ? "" : "s")].filter(Boolean).join(" · ")));
    return box;
  }
  network.on("hoverEdge", function (p) {
    if (state.mode === "overview" && relById[p.edge] && !worldEdges.get(p.edge).title) worldEdges.update({ id: p.edge, title: relTip(relById[p.edge]) });
  });
  network.on("hoverNode", function (p) {
    if (state.mode === "overview" && byId[p.node] && !worldNodes.get(p.node).title) worldNodes.update({ id: p.node, title: stateTip(byId[p.node]) });
  });
  // Hub labels keep about 13 px on screen at any zoom of the overview.
  var hubFont = 0;
  function sizeHubLabels() {
    var size = Math.round(Math.max(14, 13 / network.getScale()));
    if (size === hubFont) return;
    hubFont = size;
    worldNodes.update(data.nodes.filter(function (n) { return n.hub; }).map(function (n) { return { id: n.id, font: { size: size } }; }));
  }
  network.on("zoom", function () {
    if (state.mode !== "overview") return;
    sizeHubLabels();
    var all = network.getScale() >= LABEL_ZOOM;
    if (all === state.allLabels) return;
    state.allLabels = all;
    worldNodes.update(data.nodes.filter(function (n) { return !n.hub; }).map(function (n) { return { id: n.id, label: all ? n.full : "" }; }));
  });

  // --- the panel ----------------------------------------------------------------------------------
  var panel = document.getElementById("dg-panel"), panelBody = document.getElementById("panel-body");
  dgShare.keepTipOffPanel(network, container, panel);
  function openPanel(content) { panelBody.replaceChildren(content); panel.hidden = false; }
  function relButton(r, text) {
    var b = el("button", "dg-neighbour", text);
    b.type = "button"; b.dataset.rel = r.id;
    b.addEventListener("click", function () { openRelationship(r.id); });
    return b;
  }
  function statePanel(id) {
    var n = byId[id];
    var box = el("div", "dg-full");
    box.appendChild(el("h3", "dg-heading", n.full));
    box.appendChild(el("div", "dg-meta", [n.iso, n.degree + " bilateral relationships"].filter(Boolean).join(" · ")));
    var list = el("ul", "dg-nlist");
    data.links.filter(function (r) { return r.a === id || r.b === id; })
      .sort(function (x, y) { return name(x.a === id ? x.b : x.a).localeCompare(name(y.a === id ? y.b : y.a)); })
      .forEach(function (r) {
        var li = el("li");
        li.appendChild(relButton(r, name(r.a === id ? r.b : r.a)));
        li.appendChild(el("span", "dg-nkind", " " + levelText(r) + (r.events ? " · " + r.events + " coded events" : "")));
        list.appendChild(li);
      });
    box.appendChild(list);
    listKeys(list);
    return box;
  }
  // Arrow keys move between the buttons of a list (Tab works too).
  function listKeys(list) {
    list.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
      var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
      var i = buttons.indexOf(document.activeElement);
      if (i < 0) return;
      ev.preventDefault();
      buttons[(i + (ev.key === "ArrowDown" ? 1 : buttons.length - 1)) % buttons.length].focus();
    });
  }
  function relPanel(r) {
    var box = el("div", "dg-full");
    box.appendChild(el("h3", "dg-heading", r.label));
    box.appendChild(el("div", "dg-meta", name(r.a) + " \u2194 " + name(r.b)));
    var table = el("table", "dg-details");
    function row(k, v) { var tr = el("tr"); tr.appendChild(el("td", null, k)); tr.appendChild(el("td", null, v)); table.appendChild(tr); }
    r.levels.forEach(function (lv) { row("level", lv[0] + (lv[1] ? " since " + lv[1] : "")); });
    if (r.events) row("coded events", eventsText(r));
    var types = {}, order = [];
    r.statements.forEach(function (k) {
      if (!types[k[0]]) { types[k[0]] = []; order.push(k[0]); }
      types[k[0]].push(k[2] + " " + (k[1] || "no modality"));
    });
    order.forEach(function (t) { row(words(t), types[t].join(", ")); });
    box.appendChild(table);
    box.appendChild(el("div", "dg-hint", "Every statement with its sources: diplograph viz --view detail --focus \u201c" + name(r.a) + "\u201d"));
    box.appendChild(el("div", "dg-iri", r.id));
    return box;
  }

  // --- a relationship's own network, drawn on demand from the embedded counts ----------------------
  var SAID = { "claim": 1, "plan": 1, "projection": 1 };
  function detailData(r) {
    var nodes = [], edges = [];
    function st(id) { return { id: id, label: name(id), shape: "hexagon", size: 24, color: { background: data.stateColour, border: "#174f80" } }; }
    nodes.push(st(r.a), st(r.b));
    nodes.push({ id: "rel", label: r.label + "\n" + levelText(r), shape: "star", size: 28, color: { background: data.relationshipColour, border: "#8a3c00" } });
    edges.push({ id: "pa", from: r.a, to: "rel", color: { color: "#b85000" }, width: 2 });
    edges.push({ id: "pb", from: r.b, to: "rel", color: { color: "#b85000" }, width: 2 });
    var byType = {}, order = [];
    r.statements.forEach(function (k) {
      if (!byType[k[0]]) { byType[k[0]] = { n: 0, modalities: {} }; order.push(k[0]); }
      byType[k[0]].n += k[2];
      byType[k[0]].modalities[k[1] || "reported fact"] = (byType[k[0]].modalities[k[1] || "reported fact"] || 0) + k[2];
    });
    order.forEach(function (type, i) {
      var t = byType[type];
      var mods = Object.keys(t.modalities).sort();
      var solid = mods.some(function (m) { return !SAID[m]; });
      var said = mods.filter(function (m) { return SAID[m]; });
      var badges = said.map(function (m) { return data.modalities[m] ? data.modalities[m].badge : "?"; });
      nodes.push({ id: "k" + i, label: t.n + " " + words(type), shape: "box", color: { background: "#f4f6f8", border: "#5a6b7b" },
                   font: { size: 13 }, margin: 6 });
      edges.push({ id: "e" + i, from: "rel", to: "k" + i, color: { color: "#5a6b7b" },
                   dashes: solid ? false : (data.modalities[said[0]] || {}).dashes || [4, 4],
                   label: said.length ? "[" + badges.join(" ") + "] " + said.map(function (m) { return t.modalities[m] + " " + m; }).join(", ") : undefined });
    });
    if (r.events) {
      nodes.push({ id: "coded", label: eventsText(r), shape: "box", color: { background: "#fdf3e7", border: "#9a6f12" }, margin: 6 });
      edges.push({ id: "ec", from: "rel", to: "coded", color: { color: "#9a6f12" }, dashes: [2, 4] });
    }
    return { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) };
  }
  var back = document.getElementById("back-to-world");
  function openRelationship(id) {
    var r = relById[id];
    if (!r) return false;
    state.mode = "detail"; state.rel = id; state.selected = null;
    network.setOptions({ physics: { enabled: true, solver: "forceAtlas2Based", stabilization: { enabled: true, iterations: 200, fit: true } },
                         edges: { arrows: { to: { enabled: false } } } });
    network.setData(detailData(r));
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: { enabled: false } }); network.fit(); });
    openPanel(relPanel(r));
    back.hidden = false;
    document.getElementById("dg-subtitle").textContent = r.label + " · its own network";
    share();
    return true;
  }
  function showWorld() {
    if (state.mode === "overview") return;
    state.mode = "overview"; state.rel = null;
    network.setOptions({ physics: { enabled: false } });
    network.setData({ nodes: worldNodes, edges: worldEdges });
    back.hidden = true;
    document.getElementById("dg-subtitle").textContent = data.subtitle;
    network.fit();
  }
  function selectState(id) {
    if (!byId[id]) return false;
    showWorld();
    state.selected = id;
    network.selectNodes([id]);
    openPanel(statePanel(id));
    select.value = id;
    share();
    return true;
  }
  function clearSelection() {
    panel.hidden = true;
    showWorld();
    state.selected = null;
    network.unselectAll();
    share();
  }
  back.addEventListener("click", clearSelection);
  document.getElementById("panel-close").addEventListener("click", clearSelection);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") clearSelection(); });
  network.on("click", function (p) {
    if (state.mode !== "overview") return;
    if (p.nodes.length) selectState(p.nodes[0]);
    else if (p.edges.length) openRelationship(p.edges[0]);
    else clearSelection();
  });

  // --- search and select menu ----------------------------------------------------------------------
  var search = document.getElementById("node-search"), select = document.getElementById("node-select");
  var sorted = data.nodes.slice().sort(function (a, b) { return a.full.localeCompare(b.full); });
  function fillSelect() {
    var q = search.value.trim().toLowerCase();
    select.replaceChildren();
    var first = el("option", null, q ? "Matches for \u201c" + search.value.trim() + "\u201d…" : "Select a state (" + sorted.length + ")…");
    first.value = ""; select.appendChild(first);
    var hits = sorted.filter(function (n) { return !q || n.full.toLowerCase().indexOf(q) >= 0 || n.iso.toLowerCase() === q; });
    hits.sort(function (a, b) { return (a.full.toLowerCase().indexOf(q) === 0 ? 0 : 1) - (b.full.toLowerCase().indexOf(q) === 0 ? 0 : 1); });
    hits.forEach(function (n) { var o = el("option", null, n.full + (n.iso ? " (" + n.iso + ")" : "")); o.value = n.id; select.appendChild(o); });
    return hits.length;
  }
  select.addEventListener("change", function () { if (select.value) selectState(select.value); });
  search.addEventListener("input", function () { if (fillSelect() === 1) { select.selectedIndex = 1; selectState(select.value); } });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter" && select.options.length > 1) { select.selectedIndex = 1; selectState(select.value); } });
  document.getElementById("node-reset").addEventListener("click", function () { search.value = ""; fillSelect(); clearSelection(); });
  fillSelect();

  // --- legend: the latest level, a filter; collapsible ------------------------------------------------
  var levelBox = document.getElementById("legend-levels");
  data.levels.forEach(function (item) {
    var label = el("label", "legend-item");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.dataset.level = item.level;
    box.setAttribute("aria-label", "show relationships whose latest level is " + item.name);
    box.addEventListener("change", function () { state.hiddenLevels[item.level] = !box.checked; applyLevels(); share(); });
    var swatch = el("span", "legend-line"); swatch.style.background = item.colour;
    label.appendChild(box); label.appendChild(swatch);
    label.appendChild(el("span", null, item.name)); label.appendChild(el("span", "legend-count", "(" + item.count + ")"));
    levelBox.appendChild(label);
  });
  function applyLevels() {
    worldEdges.update(data.links.map(function (r) { return { id: r.id, hidden: !!state.hiddenLevels[r.level] }; }));
    levelBox.querySelectorAll("input").forEach(function (b) { b.checked = !state.hiddenLevels[b.dataset.level]; });
  }
  var legendToggle = document.getElementById("legend-toggle"), legend = document.getElementById("dg-legend");
  legendToggle.addEventListener("click", function () {
    var open = legendToggle.getAttribute("aria-expanded") !== "true";
    legendToggle.setAttribute("aria-expanded", String(open));
    legend.classList.toggle("collapsed", !open);
  });
  if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) legendToggle.click();  // a phone: folded

  // --- sharing: the view in the fragment, the drawing as a PNG ----------------------------------------
  function share() {
    if (!state.ready) return;
    var hidden = data.levels.filter(function (l) { return state.hiddenLevels[l.level]; }).map(function (l) { return l.level || "-"; });
    dgShare.write({ rel: state.rel || "", state: state.mode === "overview" ? state.selected || "" : "", hide: hidden.join("|") });
  }
  function restore() {
    var view = dgShare.read();
    (view.hide ? view.hide.split("|") : []).forEach(function (lv) { state.hiddenLevels[lv === "-" ? "" : lv] = true; });
    applyLevels();
    if (view.rel && relById[view.rel]) openRelationship(view.rel);
    else if (view.state && byId[view.state]) selectState(view.state);
  }
  dgShare.png(container, document.getElementById("save-png"));

  window.diplograph = { network: network, state: state, ready: false, openRelationship: openRelationship, selectState: selectState,
                        clearSelection: clearSelection, showWorld: showWorld, links: data.links };
  network.once("afterDrawing", function () {
    sizeHubLabels();
    state.ready = true;
    restore();
    window.diplograph.ready = true; window.diplograph.readyAt = performance.now();
    document.body.dataset.ready = "true";
  });
})();
