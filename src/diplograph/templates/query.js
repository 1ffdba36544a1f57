// The query page of `diplograph serve`: it talks to this server only (/query), and builds every
// piece of the answer with textContent, so nothing in the data is ever read as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const text = $("dq-text"), run = $("dq-run"), status = $("dq-status"), result = $("dq-result");
  const examples = $("dq-examples"), summary = $("dq-summary"), download = $("dq-download");
  let named = [];
  try { named = JSON.parse($("dq-named").textContent); } catch (e) { named = []; }
  $("dq-endpoint").textContent = location.origin + "/query";

  for (const q of named) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.name + (q.summary ? " — " + q.summary : "");
    examples.appendChild(option);
  }
  examples.addEventListener("change", () => {
    const q = named.find((n) => n.name === examples.value);
    summary.textContent = q ? q.summary : "";
    if (q) text.value = q.text;
  });

  function cell(term) {
    const td = document.createElement("td");
    if (!term) { td.className = "dq-unbound"; td.textContent = "—"; return td; }
    const value = document.createElement("span");
    value.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
    if (term.type === "uri") value.className = "dq-iri";
    td.appendChild(value);
    const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? " " + shortType(term.datatype) : "";
    if (note) {
      const meta = document.createElement("span");
      meta.className = "dq-meta";
      meta.textContent = note;
      td.appendChild(meta);
    }
    return td;
  }
  function shortType(iri) {
    const xsd = "http://www.w3.org/2001/XMLSchema#";
    return iri.startsWith(xsd) ? "xsd:" + iri.slice(xsd.length) : "<" + iri + ">";
  }
  function csvOf(vars, rows) {
    const quote = (s) => /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    const lines = [vars.map(quote).join(",")];
    for (const row of rows) lines.push(vars.map((v) => quote(row[v] ? row[v].value : "")).join(","));
    return lines.join("\r\n") + "\r\n";
  }
  function table(json) {
    const vars = json.head.vars || [];
    const rows = json.results.bindings;
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = "?" + v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    result.appendChild(t);
    if (download.href) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([csvOf(vars, rows)], { type: "text/csv" }));
    download.hidden = false;
    return rows.length + (rows.length === 1 ? " row" : " rows");
  }

  async function execute() {
    run.disabled = true;
    result.replaceChildren();
    download.hidden = true;
    status.className = "";
    status.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch("/query", {
        method: "POST",
        headers: {
          "Content-Type": "application/sparql-query",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: text.value,
      });
      const type = (response.headers.get("Content-Type") || "").split(";")[0];
      const ms = Math.round(performance.now() - started);
      if (!response.ok) {
        status.className = "dq-error";
        status.textContent = "Error " + response.status + ": " + (await response.text()).trim();
        return;
      }
      if (type === "application/sparql-results+json") {
        const json = await response.json();
        if (typeof json.boolean === "boolean") {
          status.textContent = "Answer: " + (json.boolean ? "yes" : "no") + " (" + ms + " ms)";
        } else {
          status.textContent = table(json) + " (" + ms + " ms)";
        }
      } else {
        const pre = document.createElement("pre");
        pre.textContent = await response.text();
        result.appendChild(pre);
        status.textContent = "A graph, as Turtle (" + ms + " ms)";
      }
    } catch (e) {
      status.className = "dq-error";
      status.textContent = "The server did not answer: " + e.message;
    } finally {
      run.disabled = false;
    }
  }
  run.addEventListener("click", execute);
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); execute(); }
  });
})();
