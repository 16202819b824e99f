/* The access planner's state: which entries (the URL's ?entries=, else the browser's collection,
   study.js), which variables are ticked (the URL's &vars=, else localStorage), loading the
   entries' small JSON files, and what the researcher does (tick, remove, save). The rules are in
   rules.js; rendering in render.js; the downloads in export.js; main.js starts it all. */
(function () {
  "use strict";
  var app = document.getElementById("planner-app");
  if (!app || !window.CatalogueStudy || !window.CataloguePlanner) return;
  var P = window.CataloguePlanner, R = P.rules;
  var Study = window.CatalogueStudy;
  var S = JSON.parse(document.getElementById("planner-strings").textContent);
  var lang = app.getAttribute("data-lang");
  var dataUrl = app.getAttribute("data-data");
  var langRoot = app.getAttribute("data-root");
  var VARS_KEY = "catalogue.study.vars";
  var UUID = R.UUID, SEP = R.SEP;
  var $ = function (id) { return document.getElementById(id); };
  var state = { shared: false, ids: [], entries: [], ticks: {}, vocab: {} };

  // --- the rules, in this page's language and with its vocabularies ------------------------
  function fmt(key, values) { return R.fmt(S[key], values); }
  function num(n) { return R.num(n, lang); }
  function label(vocab, id) { return R.label(state.vocab, lang, vocab, id); }
  function title(e) { return R.title(e, lang); }
  var unique = R.unique, decode = R.decode, splitIds = R.splitIds, parseVars = R.parseVars;
  function page(e) { return langRoot + "/" + e.url; }
  function absolute(href) { return new URL(href, window.location.href).href; }
  function names(entries) { return entries.map(title).join(", "); }
  function known() { return state.entries.filter(function (e) { return !e.unknown; }); }
  function compute() { return R.compute(known(), lang, state.vocab); }
  function problems() { return R.problems(state.entries, S, lang); }
  function tickedRows() { return R.tickedRows(known(), state.ticks); }
  function groupTitle(g) {
    return g.kind === "hds" ? S.group_hds : fmt("group_" + g.kind, { name: g.name });
  }
  function neededBy(sources, total) {
    return fmt("needed_by", { names: sources.length === total && total > 1 ? S.all_sources : names(sources) });
  }

  // --- loading and keeping ------------------------------------------------------------------
  function getJson(path) {
    return fetch(new URL(dataUrl + path, window.location.href).href)
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }
  function fetchEntry(id) {
    // A UUID also looks like a name, so it is tried first.
    var got = UUID.test(id) ? getJson("ids/" + id + ".json").then(function (alias) {
      return alias && Study.NAME.test(alias.name) ? getJson("entries/" + alias.name + ".json") : null;
    }) : Study.NAME.test(id) ? getJson("entries/" + id + ".json")
      : Promise.resolve(null);  // neither: never put into a URL
    return got.then(function (e) { return e && e.access ? e : { unknown: true, id: id }; });
  }
  function varsParam() {  // in the plan's order, not the order of ticking
    return tickedRows().map(function (r) { return r.slice(0, 3).map(encodeURIComponent).join("/"); }).join(",");
  }
  function readTicks() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(VARS_KEY) || "{}");
      return stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
    } catch (err) { return {}; }
  }
  function saveTicks() {
    if (state.shared) {
      history.replaceState(null, "", shareUrl());
      return;
    }
    try { window.localStorage.setItem(VARS_KEY, JSON.stringify(state.ticks)); } catch (err) { /* private mode */ }
  }
  // Built by hand, not with URLSearchParams: it would write every comma as %2C.
  function shareUrl() {
    var vars = varsParam();
    return absolute(window.location.pathname) + "?entries=" + state.ids.map(encodeURIComponent).join(",")
      + (vars ? "&vars=" + vars : "");
  }
  // A parameter as written in the URL: a name may hold an encoded comma, so split before decoding.
  function rawParam(name) {
    var found = null;
    window.location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      if (found === null && pair.split("=")[0] === name) found = pair.slice(name.length + 1);
    });
    return found;
  }

  // --- what the researcher does --------------------------------------------------------------
  function tick(name, key, on) {
    var mine = state.ticks[name] = state.ticks[name] || [];
    var at = mine.indexOf(key);
    if (on && at < 0) mine.push(key);
    if (!on && at >= 0) mine.splice(at, 1);
    if (!mine.length) delete state.ticks[name];
    saveTicks();
    $("planner-link").value = shareUrl();
    P.renderTicked();
  }
  function removeAt(i) {
    var gone = state.entries.splice(i, 1)[0];
    state.ids.splice(i, 1);
    if (!gone.unknown) delete state.ticks[gone.name];
    if (state.shared) history.replaceState(null, "", shareUrl());
    else { Study.write(state.ids); saveTicks(); }
    P.render();
    var heading = $("planner-sources-h");  // the removed button is gone: keep the focus near it
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
  function save() {
    state.ids = known().map(function (e) { return e.name; });
    state.entries = known();
    state.shared = false;
    Study.write(state.ids);
    saveTicks();
    history.replaceState(null, "", window.location.pathname);
    P.render();
    $("planner-status").textContent = S.planner_saved;
  }

  P.ctx = { app: app, S: S, lang: lang, state: state, Study: Study, $: $ };
  P.fmt = fmt; P.num = num; P.label = label; P.title = title; P.page = page; P.absolute = absolute;
  P.names = names; P.known = known; P.compute = compute; P.problems = problems;
  P.tickedRows = tickedRows; P.groupTitle = groupTitle; P.neededBy = neededBy; P.getJson = getJson;
  P.fetchEntry = fetchEntry; P.readTicks = readTicks; P.shareUrl = shareUrl; P.rawParam = rawParam;
  P.tick = tick; P.removeAt = removeAt; P.save = save;
  P.splitIds = splitIds; P.parseVars = parseVars; P.unique = unique; P.decode = decode;
})();
