/* The variables search (/variables/) and the compare view (/variables/compare/), from the static
   index that catalogue/site/variables_index.py writes into /variable-index/. A search loads the
   shard of each query word (t/<first two characters>.json), the first page of very common words,
   and the record chunks of the hits it shows; a comparison loads one small bucket file per
   variable. Query, filters and the compared variables live in the URL. Everything from the
   metadata goes into the page as text (textContent), never as HTML. */
(function () {
  "use strict";
  var COMPARE_KEY = "catalogue.compare";
  var VARS_KEY = "catalogue.study.vars";  // the planner's variable list (planner.js)
  var SEP = "\u001f";
  var BUCKETS = 4;  // variables_index.BUCKETS
  var CHUNK = 32;  // variables_index.CHUNK
  var SHOWN = 20;
  var FACETS = ["kind", "region", "controller", "type", "coding", "system"];
  var stringsEl = document.getElementById("variables-strings");
  if (!stringsEl) return;
  var S = JSON.parse(stringsEl.textContent);
  var cache = {};

  function fmt(key, values) {
    return S[key].replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function getJson(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return cache[url];
  }
  function readList(key, fallback) {
    try {
      var v = JSON.parse(window.localStorage.getItem(key) || "null");
      return v && typeof v === "object" ? v : fallback;
    } catch (err) { return fallback; }
  }
  function writeList(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (err) { /* private mode */ }
  }
  function years(from, to) { return from + "–" + (to || S.until_now); }
  function label(item, lang) { return item ? (item.label[lang] || item.label.nb || item.id) : ""; }
  var CRC = [];
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC.push(c >>> 0);
  }
  function crc32(text) {  // zlib.crc32, as variables_index.bucket
    var bytes = new TextEncoder().encode(text), h = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) h = CRC[(h ^ bytes[i]) & 0xff] ^ (h >>> 8);
    return (h ^ 0xffffffff) >>> 0;
  }
  function safe(text) {  // variables_index.shard_key / _safe
    var out = "";
    Array.from(text).forEach(function (c) {
      out += /^[a-z0-9.\-]$/i.test(c) && c.charCodeAt(0) < 128 ? c : "~" + c.codePointAt(0).toString(16);
    });
    return out;
  }
  function shardKey(token) {
    return Array.from(token).slice(0, 2).map(function (c) {
      return /^[a-z0-9]$/i.test(c) ? c : "~" + c.codePointAt(0).toString(16);
    }).join("");
  }
  function words(q) {
    var out = [];
    (q.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_.\-]*/gu) || []).forEach(function (t) {
      t = t.replace(/[.\-]+$/, "");
      if (Array.from(t).length >= 2 && out.indexOf(t) < 0) out.push(t);
    });
    return out;
  }
  function refOf(entry, res, field) { return [entry, res, field].map(encodeURIComponent).join("/"); }
  function compareList() { var l = readList(COMPARE_KEY, []); return Array.isArray(l) ? l : []; }

  // --- the search -----------------------------------------------------------------------------
  var app = document.getElementById("variables-app");
  if (app) search(app);
  var cmp = document.getElementById("compare-app");
  if (cmp) compare(cmp);

  function search(app) {
    var data = app.getAttribute("data-data"), lang = app.getAttribute("data-lang");
    var root = app.getAttribute("data-root");
    var form = document.getElementById("variables-form"), input = document.getElementById("variables-q");
    var list = document.getElementById("variables-list"), status = document.getElementById("variables-status");
    var more = document.getElementById("variables-more");
    var state = { meta: null, hits: [], shown: 0, seq: 0 };
    var metaReady = getJson(data + "facets.json").then(function (meta) {
      state.meta = meta || { kinds: [], regions: [], controllers: [], types: [], codings: [], systems: [],
                             sources: [], profiles: [] };
    });
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    var chosen = {};
    FACETS.forEach(function (f) { chosen[f] = params.getAll(f); });

    function valueOf(facet, sp, vp) {  // the ids a hit has in `facet`
      var m = state.meta, s = m.sources[sp], p = m.profiles[vp];
      if (facet === "kind") return [m.kinds[s[0]].id];
      if (facet === "region") return [m.regions[s[1]].id];
      if (facet === "controller") return [m.controllers[s[2]].id];
      if (facet === "type") return [m.types[p[0]].id];
      if (facet === "coding") return m.codings[p[1]].id ? [m.codings[p[1]].id] : [];
      return p[2].map(function (i) { return m.systems[i].id; });
    }
    function passes(hit, except) {
      return FACETS.every(function (f) {
        if (f === except || !chosen[f].length) return true;
        var have = valueOf(f, hit[1], hit[2]);
        return chosen[f].some(function (v) { return have.indexOf(v) >= 0; });
      });
    }
    function facetItems(f) {
      var m = state.meta;
      return { kind: m.kinds, region: m.regions, controller: m.controllers, type: m.types,
               coding: m.codings.filter(function (c) { return c.id; }), system: m.systems }[f];
    }
    function drawFacets(all) {
      var active = 0;
      FACETS.forEach(function (f) {
        var counts = {};
        all.forEach(function (hit) {
          if (!passes(hit, f)) return;
          valueOf(f, hit[1], hit[2]).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        var box = app.querySelector('.catalogue-facet[data-facet="' + f + '"]');
        var ul = box.querySelector("ul");
        ul.textContent = "";
        facetItems(f).forEach(function (item, i) {
          var li = el("li"), id = "vf-" + f + "-" + i;
          var cb = el("input");
          cb.type = "checkbox"; cb.id = id; cb.name = f; cb.value = item.id;
          cb.checked = chosen[f].indexOf(item.id) >= 0;
          if (cb.checked) active++;
          var lab = el("label", null, label(item, lang) + " ");
          lab.htmlFor = id;
          lab.appendChild(el("span", "catalogue-count", counts[item.id] || 0));
          li.appendChild(cb); li.appendChild(lab); ul.appendChild(li);
        });
        box.hidden = !facetItems(f).length;
      });
      var count = document.querySelector(".catalogue-filter-count");
      if (count) { count.textContent = active ? "(" + active + ")" : ""; count.setAttribute("data-count", active); }
    }
    function tokenHits(word) {
      return getJson(data + "t/" + shardKey(word) + ".json").then(function (shard) {
        shard = shard || {};
        var keys = Object.keys(shard).filter(function (k) { return k.indexOf(word) === 0; });
        keys.sort(function (a, b) { return (a !== word) - (b !== word) || a.length - b.length; });
        keys = keys.slice(0, 20);
        var truncated = 0;
        return Promise.all(keys.map(function (k) {
          var v = shard[k];
          if (Array.isArray(v)) return v;
          if (v.pages > 1) truncated += v.n;
          return getJson(data + "p/" + v.dir + "_0.json").then(function (p) { return p || []; });
        })).then(function (flats) {
          var hits = new Map();
          flats.forEach(function (flat) {
            for (var i = 0; i < flat.length; i += 3) hits.set(flat[i], [flat[i], flat[i + 1], flat[i + 2]]);
          });
          return { hits: hits, truncated: truncated };
        });
      });
    }
    function run(push) {
      var q = input.value.trim(), seq = ++state.seq;
      var url = new URLSearchParams();
      if (q) url.set("q", q);
      FACETS.forEach(function (f) { chosen[f].forEach(function (v) { url.append(f, v); }); });
      var qs = url.toString();
      if (push) history.replaceState(null, "", qs ? "?" + qs : "./");
      var ws = words(q);
      if (!ws.length) {
        list.textContent = ""; more.hidden = true; status.textContent = S.type_more;
        app.setAttribute("data-state", "ready");
        if (state.meta) drawFacets([]);
        return Promise.resolve();
      }
      app.setAttribute("data-state", "loading");
      status.textContent = S.loading;
      // A search sent before facets.json has arrived waits for it: the facets and the hits' sources
      // are read from it.
      return Promise.all([metaReady, Promise.all(ws.map(tokenHits))]).then(function (both) {
        var per = both[1];
        if (seq !== state.seq) return null;
        per.sort(function (a, b) { return a.hits.size - b.hits.size; });
        var all = [];
        per[0].hits.forEach(function (hit, vid) {
          if (per.every(function (p) { return p.hits.has(vid); })) all.push(hit);
        });
        all.sort(function (a, b) { return a[0] - b[0]; });
        drawFacets(all);
        state.hits = all.filter(function (h) { return passes(h, null); });
        state.truncated = per.some(function (p) { return p.truncated; });
        state.shown = 0;
        list.textContent = "";
        return show();
      });
    }
    function show() {
      var seq = state.seq, batch = state.hits.slice(state.shown, state.shown + SHOWN);
      var chunks = {};
      batch.forEach(function (h) { chunks[Math.floor(h[0] / CHUNK)] = true; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        return getJson(data + "r/" + c + ".json").then(function (d) { return [c, d]; });
      })).then(function (loaded) {
        if (seq !== state.seq) return;
        var byChunk = {};
        loaded.forEach(function (p) { byChunk[p[0]] = p[1]; });
        batch.forEach(function (h) {
          var d = byChunk[Math.floor(h[0] / CHUNK)];
          if (d) list.appendChild(hitItem(d.r[h[0] % CHUNK], d.s));
        });
        state.shown += batch.length;
        var n = state.hits.length;
        status.textContent = !n ? S.no_results : state.truncated
          ? fmt("results_many", { n: n, shown: state.shown }) : fmt("results", { n: n });
        more.hidden = state.shown >= n;
        app.setAttribute("data-state", "ready");
      });
    }
    function hitItem(r, sources) {
      var src = sources[r[0]], ref = refOf(src[0], r[1], r[2]);
      var li = el("li", "catalogue-card variables-hit");
      var h = el("h3", "catalogue-card__title");
      var a = el("a");
      a.href = root + "/" + src[1] + "#var-" + r[1] + "-" + r[2];
      a.appendChild(el("code", null, r[2]));
      h.appendChild(a);
      if (r[3]) h.appendChild(document.createTextNode(" " + r[3]));
      li.appendChild(h);
      var srcLink = el("a", null, lang === "en" ? src[4] : src[3]);
      srcLink.href = root + "/" + src[1];
      var meta = el("p", "catalogue-card__meta");
      meta.appendChild(document.createTextNode(S.source + ": "));
      meta.appendChild(srcLink);
      meta.appendChild(document.createTextNode(" · " + years(src[5], src[6])));
      li.appendChild(meta);
      var dl = el("dl", "variables-facts");
      [[S.type, typeLabel(r[4])], [S.unit, r[5]], [S.codes, r[6]],
       [S.concepts, r[7].map(function (c) { return c[0] + " " + c[1] + (c[2] ? " " + c[2] : ""); }).join("; ")]]
        .forEach(function (p) {
          if (!p[1]) return;
          var div = el("div");
          div.appendChild(el("dt", null, p[0])); div.appendChild(el("dd", null, p[1]));
          dl.appendChild(div);
        });
      li.appendChild(dl);
      var b = el("button", "catalogue-button variables-add", S.compare_add);
      b.type = "button";
      b.setAttribute("data-ref", ref);
      b.setAttribute("aria-pressed", compareList().indexOf(ref) >= 0 ? "true" : "false");
      b.setAttribute("aria-label", S.compare_add + ": " + r[2] + " (" + (lang === "en" ? src[4] : src[3]) + ")");
      li.appendChild(b);
      return li;
    }
    function typeLabel(id) {
      var t = state.meta.types.filter(function (x) { return x.id === id; })[0];
      return t ? label(t, lang) : id;
    }
    function syncCompare() {
      var l = compareList(), link = document.getElementById("variables-compare");
      link.textContent = fmt("compare_open", { n: l.length });
      link.href = app.getAttribute("data-compare") + (l.length ? "?v=" + l.join(",") : "");
    }
    list.addEventListener("click", function (ev) {
      var b = ev.target.closest(".variables-add");
      if (!b) return;
      var l = compareList(), ref = b.getAttribute("data-ref"), at = l.indexOf(ref);
      if (at >= 0) l.splice(at, 1); else l.push(ref);
      writeList(COMPARE_KEY, l);
      b.setAttribute("aria-pressed", at >= 0 ? "false" : "true");
      syncCompare();
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(true); });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(true); }, 150);
    });
    app.addEventListener("change", function (ev) {
      if (!ev.target.matches('input[type="checkbox"]')) return;
      var f = ev.target.name;
      chosen[f] = Array.from(app.querySelectorAll('input[name="' + f + '"]:checked')).map(function (c) { return c.value; });
      run(true);
    });
    more.addEventListener("click", function () { show(); });
    syncCompare();
    metaReady.then(function () { run(false); });
  }

  // --- compare --------------------------------------------------------------------------------
  function compare(app) {
    var data = app.getAttribute("data-data"), lang = app.getAttribute("data-lang");
    var root = app.getAttribute("data-root");
    var status = document.getElementById("compare-status"), table = document.getElementById("compare-table");
    var params = new URLSearchParams(window.location.search);
    var refs = params.has("v") ? params.get("v").split(",").filter(Boolean) : compareList();
    var meta = null, cols = [];

    function parse(ref) {
      var parts = ref.split("/").map(function (p) { try { return decodeURIComponent(p); } catch (e) { return null; } });
      return parts.length === 3 && parts.indexOf(null) < 0 ? parts : null;
    }
    function load() {
      return Promise.all(refs.map(function (ref) {
        var p = parse(ref);
        if (!p) return Promise.resolve({ ref: ref, missing: true });
        var b = crc32(p[1] + "/" + p[2]) % BUCKETS;
        return getJson(data + "e/" + safe(p[0]) + "_" + b + ".json").then(function (d) {
          var v = d && d.vars[p[1] + "/" + p[2]];
          return v ? { ref: ref, entry: p[0], res: p[1], v: v, source: d.source } : { ref: ref, missing: true, p: p };
        });
      }));
    }
    function typeLabel(id) {
      var t = meta && meta.types.filter(function (x) { return x.id === id; })[0];
      return t ? label(t, lang) : id;
    }
    function constraints(c) {
      return c ? Object.keys(c).map(function (k) { return k + ": " + JSON.stringify(c[k]); }).join(", ") : "";
    }
    function rows() {
      return [
        ["source", function (c) { return c.source.title[lang] || c.source.title.nb; }],
        ["name", function (c) { return c.v.name; }],
        ["title", function (c) { return c.v.title || ""; }],
        ["description", function (c) { return c.v.description || ""; }],
        ["type", function (c) { return typeLabel(c.v.type) + (c.v.format ? " (" + c.v.format + ")" : ""); }],
        ["unit", function (c) { return c.v.unit || ""; }],
        ["constraints", function (c) { return constraints(c.v.constraints); }],
        ["codes", function (c) {
          return (c.v.coding_system ? c.v.coding_system + (c.v.codes ? ": " : "") : "") +
            (c.v.codes || []).map(function (x) { return x[0] + (x[1] ? " " + x[1] : ""); }).join("; ");
        }],
        ["concepts", function (c) {
          return (c.v.concepts || []).map(function (x) { return x[0] + " " + x[1] + (x[2] ? " " + x[2] : ""); }).join("; ");
        }],
        ["years", function (c) { return years(c.source.from, c.source.to); }],
        ["decider", function (c) { return c.source.decider[lang] || c.source.decider.nb; }]
      ];
    }
    function planned(c) {
      var ticks = readList(VARS_KEY, {});
      return (ticks[c.entry] || []).indexOf(c.res + SEP + c.v.name) >= 0;
    }
    function draw() {
      var url = refs.length ? "?v=" + refs.join(",") : "./";
      history.replaceState(null, "", url);
      document.getElementById("compare-share").href = url;
      var thead = table.querySelector("thead"), tbody = table.querySelector("tbody");
      thead.textContent = ""; tbody.textContent = "";
      if (!refs.length) { status.textContent = S.compare_none; app.setAttribute("data-state", "ready"); return; }
      status.textContent = fmt("results", { n: cols.filter(function (c) { return !c.missing; }).length });
      var tr = el("tr");
      tr.appendChild(el("td"));
      cols.forEach(function (c, i) {
        var th = el("th", "compare-col");
        th.scope = "col";
        if (c.missing) { th.appendChild(el("span", null, decodeURIComponent(c.ref) + ": " + S.compare_missing)); }
        else {
          var a = el("a");
          a.href = root + "/" + c.source.url + "#var-" + c.res + "-" + c.v.name;
          a.appendChild(el("code", null, c.v.name));
          th.appendChild(a);
          th.appendChild(el("br"));
          th.appendChild(el("span", "compare-source", c.source.title[lang] || c.source.title.nb));
          var plan = el("button", "catalogue-button catalogue-noprint compare-plan", planned(c) ? S.planned : S.plan);
          plan.type = "button"; plan.setAttribute("data-i", i);
          plan.setAttribute("aria-pressed", planned(c) ? "true" : "false");
          plan.setAttribute("aria-label", S.plan + ": " + c.v.name);
          th.appendChild(el("br")); th.appendChild(plan);
        }
        var rm = el("button", "catalogue-button catalogue-noprint compare-remove", S.remove);
        rm.type = "button"; rm.setAttribute("data-i", i);
        rm.setAttribute("aria-label", S.remove + ": " + (c.v ? c.v.name : c.ref));
        th.appendChild(document.createTextNode(" ")); th.appendChild(rm);
        tr.appendChild(th);
      });
      thead.appendChild(tr);
      rows().forEach(function (row) {
        var r = el("tr");
        var th = el("th", null, S[row[0]]); th.scope = "row";
        r.appendChild(th);
        cols.forEach(function (c) {
          var td = el("td", null, c.missing ? "" : row[1](c));
          td.setAttribute("data-label", S[row[0]]);
          r.appendChild(td);
        });
        tbody.appendChild(r);
      });
      app.setAttribute("data-state", "ready");
    }
    function csv() {
      var lines = [[""].concat(cols.map(function (c) { return c.missing ? c.ref : c.entry + "/" + c.res + "/" + c.v.name; }))];
      rows().forEach(function (row) {
        lines.push([S[row[0]]].concat(cols.map(function (c) { return c.missing ? "" : row[1](c); })));
      });
      var text = lines.map(function (l) {
        return l.map(function (x) { return '"' + String(x).replace(/"/g, '""') + '"'; }).join(",");
      }).join("\r\n") + "\r\n";
      var a = el("a");
      a.href = URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" }));
      a.download = "variables-compare.csv";
      document.body.appendChild(a); a.click(); a.remove();
    }
    table.addEventListener("click", function (ev) {
      var b = ev.target.closest("button");
      if (!b) return;
      var i = Number(b.getAttribute("data-i")), c = cols[i];
      if (b.classList.contains("compare-remove")) {
        refs.splice(i, 1); cols.splice(i, 1);
        if (!params.has("v")) writeList(COMPARE_KEY, refs);
        draw();
      } else if (b.classList.contains("compare-plan")) {
        var ticks = readList(VARS_KEY, {}), key = c.res + SEP + c.v.name;
        var mine = ticks[c.entry] = ticks[c.entry] || [];
        var at = mine.indexOf(key);
        if (at >= 0) mine.splice(at, 1); else mine.push(key);
        writeList(VARS_KEY, ticks);
        if (at < 0 && window.CatalogueStudy) {  // the planner plans the entries in the study
          var study = window.CatalogueStudy.read();
          if (study.indexOf(c.entry) < 0) { study.push(c.entry); window.CatalogueStudy.write(study); }
        }
        draw();
      }
    });
    document.getElementById("compare-csv").addEventListener("click", csv);
    document.getElementById("compare-print").addEventListener("click", function () { window.print(); });
    Promise.all([getJson(data + "facets.json"), load()]).then(function (got) {
      meta = got[0]; cols = got[1]; draw();
    });
  }
})();
