/* The catalogue page: free-text search and facet filters over Pagefind, with the query and the
   chosen facets kept in the URL (/catalogue/?q=...&kind=...) so a search can be shared. Without
   JavaScript the page still lists the entries and the form submits the same URL. */
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
  var pagefind = null, results = ordered([]), shown = 0, generation = 0, timer = null;

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
  // One index at the site's root serves both languages; hits are mapped to this language's root.
  var lang = app.getAttribute("data-lang");
  function rootPath() {
    return new URL(app.getAttribute("data-root") + "/", window.location.href).pathname;
  }
  function meta(data, key) {
    return data.meta[key + "_" + lang] || data.meta[key] || "";
  }
  // A large catalogue's index is in shards (catalogue/site/search.py): shard 0 at data-index,
  // the others merged into it. Each carries a "shard" filter, so one shard can be searched alone.
  var shardUrls = (app.getAttribute("data-shards") || "").split(" ").filter(Boolean);
  function load() {
    if (!pagefind) {
      pagefind = import(new URL(app.getAttribute("data-index") + "pagefind.js", window.location.href).href)
        .then(function (pf) {
          // Without Pagefind's web worker: it is one more script (40 KB) for every first search,
          // and a search of this index's small chunks does not hold up the page.
          var opts = { baseUrl: rootPath(), noWorker: true };
          if (shardUrls.length) opts.mergeFilter = { shard: "0" };
          return pf.options(opts).then(function () {
            return Promise.all(shardUrls.map(function (url, i) {
              return pf.mergeIndex(new URL(url, window.location.href).pathname,
                { baseUrl: rootPath(), mergeFilter: { shard: String(i + 1) } });
            }));
          })
            // Loading the filter index first makes every search report facet counts.
            .then(function () { return pf.filters(); })
            .then(function () { return pf; });
        });
    }
    return pagefind;
  }
  // The results of a search, shown PAGE at a time: `take(n)` gives the next n results' data.
  function ordered(list) {
    var next = 0;
    return {
      length: list.length,
      take: function (n) {
        var slice = list.slice(next, next + n);
        next += slice.length;
        return Promise.all(slice.map(function (r) { return r.data(); }));
      }
    };
  }
  // Pagefind sorts titles by Unicode code point.
  function before(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      if (x[i] !== y[i]) return x[i].codePointAt(0) < y[i].codePointAt(0);
    }
    return x.length < y.length;
  }
  // Each shard's results in title order, merged into one list in title order: a merged search
  // would interleave the shards (it ranks by position within each), so this takes the first
  // title among the shards' next results, loading only those results' data.
  function byTitle(lists) {
    var heads = lists.map(function () { return 0; }), loaded = new Map(), queue = Promise.resolve();
    function data(r) {
      if (!loaded.has(r)) loaded.set(r, r.data());
      return loaded.get(r);
    }
    function one() {
      var live = [];
      lists.forEach(function (list, k) { if (heads[k] < list.length) live.push(k); });
      return Promise.all(live.map(function (k) { return data(lists[k][heads[k]]); })).then(function (ds) {
        var best = 0;
        for (var i = 1; i < ds.length; i++) if (before(ds[i].meta.title || "", ds[best].meta.title || "")) best = i;
        heads[live[best]]++;
        return ds[best];
      });
    }
    return {
      length: lists.reduce(function (n, list) { return n + list.length; }, 0),
      take: function (n) {
        var got = [];
        queue = queue.then(function step() {
          if (got.length >= n || heads.every(function (h, k) { return h >= lists[k].length; })) return got;
          return one().then(function (d) { got.push(d); return step(); });
        });
        return queue;
      }
    };
  }
  function inTitleOrder(pf, filters) {
    return Promise.all([0].concat(shardUrls.map(function (_, i) { return i + 1; })).map(function (k) {
      return pf.search(null, { filters: Object.assign({ shard: String(k) }, filters), sort: { title: "asc" } });
    })).then(function (found) { return byTitle(found.map(function (s) { return s.results; })); });
  }
  // Pagefind excerpts escape "<" but mark hits with <mark>; let nothing else through.
  function safeExcerpt(html) {
    return String(html).replace(/<(?!\/?mark>)/g, "&lt;");
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function card(data) {
    var li = el("li", "catalogue-card"), article = el("article"), h = el("h3"), a = el("a");
    a.href = data.url;
    a.textContent = meta(data, "title") || data.url;
    h.appendChild(a);
    article.appendChild(h);
    var facts = [meta(data, "kind"), meta(data, "controller"), meta(data, "years"),
      data.meta.variables ? fmt("n_variables", { n: data.meta.variables }) : null].filter(Boolean);
    article.appendChild(el("p", "catalogue-card__meta", facts.join(" · ")));
    var text = el("p", "catalogue-card__text");
    if (input.value.trim()) text.innerHTML = safeExcerpt(data.excerpt);
    else text.textContent = meta(data, "summary");
    article.appendChild(text);
    var vars = (data.sub_results || []).filter(function (s) { return s.url.indexOf("#var-") >= 0; });
    if (input.value.trim() && vars.length) {
      var p = el("p", "catalogue-card__vars", strings.matching_variables + ": ");
      vars.slice(0, 8).forEach(function (s, i) {
        var link = el("a", null, s.title);
        link.href = s.url;
        if (i) p.appendChild(document.createTextNode(", "));
        p.appendChild(link);
      });
      article.appendChild(p);
    }
    var name = /\/(?:registries|biobanks)\/([^\/]+)\/?$/.exec(new URL(data.url, window.location.href).pathname);
    if (name) {
      var collect = el("button", "catalogue-button catalogue-collect", strings.collect);
      collect.type = "button";
      collect.setAttribute("data-entry", name[1]);
      collect.setAttribute("aria-pressed", "false");
      collect.appendChild(el("span", "catalogue-visually-hidden", " (" + (meta(data, "title") || name[1]) + ")"));
      article.appendChild(collect);
    }
    li.appendChild(article);
    return li;
  }
  function showMore(gen) {
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
  function run() {
    var gen = ++generation;
    var q = input.value.trim();
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
    return load().then(function (pf) {
      var all = !q && !filtering;
      var filters = all ? { kind: { any: ["registry", "biobank"] } } : toFilters(sel);
      var main = pf.search(q || null, { filters: filters, sort: q ? undefined : { title: "asc" } });
      var ranked = q || !shardUrls.length ? main.then(function (s) { return ordered(s.results); })
        : inTitleOrder(pf, filters);
      // A facet's own counts ignore its own choices, so picking one value does not zero the others.
      var own = Object.keys(sel).map(function (name) {
        var rest = toFilters(sel, name);
        var search = (q || Object.keys(rest).length) ? pf.search(q || null, { filters: rest }) : pf.filters().then(function (f) { return { filters: f }; });
        return search.then(function (s) { return [name, s.filters[name]]; });
      });
      return Promise.all([main, ranked].concat(own)).then(function (done) {
        if (gen !== generation) return;
        var s = done[0];
        facetNames.forEach(function (name) { setCounts(name, all ? null : s.filters[name] || {}); });
        done.slice(2).forEach(function (pair) { setCounts(pair[0], pair[1] || {}); });
        results = done[1];
        shown = 0;
        list.textContent = "";
        return showMore(gen);
      });
    }).catch(function (err) {
      if (gen !== generation) return;
      app.setAttribute("aria-busy", "false");
      app.setAttribute("data-state", "failed");
      status.textContent = strings.no_results;
      if (window.console) console.warn("catalogue search:", err);
    });
  }
  app.querySelectorAll(".catalogue-count").forEach(function (c) {
    initialCounts[c.closest("[data-facet]").getAttribute("data-facet") + ":" + c.getAttribute("data-value")] = Number(c.textContent);
  });
  app.classList.add("catalogue-js");
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
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
