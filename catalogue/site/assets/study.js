/* "Add to my study": the researcher's chosen entries, kept in this browser (localStorage) only,
   no server and no account. Every page's toggle buttons and "My study (n)" links follow it; the
   planner (assets/planner/) reads it. Entries are kept by name, the slug of their page's URL. */
(function () {
  "use strict";
  var KEY = "catalogue.study";
  var NAME = /^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$/;

  function read() {
    try {
      var list = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (n) { return typeof n === "string" && NAME.test(n); }) : [];
    } catch (err) {
      return [];  // storage disabled or a hand-edited value: start empty rather than fail
    }
  }
  function write(list) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(list));
    } catch (err) {
      if (window.console) console.warn("catalogue study: cannot save", err);
    }
    sync();
  }
  function toggle(name) {
    var list = read();
    var at = list.indexOf(name);
    if (at >= 0) list.splice(at, 1); else list.push(name);
    write(list);
  }
  function sync() {
    var list = read();
    document.querySelectorAll(".catalogue-collect").forEach(function (b) {
      b.hidden = false;
      b.setAttribute("aria-pressed", list.indexOf(b.getAttribute("data-entry")) >= 0 ? "true" : "false");
    });
    document.querySelectorAll("[data-study-count]").forEach(function (c) { c.textContent = String(list.length); });
    document.querySelectorAll(".catalogue-study").forEach(function (p) { p.hidden = false; });
  }
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest(".catalogue-collect") : null;
    if (!button) return;
    ev.preventDefault();
    toggle(button.getAttribute("data-entry"));
  });
  // Another tab changed the collection.
  window.addEventListener("storage", function (ev) { if (ev.key === KEY) sync(); });
  window.CatalogueStudy = { read: read, write: write, sync: sync, NAME: NAME };
  sync();
})();
