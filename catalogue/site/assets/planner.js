/* The access planner (/planner/): the access guidelines of the chosen entries combined into one
   plan. The entries come from the URL (?entries=a,b: a shared plan) or else from the browser's
   collection (study.js). Only the chosen entries' small JSON files are fetched (written by
   catalogue/site/planner.py), never the whole catalogue. Everything from the metadata goes into
   the page as text (textContent), never as HTML. The rules are explained in docs/access-planner.md. */
(function () {
  "use strict";
  var app = document.getElementById("planner-app");
  if (!app || !window.CatalogueStudy) return;
  var Study = window.CatalogueStudy;
  var S = JSON.parse(document.getElementById("planner-strings").textContent);
  var lang = app.getAttribute("data-lang");
  var dataUrl = app.getAttribute("data-data");
  var langRoot = app.getAttribute("data-root");
  var VARS_KEY = "catalogue.study.vars";
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  var SEP = "\u001f";  // between a table's and a variable's name in a tick's key
  var $ = function (id) { return document.getElementById(id); };
  var state = { shared: false, ids: [], entries: [], ticks: {}, vocab: {} };

  // --- small helpers ----------------------------------------------------------------------
  function fmt(key, values) {
    return S[key].replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function num(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === "nb" ? "\u00a0" : ",");
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function link(href, text) {
    var a = el("a", null, text);
    if (/^(https?:|mailto:)/i.test(href) || href.charAt(0) === "." || href.charAt(0) === "/") a.href = href;
    return a;
  }
  function unique(list, value) { if (value && list.indexOf(value) < 0) list.push(value); }
  function sum(xs) { return xs.reduce(function (a, b) { return a + b; }, 0); }
  function label(vocab, id) {
    var term = (state.vocab[vocab] || {})[id];
    return term ? term[lang] || term.en || id : id;
  }
  function title(e) { return e.unknown ? e.id : e.title[lang] || e.title.nb || e.name; }
  function orgName(org) { return org ? org.name[lang] || org.name.nb || org.id : ""; }
  function page(e) { return langRoot + "/" + e.url; }
  function absolute(href) { return new URL(href, window.location.href).href; }
  function names(entries) { return entries.map(title).join(", "); }
  function known() { return state.entries.filter(function (e) { return !e.unknown; }); }
  function has(e, gap) { return e.gaps.indexOf(gap) >= 0; }

  // --- loading ----------------------------------------------------------------------------
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
  function splitIds(text) {
    var out = [];
    // Names and UUIDs hold no commas, so a link whose commas were encoded (%2C) works too.
    (decode(text || "") || "").split(",").forEach(function (id) {
      if (id.trim()) unique(out, id.trim().toLowerCase());
    });
    return out;
  }
  function parseVars(text) {
    var ticks = {};
    (text || "").split(",").forEach(function (item) {
      var parts = item.split("/").map(decode);
      if (parts.length !== 3 || parts.indexOf(null) >= 0) return;
      (ticks[parts[0]] = ticks[parts[0]] || []).push(parts[1] + SEP + parts[2]);
    });
    return ticks;
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
  function decode(text) {
    try { return decodeURIComponent(text.replace(/\+/g, " ")); } catch (err) { return null; }
  }

  // --- the plan: the rules of docs/access-planner.md ----------------------------------------
  function groupOf(e) {
    var d = e.access.decided_by, owner;
    if (d === "helsedataservice") return { key: "hds", kind: "hds", name: label("access-deciders", d) };
    if (d === "biobank") {
      owner = e.juristic_person || e.data_controller;
      return { key: "biobank:" + (owner ? owner.id : e.name), kind: "biobank", name: orgName(owner) || title(e) };
    }
    owner = e.data_controller;
    if (d === "data-controller") {
      return { key: "controller:" + (owner ? owner.id : e.name), kind: "controller", name: orgName(owner) || title(e) };
    }
    return { key: "other:" + d + ":" + (owner ? owner.id : e.name), kind: "other",
      name: label("access-deciders", d) + (owner ? " – " + orgName(owner) : "") };
  }
  function compute() {
    var entries = known(), groups = [], byKey = {}, approvals = [], byApproval = {}, bases = [], byBasis = {};
    entries.forEach(function (e) {
      var a = e.access, g = groupOf(e);
      if (!byKey[g.key]) {
        byKey[g.key] = g;
        g.sources = []; g.urls = []; g.routes = []; g.documents = []; g.contacts = []; g.contactKeys = [];
        groups.push(g);
      }
      g = byKey[g.key];
      g.sources.push(e);
      unique(g.urls, a.application_url);
      if (a.application_route && !g.routes.some(function (r) { return r.text === a.application_route; })) {
        g.routes.push({ source: e, text: a.application_route });
      }
      (a.documents || []).forEach(function (d) { unique(g.documents, d); });
      var c = a.contact || {}, ckey = [c.name, c.email, c.url].join("|");
      if (g.contactKeys.indexOf(ckey) < 0 && (c.name || c.email || c.url)) { g.contactKeys.push(ckey); g.contacts.push(c); }
      (a.approvals || []).forEach(function (id) {
        if (!byApproval[id]) { byApproval[id] = { id: id, sources: [] }; approvals.push(byApproval[id]); }
        byApproval[id].sources.push(e);
      });
      (a.legal_basis_options || []).forEach(function (id) {
        if (!byBasis[id]) { byBasis[id] = { id: id, sources: [] }; bases.push(byBasis[id]); }
        byBasis[id].sources.push(e);
      });
    });
    // Fees: Helsedataservice charges once for its application; every other source for itself.
    groups.forEach(function (g) {
      var priced = g.sources.filter(function (e) { return !has(e, "fees"); });
      var mins = priced.map(function (e) { return e.access.fees.min_nok; });
      var maxs = priced.map(function (e) { return e.access.fees.max_nok; });
      g.fees = !priced.length ? null : g.kind === "hds" ? { min: Math.max.apply(null, mins), max: Math.max.apply(null, maxs) }
        : { min: sum(mins), max: sum(maxs) };
    });
    var priced = groups.filter(function (g) { return g.fees; });
    // Lead time: the applications run in parallel, so the longest source sets the range.
    var timed = entries.filter(function (e) { return !has(e, "lead_time"); });
    var slowest = timed.slice().sort(function (x, y) {
      return y.access.lead_time.max_weeks - x.access.lead_time.max_weeks || y.access.lead_time.min_weeks - x.access.lead_time.min_weeks;
    })[0];
    var withBases = entries.filter(function (e) { return (e.access.legal_basis_options || []).length; });
    bases.forEach(function (b) {
      b.missing = withBases.filter(function (e) { return b.sources.indexOf(e) < 0; });
    });
    bases.sort(function (x, y) { return y.sources.length - x.sources.length; });  // stable: first seen first
    return {
      entries: entries, groups: groups, approvals: approvals,
      bases: bases, basesTotal: withBases.length,
      common: bases.filter(function (b) { return b.missing.length === 0; }),
      lead: timed.length ? {
        min: Math.max.apply(null, timed.map(function (e) { return e.access.lead_time.min_weeks; })),
        max: Math.max.apply(null, timed.map(function (e) { return e.access.lead_time.max_weeks; })),
        slowest: slowest } : null,
      untimed: entries.filter(function (e) { return has(e, "lead_time"); }),
      fees: priced.length ? { min: sum(priced.map(function (g) { return g.fees.min; })),
        max: sum(priced.map(function (g) { return g.fees.max; })) } : null,
      unpriced: entries.filter(function (e) { return has(e, "fees"); })
    };
  }
  function groupTitle(g) {
    return g.kind === "hds" ? S.group_hds : fmt("group_" + g.kind, { name: g.name });
  }
  function neededBy(sources, total) {
    return fmt("needed_by", { names: sources.length === total && total > 1 ? S.all_sources : names(sources) });
  }
  function problems() {
    return state.entries.filter(function (e) { return e.unknown || e.gaps.length; }).map(function (e) {
      return e.unknown ? fmt("unknown_entry", { id: e.id })
        : fmt("incomplete", { title: title(e), what: e.gaps.map(function (g) { return S["gap_" + g]; }).join(", ") });
    });
  }
  function tickedRows() {
    var rows = [];
    known().forEach(function (e) {
      var mine = state.ticks[e.name] || [];
      e.tables.forEach(function (t) {
        t.variables.forEach(function (v) {
          if (mine.indexOf(t.name + SEP + v.name) >= 0) rows.push([e.name, t.name, v.name, v.title || "", v.type || "", v.unit || "", e]);
        });
      });
    });
    return rows;
  }

  // --- rendering ----------------------------------------------------------------------------
  function labelled(parent, text, content) {
    var p = el("p");
    p.appendChild(el("strong", null, text + ": "));
    if (typeof content === "string") p.appendChild(document.createTextNode(content));
    else content.forEach(function (node, i) {
      if (i) p.appendChild(document.createTextNode(", "));
      p.appendChild(node);
    });
    parent.appendChild(p);
  }
  function list(parent, items) {
    var ul = el("ul");
    items.forEach(function (item) {
      var li = el("li");
      if (typeof item === "string") li.textContent = item; else li.appendChild(item);
      ul.appendChild(li);
    });
    parent.appendChild(ul);
    return ul;
  }
  function sourceLinks(sources) { return sources.map(function (e) { return link(page(e), title(e)); }); }
  function contactNode(c) {
    var span = el("span");
    var parts = [];
    if (c.name) parts.push(document.createTextNode(c.name));
    if (c.email) parts.push(link("mailto:" + c.email, c.email));
    if (c.url) parts.push(link(c.url, c.url));
    parts.forEach(function (node, i) {
      if (i) span.appendChild(document.createTextNode(", "));
      span.appendChild(node);
    });
    return span;
  }
  function renderSources() {
    var ul = $("planner-sources");
    ul.textContent = "";
    state.entries.forEach(function (e, i) {
      var li = el("li");
      if (e.unknown) li.appendChild(el("span", null, e.id));
      else {
        li.appendChild(link(page(e), title(e)));
        li.appendChild(document.createTextNode(" (" + S.decider + ": " + label("access-deciders", e.access.decided_by) + ") "));
      }
      var remove = el("button", "catalogue-button catalogue-button--small catalogue-noprint", S.remove);
      remove.type = "button";
      remove.appendChild(el("span", "catalogue-visually-hidden", " (" + title(e) + ")"));
      remove.addEventListener("click", function () { removeAt(i); });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(remove);
      ul.appendChild(li);
    });
  }
  function renderPlan(plan) {
    var found = problems();
    $("planner-problems-section").hidden = found.length === 0;
    var pul = $("planner-problems");
    pul.textContent = "";
    found.forEach(function (text) { pul.appendChild(el("li", null, text)); });

    var total = plan.entries.length;
    var aul = $("planner-approvals");
    aul.textContent = "";
    plan.approvals.forEach(function (a) {
      var li = el("li");
      li.appendChild(el("strong", "planner-approval", label("approvals", a.id)));
      li.appendChild(document.createTextNode(" – " + neededBy(a.sources, total)));
      aul.appendChild(li);
    });

    var groups = $("planner-groups");
    groups.textContent = "";
    plan.groups.forEach(function (g) {
      var section = el("section", "planner-group");
      section.setAttribute("data-group", g.key);
      section.appendChild(el("h3", null, groupTitle(g)));
      labelled(section, S.covers, sourceLinks(g.sources));
      if (g.urls.length) labelled(section, S.apply_at, g.urls.map(function (u) { return link(u, u); }));
      if (g.routes.length === 1) labelled(section, S.how_to_apply, g.routes[0].text);
      else if (g.routes.length) {
        section.appendChild(el("p", null)).appendChild(el("strong", null, S.how_to_apply + ":"));
        list(section, g.routes.map(function (r) { return title(r.source) + ": " + r.text; }));
      }
      if (g.documents.length) {
        section.appendChild(el("p")).appendChild(el("strong", null, S.documents_h + ":"));
        list(section, g.documents.map(function (d) { return label("documents", d); })).className = "planner-documents";
      }
      if (g.contacts.length) labelled(section, S.contact_h, g.contacts.map(contactNode));
      if (g.fees) section.appendChild(el("p", null, fmt("group_fees", { min: num(g.fees.min), max: num(g.fees.max) })));
      groups.appendChild(section);
    });

    var legal = $("planner-legal");
    legal.textContent = "";
    if (plan.basesTotal) {
      if (plan.common.length) {
        legal.appendChild(el("p", null, S.legal_common));
        list(legal, plan.common.map(function (b) { return label("legal-bases", b.id); })).id = "planner-legal-common";
      } else {
        legal.appendChild(el("p", "planner-conflict", S.legal_conflict)).id = "planner-legal-conflict";
      }
      var partial = plan.bases.filter(function (b) { return b.missing.length; });
      if (partial.length) legal.appendChild(el("p", null, S.legal_partial));
      list(legal, partial.map(function (b) {
        return label("legal-bases", b.id) + " – " + fmt("legal_by", { n: b.sources.length, total: plan.basesTotal })
          + "; " + fmt("legal_not_by", { names: names(b.missing) });
      })).id = "planner-legal-partial";
    }

    var time = $("planner-time");
    time.textContent = "";
    if (plan.lead) {
      time.appendChild(el("p", "planner-lead")).appendChild(el("strong", null, fmt("lead_range", { min: plan.lead.min, max: plan.lead.max })));
      var lt = plan.lead.slowest.access.lead_time;
      time.appendChild(el("p", null, fmt("slowest", { name: title(plan.lead.slowest), min: lt.min_weeks, max: lt.max_weeks })));
    }
    time.appendChild(el("p", null, S.lead_rule));
    if (plan.untimed.length) time.appendChild(el("p", null, fmt("not_counted", { names: names(plan.untimed) })));
    if (plan.fees) {
      time.appendChild(el("p", "planner-fees")).appendChild(el("strong", null, fmt("fee_range", { min: num(plan.fees.min), max: num(plan.fees.max) })));
      list(time, plan.groups.filter(function (g) { return g.fees; }).map(function (g) {
        return groupTitle(g) + ": " + num(g.fees.min) + "–" + num(g.fees.max);
      }));
    }
    time.appendChild(el("p", null, S.fee_rule));
    if (plan.unpriced.length) time.appendChild(el("p", null, fmt("not_counted", { names: names(plan.unpriced) })));
  }
  function renderPicker() {
    var box = $("planner-variables");
    box.textContent = "";
    known().forEach(function (e, i) {
      var details = el("details", "planner-vars");
      details.setAttribute("data-entry", e.name);
      var summary = el("summary", null, title(e) + " ");
      summary.appendChild(el("span", "planner-vars__count"));
      details.appendChild(summary);
      e.tables.forEach(function (t, j) {
        var fs = el("fieldset");
        var legend = el("legend", null, (t.title || t.name) + " ");
        legend.appendChild(el("code", null, t.name));
        fs.appendChild(legend);
        var ul = el("ul");
        t.variables.forEach(function (v, k) {
          var li = el("li"), id = "pv-" + i + "-" + j + "-" + k;
          var box = el("input");
          box.type = "checkbox";
          box.id = id;
          box.checked = (state.ticks[e.name] || []).indexOf(t.name + SEP + v.name) >= 0;
          box.addEventListener("change", function () { tick(e.name, t.name + SEP + v.name, box.checked); });
          var lab = el("label");
          lab.htmlFor = id;
          lab.appendChild(el("code", null, v.name));
          lab.appendChild(document.createTextNode(" " + (v.title || "") + (v.unit ? " (" + v.unit + ")" : "")));
          li.appendChild(box);
          li.appendChild(lab);
          ul.appendChild(li);
        });
        fs.appendChild(ul);
        details.appendChild(fs);
      });
      box.appendChild(details);
    });
  }
  function renderTicked() {
    document.querySelectorAll("#planner-variables details").forEach(function (d) {
      var e = known().filter(function (x) { return x.name === d.getAttribute("data-entry"); })[0];
      var total = sum(e.tables.map(function (t) { return t.variables.length; }));
      d.querySelector(".planner-vars__count").textContent = "(" + fmt("ticked", { n: (state.ticks[e.name] || []).length, total: total }) + ")";
    });
    var out = $("planner-ticked");
    out.textContent = "";
    var rows = tickedRows();
    if (!rows.length) { out.appendChild(el("p", null, S.none_ticked)); return; }
    var table = el("table", "planner-ticked"), head = el("tr");
    [S.col_source, S.col_table, S.col_variable, S.var_title, S.col_type, S.col_unit].forEach(function (h) {
      var th = el("th", null, h);
      th.scope = "col";
      head.appendChild(th);
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    rows.forEach(function (r) {
      var tr = el("tr");
      [title(r[6]), r[1], r[2], r[3], r[4] ? label("field-types", r[4]) : "", r[5]].forEach(function (c) { tr.appendChild(el("td", null, c)); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    out.appendChild(table);
  }
  function render() {
    var empty = state.entries.length === 0;
    $("planner-plan").hidden = empty;
    $("planner-status").textContent = empty ? S.planner_empty : "";
    $("planner-shared").hidden = !state.shared;
    $("planner-link").value = shareUrl();
    renderSources();
    renderPlan(compute());
    renderPicker();
    renderTicked();
    app.setAttribute("data-state", "ready");
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
    renderTicked();
  }
  function removeAt(i) {
    var gone = state.entries.splice(i, 1)[0];
    state.ids.splice(i, 1);
    if (!gone.unknown) delete state.ticks[gone.name];
    if (state.shared) history.replaceState(null, "", shareUrl());
    else { Study.write(state.ids); saveTicks(); }
    render();
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
    render();
    $("planner-status").textContent = S.planner_saved;
  }
  function download(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 5000);
  }
  function csvCell(value) {
    var text = String(value);
    if (/^[=+@\t\r]/.test(text)) text = "'" + text;  // a spreadsheet would run it as a formula
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function csv() {
    var lines = [["entry", "table", "variable", "title", "type", "unit"]].concat(tickedRows().map(function (r) { return r.slice(0, 6); }));
    return "\ufeff" + lines.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function mdText(text) { return String(text).replace(/\s+/g, " ").replace(/([\\|*_`<>[\]])/g, "\\$1"); }
  function markdown() {
    var plan = compute(), out = ["# " + S.plan_title, "", S.plan_link + ": <" + shareUrl() + ">", ""];
    function h(level, text) { out.push("", "#".repeat(level) + " " + text, ""); }
    h(2, S.sources_h);
    state.entries.forEach(function (e) {
      out.push(e.unknown ? "- " + mdText(e.id) : "- [" + mdText(title(e)) + "](" + absolute(page(e)) + ") (" + S.decider + ": " + mdText(label("access-deciders", e.access.decided_by)) + ")");
    });
    var found = problems();
    if (found.length) { h(2, S.problems_h); found.forEach(function (p) { out.push("- " + mdText(p)); }); }
    h(2, S.approvals_h);
    plan.approvals.forEach(function (a) { out.push("- **" + mdText(label("approvals", a.id)) + "** – " + mdText(neededBy(a.sources, plan.entries.length))); });
    h(2, S.groups_h);
    plan.groups.forEach(function (g) {
      h(3, mdText(groupTitle(g)));
      out.push("- " + S.covers + ": " + mdText(names(g.sources)));
      g.urls.forEach(function (u) { out.push("- " + S.apply_at + ": <" + u + ">"); });
      g.routes.forEach(function (r) { out.push("- " + S.how_to_apply + (g.routes.length > 1 ? " (" + mdText(title(r.source)) + ")" : "") + ": " + mdText(r.text)); });
      if (g.documents.length) out.push("- " + S.documents_h + ": " + g.documents.map(function (d) { return mdText(label("documents", d)); }).join(", "));
      g.contacts.forEach(function (c) { out.push("- " + S.contact_h + ": " + [c.name, c.email, c.url].filter(Boolean).map(mdText).join(", ")); });
      if (g.fees) out.push("- " + fmt("group_fees", { min: num(g.fees.min), max: num(g.fees.max) }));
    });
    h(2, S.legal_h);
    if (plan.basesTotal && plan.common.length) out.push(S.legal_common + " " + plan.common.map(function (b) { return mdText(label("legal-bases", b.id)); }).join(", "));
    else if (plan.basesTotal) out.push("**" + S.legal_conflict + "**");
    if (plan.bases.some(function (b) { return b.missing.length; })) out.push("", S.legal_partial, "");
    plan.bases.filter(function (b) { return b.missing.length; }).forEach(function (b) {
      out.push("- " + mdText(label("legal-bases", b.id)) + " – " + fmt("legal_by", { n: b.sources.length, total: plan.basesTotal }) + "; " + mdText(fmt("legal_not_by", { names: names(b.missing) })));
    });
    h(2, S.time_h);
    if (plan.lead) {
      out.push("**" + fmt("lead_range", { min: plan.lead.min, max: plan.lead.max }) + "**. " + mdText(fmt("slowest", { name: title(plan.lead.slowest), min: plan.lead.slowest.access.lead_time.min_weeks, max: plan.lead.slowest.access.lead_time.max_weeks })), "");
    }
    out.push(S.lead_rule, "");
    if (plan.fees) out.push("**" + fmt("fee_range", { min: num(plan.fees.min), max: num(plan.fees.max) }) + "**", "");
    out.push(S.fee_rule);
    h(2, S.ticked_h);
    var rows = tickedRows();
    if (!rows.length) out.push(S.none_ticked);
    else {
      out.push("| " + [S.col_source, S.col_table, S.col_variable, S.var_title, S.col_type, S.col_unit].join(" | ") + " |", "|---|---|---|---|---|---|");
      rows.forEach(function (r) { out.push("| " + [title(r[6]), r[1], r[2], r[3], r[4], r[5]].map(mdText).join(" | ") + " |"); });
    }
    return out.join("\n") + "\n";
  }
  function copyLink() {
    var input = $("planner-link");
    var done = function () { $("planner-status").textContent = S.copied; };
    var fallback = function () { input.select(); try { document.execCommand("copy"); } catch (err) { /* shown selected */ } done(); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(input.value).then(done, fallback);
    else fallback();
  }

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
