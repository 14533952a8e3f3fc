// The query page without a reload: the form's own GET (/query?query=...) is fetched and its
// server-rendered results (labels, links) swapped in. Without JavaScript the same GET loads the page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("query-form");
  var out = document.getElementById("results");
  if (!form || !out || !window.fetch || !window.DOMParser) { return; }
  function say(text, cls) {
    var p = document.createElement("p");
    p.textContent = text;
    if (cls) { p.className = cls; }
    out.replaceChildren(p);
  }
  form.addEventListener("submit", function (event) {
    if (form.elements.format.value !== "table") { return; }  // the browser shows the raw format
    event.preventDefault();
    say(form.dataset.running);
    var url = form.getAttribute("action") + "?" + new URLSearchParams(new FormData(form)).toString();
    fetch(url, {headers: {"Accept": "text/html"}}).then(function (response) {
      return response.text().then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var results = page.getElementById("results");
        if (!response.ok || !results) { say(form.dataset.refused + " (" + response.status + ")", "problem"); return; }
        out.replaceChildren.apply(out, Array.prototype.map.call(results.childNodes, function (n) {
          return document.importNode(n, true);
        }));
        history.replaceState(null, "", url);
      });
    }).catch(function (err) { say(String(err), "problem"); });
  });
});
