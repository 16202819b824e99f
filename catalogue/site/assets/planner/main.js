/* The access planner (/planner/): the access guidelines of the chosen entries combined into one
   plan. The entries come from the URL (?entries=a,b: a shared plan) or else from the browser's
   collection (study.js). Only the chosen entries' small JSON files are fetched (written by
   catalogue/site/planner.py), never the whole catalogue. The rules are explained in
   docs/access-planner.md and live in rules.js; this file wires the page up and loads. */
(function () {
  "use strict";
  var P = window.CataloguePlanner;
  if (!P || !P.ctx) return;
  var S = P.ctx.S, state = P.ctx.state, $ = P.ctx.$, app = P.ctx.app, R = P.rules, SEP = R.SEP;
  var fmt = P.fmt, num = P.num, label = P.label, title = P.title, page = P.page, names = P.names;
  var known = P.known, problems = P.problems, tickedRows = P.tickedRows, groupTitle = P.groupTitle;
  var neededBy = P.neededBy, compute = P.compute, shareUrl = P.shareUrl, absolute = P.absolute, sum = R.sum;
  var Study = P.ctx.Study, rawParam = P.rawParam, splitIds = P.splitIds, parseVars = P.parseVars;
  var readTicks = P.readTicks, fetchEntry = P.fetchEntry, getJson = P.getJson, render = P.render;
  var save = P.save, copyLink = P.copyLink, download = P.download, markdown = P.markdown, csv = P.csv;

  // --- start ------------------------------------------------------------------------------------
  state.shared = rawParam("entries") !== null;
  state.ids = state.shared ? splitIds(rawParam("entries")) : Study.read();
  state.ticks = state.shared ? parseVars(rawParam("vars")) : readTicks();
  $("planner-save").addEventListener("click", save);
  $("planner-copy").addEventListener("click", copyLink);
  $("planner-print").addEventListener("click", function () { window.print(); });
  $("planner-markdown").addEventListener("click", function () { download("access-plan.md", "text/markdown;charset=utf-8", markdown()); });
  $("planner-csv").addEventListener("click", function () { download("variables.csv", "text/csv;charset=utf-8", csv()); });
  Promise.all([getJson("vocabularies.json")].concat(state.ids.map(fetchEntry))).then(function (got) {
    state.vocab = got[0] || {};
    state.entries = got.slice(1);
    // A UUID in the link becomes the entry's name, so the plan's own link uses names.
    state.ids = state.entries.map(function (e) { return e.unknown ? e.id : e.name; });
    var exists = {};
    known().forEach(function (e) {
      var vars = {};
      e.tables.forEach(function (t) { t.variables.forEach(function (v) { vars[t.name + SEP + v.name] = true; }); });
      exists[e.name] = vars;
    });
    Object.keys(state.ticks).forEach(function (name) {
      var kept = Array.isArray(state.ticks[name]) ? state.ticks[name].filter(function (k) { return exists[name] && exists[name][k]; }) : [];
      if (kept.length) state.ticks[name] = kept; else delete state.ticks[name];
    });
    render();
  });
})();
