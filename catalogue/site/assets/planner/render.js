/* The access planner's rendering: the plan, the sources and the variable picker as DOM nodes.
   Everything from the metadata goes into the page as text (textContent), never as HTML. */
(function () {
  "use strict";
  var P = window.CataloguePlanner;
  if (!P || !P.ctx) return;
  var S = P.ctx.S, state = P.ctx.state, $ = P.ctx.$, app = P.ctx.app, R = P.rules, SEP = R.SEP;
  var fmt = P.fmt, num = P.num, label = P.label, title = P.title, page = P.page, names = P.names;
  var known = P.known, problems = P.problems, tickedRows = P.tickedRows, groupTitle = P.groupTitle;
  var neededBy = P.neededBy, compute = P.compute, shareUrl = P.shareUrl, absolute = P.absolute, sum = R.sum;
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
      remove.addEventListener("click", function () { P.removeAt(i); });
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
          box.addEventListener("change", function () { P.tick(e.name, t.name + SEP + v.name, box.checked); });
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

  P.render = render; P.renderTicked = renderTicked;
})();
