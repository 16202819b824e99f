/* The catalogue page: free-text search and facet filters over the catalogue's static search index
   (catalogue/site/search.py), with the query and the chosen facets kept in the URL
   (/catalogue/?q=...&kind=...) so a search can be shared. Without JavaScript the page still
   lists the entries and the form submits the same URL. */
(function () {
  "use strict";
  var app = document.getElementById("catalogue-app");
  if (!app) return;
  var PAGE = 20;
  var form = document.getElementById("catalogue-form");
  var input = document.getElementById("catalogue-q");
  var list = document.getElementById("catalogue-list");
  var status = document.getElementById("catalogue-status");
  var more = document.getElementById("catalogue-more");
  var strings = JSON.parse(document.getElementById("catalogue-strings").textContent);
  var facetNames = Array.prototype.map.call(app.querySelectorAll("[data-facet]"),
    function (el) { return el.getAttribute("data-facet"); });
  var initialCounts = {};
  var results = { length: 0, take: function () { return Promise.resolve([]); } };
  var shown = 0, generation = 0, timer = null, last = null;

  function fmt(key, values) {
    return strings[key].replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function boxes(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox][name="' + name + '"]'));
  }
  function chosen() {
    var out = {};
    facetNames.forEach(function (name) {
      var values = boxes(name).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (values.length) out[name] = values;
    });
    return out;
  }
  function toFilters(sel, except) {
    var f = {};
    Object.keys(sel).forEach(function (name) { if (name !== except) f[name] = { any: sel[name] }; });
    return f;
  }
  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    facetNames.forEach(function (name) {
      var wanted = params.getAll(name);
      boxes(name).forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
      if (wanted.length) app.querySelector('[data-facet="' + name + '"]').open = true;
    });
  }
  function stateToUrl() {
    var params = new URLSearchParams();
    var q = input.value.trim();
    if (q) params.set("q", q);
    var sel = chosen();
    Object.keys(sel).forEach(function (name) { sel[name].forEach(function (v) { params.append(name, v); }); });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }
  function setCounts(name, counts) {
    app.querySelectorAll('[data-facet="' + name + '"] .catalogue-count').forEach(function (el) {
      var n = counts ? (counts[el.getAttribute("data-value")] || 0) : initialCounts[name + ":" + el.getAttribute("data-value")];
      el.textContent = n;
      el.closest("li").classList.toggle("catalogue-zero", n === 0);
    });
  }
  // One index at the site's root serves both languages (catalogue/site/search.py): a search
  // fetches the shard of each of its words, the facet columns it counts and the cards it shows.
  var lang = app.getAttribute("data-lang");
  var index = new URL(app.getAttribute("data-index"), window.location.href).href;
  var cache = {};
  function rootPath() {
    return new URL(app.getAttribute("data-root") + "/", window.location.href).pathname;
  }
  // A word's shard that is not there holds no word; any other missing file is an error.
  function getJson(name, optional) {
    if (!cache[name]) {
      cache[name] = fetch(index + name).then(function (r) {
        if (r.ok) return r.json();
        if (optional && r.status === 404) return null;
        throw new Error(name + ": HTTP " + r.status);
      });
      cache[name].catch(function () { delete cache[name]; });
    }
    return cache[name];
  }
  // The query's words, as catalogue/site/variables_index.py splits the catalogue's text.
  var WORD = /[\p{L}\p{N}][\p{L}\p{N}_.\-]*/gu;
  function words(q) {
    var out = [];
    (q.toLowerCase().match(WORD) || []).forEach(function (w) {
      w = w.replace(/[.\-]+$/, "");
      if (Array.from(w).length >= 2 && out.indexOf(w) < 0) out.push(w);
    });
    return out;
  }
  function shardKey(word) {  // variables_index.shard_key
    return Array.from(word).slice(0, 2).map(function (c) {
      return /^[a-z0-9]$/i.test(c) ? c : "~" + c.codePointAt(0).toString(16);
    }).join("");
  }
  function found(text, ws) {  // does a word of `text` start with one of the query's words?
    return words(text).some(function (w) {
      return w.split(/[_.\-]/).concat([w]).some(function (part) {
        return ws.some(function (q) { return part.indexOf(q) === 0; });
      });
    });
  }
  // Entry id -> weight (3 title, 2 text, 1 variables) of the entries having a word that starts with `word`.
  function wordHits(word) {
    return getJson("t/" + shardKey(word) + ".json", true).then(function (shard) {
      var hits = new Map();
      Object.keys(shard || {}).forEach(function (k) {
        if (k.indexOf(word) !== 0) return;
        shard[k].forEach(function (p) {
          var id = Math.floor(p / 4), w = p % 4;
          if ((hits.get(id) || 0) < w) hits.set(id, w);
        });
      });
      return hits;
    });
  }
  // The ids matching every word, best first (summed weights), then in title order.
  function ranked(ws) {
    return Promise.all(ws.map(wordHits)).then(function (per) {
      per.sort(function (a, b) { return a.size - b.size; });
      var out = [];
      per[0].forEach(function (_, id) {
        var score = 0;
        if (per.every(function (hits) { var w = hits.get(id); score += w || 0; return w; })) out.push([score, id]);
      });
      out.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      return out.map(function (p) { return p[1]; });
    });
  }
  // A facet's column: its values and each entry's value numbers.
  function column(name) {
    return getJson("f/" + name + ".json").then(function (c) {
      return { values: c.values, of: c.of.map(function (v) { return typeof v === "number" ? [v] : v; }) };
    });
  }
  function has(col, id, wanted) {
    return col.of[id].some(function (v) { return wanted.indexOf(col.values[v]) >= 0; });
  }
  // Counts of `name`'s values over the candidates that pass every chosen facet but its own.
  function countsOf(name, candidates, sel, cols) {
    var counts = {}, col = cols[name];
    candidates.forEach(function (id) {
      var passes = Object.keys(sel).every(function (f) { return f === name || has(cols[f], id, sel[f]); });
      if (passes) col.of[id].forEach(function (v) { counts[col.values[v]] = (counts[col.values[v]] || 0) + 1; });
    });
    return counts;
  }
  function openFacets() {
    return facetNames.filter(function (name) { return app.querySelector('[data-facet="' + name + '"]').open; });
  }
  // The results of a search, shown PAGE at a time: `take(n)` gives the next n results' cards.
  function ordered(ids) {
    var next = 0;
    return {
      length: ids.length,
      take: function (n) {
        var slice = ids.slice(next, next + n);
        next += slice.length;
        return Promise.all(slice.map(function (id) { return getJson("d/" + id + ".json"); }));
      }
    };
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // The summary, with each word that starts with a query word marked.
  function marked(text, ws) {
    var p = el("p", "catalogue-card__text"), at = 0;
    text.replace(WORD, function (w, where) {
      p.appendChild(document.createTextNode(text.slice(at, where)));
      p.appendChild(found(w, ws) ? el("mark", null, w) : document.createTextNode(w));
      at = where + w.length;
      return w;
    });
    p.appendChild(document.createTextNode(text.slice(at)));
    return p;
  }
  function card(doc) {
    var m = doc[lang], ws = words(input.value), url = rootPath() + doc.url;
    var li = el("li", "catalogue-card"), article = el("article"), h = el("h3"), a = el("a", null, m.title);
    a.href = url;
    h.appendChild(a);
    article.appendChild(h);
    var facts = [m.kind, m.controller, m.years, doc.n ? fmt("n_variables", { n: doc.n }) : null].filter(Boolean);
    article.appendChild(el("p", "catalogue-card__meta", facts.join(" · ")));
    article.appendChild(marked(m.summary, ws));
    var vars = ws.length ? doc.v.filter(function (v) { return found(v[1] + " " + v[2], ws); }) : [];
    if (vars.length) {
      var p = el("p", "catalogue-card__vars", strings.matching_variables + ": ");
      vars.slice(0, 8).forEach(function (v, i) {
        var link = el("a", null, v[1]);
        link.href = url + "#" + v[0];
        if (i) p.appendChild(document.createTextNode(", "));
        p.appendChild(link);
      });
      article.appendChild(p);
    }
    var name = /\/(?:registries|biobanks)\/([^\/]+)\/?$/.exec(url);
    if (name) {
      var collect = el("button", "catalogue-button catalogue-collect", strings.collect);
      collect.type = "button";
      collect.setAttribute("data-entry", name[1]);
      collect.setAttribute("aria-pressed", "false");
      collect.appendChild(el("span", "catalogue-visually-hidden", " (" + m.title + ")"));
      article.appendChild(collect);
    }
    li.appendChild(article);
    return li;
  }
  function showMore(gen) {
    // A search overtaken by a newer one takes nothing from the newer one's results.
    if (gen !== generation) return Promise.resolve();
    return results.take(PAGE).then(function (data) {
      if (gen !== generation) return;
      data.forEach(function (d) { list.appendChild(card(d)); });
      if (window.CatalogueStudy) window.CatalogueStudy.sync();
      shown += data.length;
      more.hidden = shown >= results.length;
      status.textContent = results.length === 0 ? strings.no_results
        : shown < results.length ? fmt("showing", { shown: shown, n: results.length })
        : results.length === 1 ? strings.result_one : fmt("results", { n: results.length });
      app.setAttribute("aria-busy", "false");
      app.setAttribute("data-state", "ready");
    });
  }
  // The counts of the open facets (and of the chosen ones) over the last search's candidates.
  function drawCounts(gen) {
    if (!last || last.all) {
      facetNames.forEach(function (name) { setCounts(name, null); });
      return Promise.resolve();
    }
    var names = openFacets().concat(Object.keys(last.sel)).filter(function (n, i, all) { return all.indexOf(n) === i; });
    return Promise.all(names.map(column)).then(function (loaded) {
      if (gen !== generation) return;
      var cols = {};
      names.forEach(function (n, i) { cols[n] = loaded[i]; });
      names.forEach(function (n) { setCounts(n, countsOf(n, last.candidates, last.sel, cols)); });
    });
  }
  function run() {
    var gen = ++generation;
    var q = input.value.trim(), ws = words(q);
    var sel = chosen();
    var filtering = Object.keys(sel).length > 0;
    stateToUrl();
    if (!q && !filtering && Number(app.getAttribute("data-static")) >= Number(app.getAttribute("data-total"))
        && app.getAttribute("data-dirty") !== "1") {
      return Promise.resolve();
    }
    app.setAttribute("data-dirty", "1");
    app.setAttribute("aria-busy", "true");
    app.setAttribute("data-state", "searching");
    status.textContent = strings.loading;
    var candidates = ws.length ? ranked(ws) : getJson("order/" + lang + ".json");
    var cols = Promise.all(Object.keys(sel).map(column));
    return Promise.all([candidates, cols]).then(function (done) {
      if (gen !== generation) return;
      var byName = {};
      Object.keys(sel).forEach(function (n, i) { byName[n] = done[1][i]; });
      var hits = done[0].filter(function (id) {
        return Object.keys(sel).every(function (n) { return has(byName[n], id, sel[n]); });
      });
      last = { all: !ws.length && !filtering, candidates: done[0], sel: sel };
      results = ordered(hits);
      shown = 0;
      list.textContent = "";
      return drawCounts(gen).then(function () { return showMore(gen); });
    }).catch(function (err) {
      if (gen !== generation) return;
      app.setAttribute("aria-busy", "false");
      app.setAttribute("data-state", "failed");
      status.textContent = strings.no_results;
      if (window.console) console.warn("catalogue search:", err);
    });
  }
  // A facet opened after a search gets its counts then: a closed one's column is not fetched.
  app.querySelectorAll("[data-facet]").forEach(function (details) {
    details.addEventListener("toggle", function () { if (details.open && last) drawCounts(generation); });
  });
  app.querySelectorAll(".catalogue-count").forEach(function (c) {
    initialCounts[c.closest("[data-facet]").getAttribute("data-facet") + ":" + c.getAttribute("data-value")] = Number(c.textContent);
  });
  app.classList.add("catalogue-js");
  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); run(); });
  form.addEventListener("change", function (ev) { if (ev.target.type === "checkbox") run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  more.addEventListener("click", function () { showMore(generation); });
  document.getElementById("catalogue-clear").addEventListener("click", function (ev) {
    ev.preventDefault();
    input.value = "";
    form.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
    run();
  });
  stateFromUrl();
  if (input.value.trim() || Object.keys(chosen()).length) run();
})();
