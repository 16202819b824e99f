/* An entry page's data dictionary: sortable columns, and a filter box above dictionaries of more
   than 20 variables. Rows keep their ids (the anchors search hits link to); sorting moves them,
   filtering hides them, and a link to a hidden row clears the filter. */
(function () {
  "use strict";
  var FILTER_FROM = 20;
  var nb = document.documentElement.lang === "nb";
  var WORDS = nb ? { filter: "Filtrer variablene", shown: "{n} av {total} variabler", sort: "Sorter etter" }
                 : { filter: "Filter the variables", shown: "{n} of {total} variables", sort: "Sort by" };
  function text(row, i) { return (row.cells[i] ? row.cells[i].textContent : "").trim().toLowerCase(); }
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }

  document.querySelectorAll(".catalogue-entry table.catalogue-dictionary").forEach(function (table, n) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.from(body.rows), original = rows.slice();
    Array.from(table.tHead.rows[0].cells).forEach(function (th, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "catalogue-sort";
      b.textContent = th.textContent;
      b.setAttribute("aria-label", WORDS.sort + " " + th.textContent);
      th.textContent = "";
      th.appendChild(b);
      th.setAttribute("aria-sort", "none");
      b.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        var dir = now === "ascending" ? "descending" : now === "descending" ? "none" : "ascending";
        Array.from(th.parentNode.cells).forEach(function (c) { c.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        var sorted = dir === "none" ? original.slice() : rows.slice().sort(function (a, b2) {
          var x = text(a, i), y = text(b2, i);
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y, document.documentElement.lang);
          return dir === "ascending" ? c : -c;
        });
        sorted.forEach(function (r) { body.appendChild(r); });
        rows = sorted;
      });
    });
    if (original.length <= FILTER_FROM) return;
    var wrap = table.closest(".catalogue-table-wrap") || table;
    var box = document.createElement("p");
    box.className = "catalogue-dictionary-filter";
    var id = "dictionary-filter-" + n;
    var label = document.createElement("label");
    label.htmlFor = id; label.textContent = WORDS.filter + " ";
    var input = document.createElement("input");
    input.type = "search"; input.id = id; input.autocomplete = "off";
    var status = document.createElement("span");
    status.setAttribute("role", "status"); status.className = "catalogue-dictionary-count";
    box.appendChild(label); box.appendChild(input); box.appendChild(document.createTextNode(" ")); box.appendChild(status);
    wrap.parentNode.insertBefore(box, wrap);
    var haystack = original.map(function (r) { return fold(r.textContent.toLowerCase()); });
    function apply() {
      var q = fold(input.value.trim().toLowerCase()), shown = 0;
      original.forEach(function (r, i) {
        var hit = !q || haystack[i].indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) shown++;
      });
      status.textContent = q ? WORDS.shown.replace("{n}", shown).replace("{total}", original.length) : "";
    }
    input.addEventListener("input", apply);
    function reveal() {
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target && body.contains(target) && target.closest("tr").hidden) {
        input.value = ""; apply(); target.scrollIntoView();
      }
    }
    window.addEventListener("hashchange", reveal);
  });
})();
