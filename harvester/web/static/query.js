// The query page: run the query with fetch and show SELECT/ASK results as a table.
// Every value is inserted with textContent, never as HTML.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("query-form");
  var out = document.getElementById("results");
  if (!form || !out) { return; }
  function say(text, cls) {
    var p = document.createElement("p");
    p.textContent = text;
    if (cls) { p.className = cls; }
    out.appendChild(p);
  }
  function table(data) {
    var vars = data.head.vars || [];
    var rows = data.results.bindings;
    var t = document.createElement("table");
    var head = t.insertRow();
    vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = "?" + v; head.appendChild(th); });
    rows.forEach(function (row) {
      var tr = t.insertRow();
      vars.forEach(function (v) {
        var cell = tr.insertCell();
        var b = row[v];
        if (!b) { return; }
        cell.textContent = b.value + (b["xml:lang"] ? " @" + b["xml:lang"] : "");
        if (b.type === "uri") { cell.title = b.value; }
      });
    });
    say(rows.length + " " + form.dataset.rows);
    out.appendChild(t);
  }
  form.addEventListener("submit", function (event) {
    if (form.elements.format.value !== "table") { return; }  // let the browser show the raw format
    event.preventDefault();
    out.textContent = "";
    say(form.dataset.running);
    var body = new URLSearchParams();
    body.set("query", form.elements.query.value);
    fetch(form.getAttribute("action"), {
      method: "POST", body: body,
      headers: {"Accept": "application/sparql-results+json, text/turtle;q=0.5"}
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var truncated = response.headers.get("Stafett-Results-Truncated") === "true";
      return (type.indexOf("json") >= 0 ? response.json() : response.text()).then(function (data) {
        out.textContent = "";
        if (!response.ok) {
          say(form.dataset.refused + ": " + (data.title || response.status), "problem");
          if (data.detail) { say(data.detail, "problem"); }
          return;
        }
        if (truncated) { say(form.dataset.truncated, "notice"); }
        if (typeof data === "string") {
          var pre = document.createElement("pre"); pre.textContent = data; out.appendChild(pre);
        } else if (typeof data.boolean === "boolean") {
          say(String(data.boolean));
        } else {
          table(data);
        }
      });
    }).catch(function (err) { out.textContent = ""; say(String(err), "problem"); });
  });
});
