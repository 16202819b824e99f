/* The access planner's rules (docs/access-planner.md) as a pure module: no DOM, no browser, no
   state of its own. Every function takes what it needs (the entries, the language, the
   vocabulary labels), so node's own test runner checks the rules (tests/js/planner_rules.test.js)
   and the page (state.js, render.js, export.js) only shows what they compute. Loaded as a plain
   script it sets window.CataloguePlanner.rules; under node, module.exports. */
(function (root, factory) {
  var rules = factory();
  if (typeof module === "object" && module.exports) module.exports = rules;
  else (root.CataloguePlanner = root.CataloguePlanner || {}).rules = rules;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  var SEP = "\u001f";  // between a table's and a variable's name in a tick's key

  function unique(list, value) { if (value && list.indexOf(value) < 0) list.push(value); }
  function sum(xs) { return xs.reduce(function (a, b) { return a + b; }, 0); }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function num(n, lang) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === "nb" ? "\u00a0" : ",");
  }
  function decode(text) {
    try { return decodeURIComponent(text.replace(/\+/g, " ")); } catch (err) { return null; }
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
  function label(vocabs, lang, vocab, id) {
    var term = (vocabs[vocab] || {})[id];
    return term ? term[lang] || term.en || id : id;
  }
  function title(e, lang) { return e.unknown ? e.id : e.title[lang] || e.title.nb || e.name; }
  function orgName(org, lang) { return org ? org.name[lang] || org.name.nb || org.id : ""; }
  function has(e, gap) { return e.gaps.indexOf(gap) >= 0; }
  function groupOf(e, lang, vocabs) {
    var d = e.access.decided_by, owner;
    if (d === "helsedataservice") return { key: "hds", kind: "hds", name: label(vocabs, lang, "access-deciders", d) };
    if (d === "biobank") {
      owner = e.juristic_person || e.data_controller;
      return { key: "biobank:" + (owner ? owner.id : e.name), kind: "biobank", name: orgName(owner, lang) || title(e, lang) };
    }
    owner = e.data_controller;
    if (d === "data-controller") {
      return { key: "controller:" + (owner ? owner.id : e.name), kind: "controller", name: orgName(owner, lang) || title(e, lang) };
    }
    return { key: "other:" + d + ":" + (owner ? owner.id : e.name), kind: "other",
      name: label(vocabs, lang, "access-deciders", d) + (owner ? " – " + orgName(owner, lang) : "") };
  }
  function compute(entries, lang, vocabs) {
    var groups = [], byKey = {}, approvals = [], byApproval = {}, bases = [], byBasis = {};
    entries.forEach(function (e) {
      var a = e.access, g = groupOf(e, lang, vocabs);
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
  // What keeps an entry out of the plan, one sentence each (`S`: the page's strings).
  function problems(entries, S, lang) {
    return entries.filter(function (e) { return e.unknown || e.gaps.length; }).map(function (e) {
      return e.unknown ? fmt(S.unknown_entry, { id: e.id })
        : fmt(S.incomplete, { title: title(e, lang), what: e.gaps.map(function (g) { return S["gap_" + g]; }).join(", ") });
    });
  }
  function tickedRows(entries, ticks) {
    var rows = [];
    entries.forEach(function (e) {
      var mine = ticks[e.name] || [];
      e.tables.forEach(function (t) {
        t.variables.forEach(function (v) {
          if (mine.indexOf(t.name + SEP + v.name) >= 0) rows.push([e.name, t.name, v.name, v.title || "", v.type || "", v.unit || "", e]);
        });
      });
    });
    return rows;
  }
  function csvCell(value) {
    var text = String(value);
    if (/^[=+@\t\r]/.test(text)) text = "'" + text;  // a spreadsheet would run it as a formula
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  // The ticked variables as CSV for a spreadsheet: a BOM, so Excel reads UTF-8; CRLF lines.
  function csvText(rows) {
    var lines = [["entry", "table", "variable", "title", "type", "unit"]].concat(rows.map(function (r) { return r.slice(0, 6); }));
    return "\ufeff" + lines.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function mdText(text) { return String(text).replace(/\s+/g, " ").replace(/([\\|*_`<>[\]])/g, "\\$1"); }

  return {
    UUID: UUID, SEP: SEP, unique: unique, sum: sum, fmt: fmt, num: num, decode: decode,
    splitIds: splitIds, parseVars: parseVars, label: label, title: title, orgName: orgName,
    has: has, groupOf: groupOf, compute: compute, problems: problems, tickedRows: tickedRows,
    csvCell: csvCell, csvText: csvText, mdText: mdText
  };
});
